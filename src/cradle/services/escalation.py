"""督办: an application an official has held past its deadline (review.SLA_DAYS) is escalated to the level above,
once per state and deadline: a town's case (submitted, in town review) to its county, whose workbench lists it
until the town acts; a county's case (county confirmation) to the city. Cases waiting on the citizen (offered,
returned) are not escalated; their deadline is the citizen's.

`escalate()` is the daily job (cradle.jobs, `escalation`); every escalation is audited.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import SYSTEM, Actor
from cradle.services.models import Case, Escalation
from cradle.services.offices import office

ESCALATE_TO = {"submitted": "county", "town_review": "county", "county_confirmation": "city"}


def _same(escalation, case) -> list:
    return [
        escalation.case_id == case.id,
        escalation.status == case.status,
        escalation.sla_due == case.sla_due,
    ]


def escalate(session: Session, today: dt.date | None = None) -> dict:
    """Escalates every case past its deadline that has not been escalated for this state and deadline."""
    today = today or dt.date.today()
    overdue = and_(Case.status.in_(ESCALATE_TO), Case.sla_due < today)
    total = session.execute(select(func.count()).select_from(Case).where(overdue)).scalar_one()
    fresh = session.execute(
        select(Case).where(overdue, ~exists().where(*_same(Escalation, Case))).order_by(Case.sla_due, Case.id)
    ).scalars()
    counts = {"overdue": total, "escalated": 0, "to_county": 0, "to_city": 0}
    for case in fresh:
        level = ESCALATE_TO[case.status]
        session.add(
            Escalation(
                case_id=case.id,
                status=case.status,
                sla_due=case.sla_due,
                level=level,
                county=case.county,
                escalated_on=today,
            )
        )
        audit.record(
            session,
            SYSTEM,
            "case.escalate",
            f"case:{case.case_no}",
            {"status": case.status, "sla_due": case.sla_due, "level": level},
        )
        counts["escalated"] += 1
        counts[f"to_{level}"] += 1
    session.flush()
    return counts


def open_for(session: Session, actor: Actor) -> list[tuple[Case, Escalation]]:
    """A county official's escalated town cases still where they were when escalated, the oldest first."""
    if office(actor) != "county":
        return []
    return [
        (case, esc)
        for case, esc in session.execute(
            select(Case, Escalation)
            .join(Escalation, and_(*_same(Escalation, Case)))
            .where(Escalation.level == "county", Escalation.county == actor.county)
            .order_by(Escalation.sla_due, Case.id)
        ).all()
    ]
