"""What a page, the API and the CLI show of a cycle: its state, the 公示's countdown, the list by status (ID numbers
masked), the objections, the villages' notices, the towns' reviews and the payment batches of its programs. A
village official is shown the village's own part of the list and its objections, a town official the town's own
(its people, their objections, its villages' notices, its review)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.assistance.county_settings import setting
from cradle.assistance.cycle import counts, entries, notices, town_reviews, within
from cradle.assistance.families import contacts
from cradle.assistance.models import Contact, Cycle, Entry, Family, Objection, Task
from cradle.idcard import mask
from cradle.payments.entitlements import payments_of
from cradle.payments.models import Batch


def days_left(cycle: Cycle, today: dt.date) -> int | None:
    """Days of the 公示 still to run, today included; None when it is not running."""
    if cycle.status != "publicized" or cycle.publicity_end is None:
        return None
    return max((cycle.publicity_end - today).days + 1, 0)


def entry_row(e: Entry) -> dict:
    return {
        "id": e.id,
        "program": e.program,
        "id_number": mask(e.id_number),
        "name": e.name,
        "town": e.town,
        "village": e.village,
        "source": e.source,
        "reason": e.reason,
        "amount": None if e.amount is None else str(e.amount),
        "frequency": e.frequency,
        "status": e.status,
        "leave_reason": e.leave_reason,
        "account": f"…{e.account_no[-4:]}" if e.account_no else None,
    }


def objections(
    session: Session, cycle: Cycle, *, village: str | None = None, town: str | None = None
) -> list[dict]:
    q = select(Objection, Entry).join(Entry, Entry.id == Objection.entry_id).where(Entry.cycle_id == cycle.id)
    q = within(q, village=village, town=town)
    rows = session.execute(q.order_by(Objection.id)).all()
    return [
        {
            "id": o.id,
            "entry": e.id,
            "name": e.name,
            "id_number": mask(e.id_number),
            "raised_on": o.raised_on.isoformat(),
            "grounds": o.grounds,
            "status": o.status,
            "decision": o.decision,
        }
        for o, e in rows
    ]


def status(
    session: Session,
    cycle: Cycle,
    today: dt.date | None = None,
    *,
    with_entries: bool = True,
    village: str | None = None,
    town: str | None = None,
) -> dict:
    part = {"village": village, "town": town}
    programs = sorted({e.program for e in entries(session, cycle)})
    batches = session.execute(
        select(Batch)
        .where(Batch.county == cycle.county, Batch.program.in_(programs), Batch.period.like(f"{cycle.year}%"))
        .order_by(Batch.id)
    ).scalars()
    return {
        "county": cycle.county,
        "year": cycle.year,
        "status": cycle.status,
        "publicity_start": cycle.publicity_start.isoformat() if cycle.publicity_start else None,
        "publicity_end": cycle.publicity_end.isoformat() if cycle.publicity_end else None,
        "days_left": days_left(cycle, today or dt.date.today()),
        "village": village,
        "town": town,
        "counts": counts(session, cycle, **part),
        "objections": objections(session, cycle, **part),
        "notices": [
            {
                "village": n.village,
                "posted_on": n.posted_on.isoformat(),
                "until": n.until.isoformat(),
                "people": n.people,
            }
            for n in notices(session, cycle)
            if village in (None, n.village) and town in (None, n.village[:9])
        ],
        "reviews": [
            {"town": r.town, "reviewed_on": r.reviewed_on.isoformat(), "people": r.people}
            for r in town_reviews(session, cycle, town=town or (village[:9] if village else None))
        ],
        "batches": [
            {"batch_no": b.batch_no, "status": b.status, "count": b.count, "total": str(b.total)}
            for b in batches
        ],
        "entries": [entry_row(e) for e in entries(session, cycle, **part)] if with_entries else [],
    }


def mine(session: Session, id_number: str) -> dict:
    """The family's own view: its places on the lists (newest year first), its payments and its contact persons."""
    rows = session.execute(
        select(Entry, Cycle.year)
        .join(Cycle, Cycle.id == Entry.cycle_id)
        .where(Entry.id_number == id_number)
        .order_by(Cycle.year.desc(), Entry.id)
    ).all()
    households = {e.household for e, _year in rows} | {id_number}
    family = session.execute(select(Family).where(Family.household.in_(households))).scalars().first()
    programs = {e.program for e, _year in rows}
    paid = [p for p in payments_of(session, id_number) if p.program in programs]
    return {
        "entries": [{**entry_row(e), "year": year} for e, year in rows],
        "payments": [
            {"program": p.program, "period": p.period, "amount": str(p.amount), "status": p.status}
            for p in paid
        ],
        "contacts": [contact_row(c) for c in contacts(session, family)] if family else [],
    }


def contact_row(c: Contact) -> dict:
    return {"kind": c.kind, "name": c.name, "since": c.since.isoformat()}


def family_row(session: Session, f: Family, today: dt.date) -> dict:
    interval = setting(session, f.county).visit_interval_days
    since = f.last_visit or f.joined_on
    return {
        "id": f.id,
        "name": f.name,
        "household": mask(f.household),
        "town": f.town,
        "kind": f.kind,
        "doctor_contract": f.doctor_contract,
        "last_visit": f.last_visit.isoformat() if f.last_visit else None,
        "contacts": [contact_row(c) for c in contacts(session, f)],
        "overdue": since + dt.timedelta(days=interval) < today,
    }


def task_row(t: Task) -> dict:
    return {
        "id": t.id,
        "family": t.family_id,
        "need": t.need,
        "department": t.department,
        "deadline": t.deadline.isoformat(),
        "status": t.status,
    }
