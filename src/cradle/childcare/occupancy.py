"""Who is in a facility on a day: the counts its capacity checks (facilities) and its enrolments (enrolment) both
read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare.models import Enrolment


def active_on(enrolment: Enrolment, on: dt.date) -> bool:
    return enrolment.start_on <= on and (enrolment.end_on is None or enrolment.end_on >= on)


def enrolled_counts(session: Session, facility_id: int, on: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    rows = session.scalars(
        select(Enrolment).where(Enrolment.facility_id == facility_id, Enrolment.start_on <= on)
    )
    for e in rows:
        if active_on(e, on):
            counts[e.age_group] = counts.get(e.age_group, 0) + 1
    return counts
