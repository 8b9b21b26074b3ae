"""What enrolment tells the rest of cradle.

- The policy engine: `care_of_child(session, id_number, on)` gives the household input's `care` object for a
  child in a nursery on that day ({"type": "nursery", "inclusive", "registered", "public"}), which is what
  nursery subsidies such as `zibo.nursery_fee_subsidy` test.
- The population registry: `registry_feed_rows(...)` writes enrolments and leavings in the registry's 教育
  (`jiaoyu`) department feed format (docs: registry feeds), so `cradle ingest jiaoyu FILE` takes them in
  through the registry's own validation. Childcare never writes the registry's tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare import places
from cradle.childcare.facilities import filed_ids
from cradle.childcare.models import Enrolment, Facility
from cradle.childcare.occupancy import active_on
from cradle.childcare.vocab import PUBLIC_TYPES
from cradle.idcard import check_id_number, sex_of

JIAOYU_COLUMNS = [
    "record_no",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "event",
    "event_date",
    "care_type",
    "institution_code",
    "institution_name",
    "public",
    "inclusive",
    "registered",
    "region",
]


def care_of_child(session: Session, id_number: str, on: dt.date) -> dict | None:
    """The child's nursery on `on`; after the last day attended, until the month after it (a monthly subsidy
    still covers that month), the same with `left`, the last day."""
    number = (id_number or "").strip().upper()
    for e in session.scalars(select(Enrolment).where(Enrolment.child_id_number == number)):
        left = e.end_on is not None and e.end_on < on
        month_after = e.end_on and (e.end_on.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        if active_on(e, on) or (left and e.start_on <= on < month_after):
            facility = session.get(Facility, e.facility_id)
            care = {
                "type": "nursery",
                "inclusive": bool(facility.inclusive),
                "registered": facility.id in filed_ids(session),
                "public": facility.type in PUBLIC_TYPES,
                "facility_id": facility.id,
                "facility_credit_code": facility.credit_code,
            }
            return dict(care, left=e.end_on.isoformat()) if left else care
    return None


def registry_feed_rows(
    session: Session, since: dt.date | None = None, until: dt.date | None = None, scope: str | None = None
) -> list[dict]:
    """One row per enrol or leave event dated within [since, until] (inclusive; open ends allowed)."""
    filed = filed_ids(session)
    rows = []
    q = (
        select(Enrolment, Facility)
        .join(Facility, Facility.id == Enrolment.facility_id)
        .order_by(Enrolment.id)
    )
    for e, f in session.execute(q):
        if not places.is_within(f.region_code, scope) or check_id_number(e.child_id_number):
            continue
        events = [("enrol", e.start_on)] + ([("leave", e.end_on)] if e.end_on else [])
        for event, day in events:
            if (since and day < since) or (until and day > until):
                continue
            rows.append(
                {
                    "record_no": f"cc-{e.id}-{event}",
                    "id_number": e.child_id_number,
                    "name": e.child_name,
                    "sex": "1" if sex_of(e.child_id_number) == "M" else "2",
                    "birth_date": e.birth_date.isoformat(),
                    "event": event,
                    "event_date": day.isoformat(),
                    "care_type": "1",
                    "institution_code": f.credit_code,
                    "institution_name": f.name,
                    "public": "1" if f.type in PUBLIC_TYPES else "0",
                    "inclusive": "1" if f.inclusive else "0",
                    "registered": "1" if f.id in filed else "0",
                    "region": f.region_code,
                }
            )
    return rows


def registry_feed_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=JIAOYU_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
