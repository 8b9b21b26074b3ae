"""Enrolment (入托) and leaving (离托); vacancies are slots minus the children enrolled on a day.

A child has at most one enrolment at any time (overlaps are refused, whichever facility), a facility never has
more children in an age group than slots on any day, and only a facility with an accepted 备案 that is open
may enrol.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare.facilities import check_scope, get_facility, is_open, latest_filing
from cradle.childcare.models import Enrolment, Facility
from cradle.childcare.occupancy import active_on
from cradle.childcare.validate import (
    ID_NUMBER_PROBLEMS,
    NOT_AN_OBJECT,
    ONE_OF,
    UNKNOWN_FIELD,
    _Collector,
    _int,
    _text,
    choices,
    parse_date,
)
from cradle.childcare.vocab import AGE_GROUPS, age_group_for, chinese, months_between
from cradle.errors import N_, Invalid, NotFound
from cradle.idcard import birth_date_of, check_id_number, mask

ENROL_FIELDS = {"child_id_number", "child_name", "birth_date", "birth_order", "age_group", "start_on"}
# Refusals naming the age group (its label is part of the sentence), by age group
TOO_OLD_OR_YOUNG = {
    "infant": N_("An age of %(months)s months does not suit an infant class"),
    "toddler": N_("An age of %(months)s months does not suit a younger toddler class"),
    "older": N_("An age of %(months)s months does not suit an older toddler class"),
}
NO_PLACES = {
    "infant": N_("%(facility)s has no infant class places"),
    "toddler": N_("%(facility)s has no younger toddler class places"),
    "older": N_("%(facility)s has no older toddler class places"),
}
FULL = {
    "infant": N_("The infant class places are full (%(slots)s)"),
    "toddler": N_("The younger toddler class places are full (%(slots)s)"),
    "older": N_("The older toddler class places are full (%(slots)s)"),
}


def _peak(intervals: list[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date | None) -> int:
    """Most intervals in force on any one day of [start, end] (None: open-ended)."""
    inside = [
        (max(s, start), e if end is None or (e is not None and e < end) else end)
        for s, e in intervals
        if (end is None or s <= end) and (e is None or e >= start)
    ]
    events = []
    for s, e in inside:
        events.append((s, 1))
        if e is not None:
            events.append((e + dt.timedelta(days=1), -1))
    events.sort(key=lambda x: (x[0], x[1]))
    peak = level = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def _overlap(e: Enrolment, facility: Facility) -> Invalid:
    if e.end_on is None:
        message = N_("Overlaps an existing enrolment: %(facility)s (since %(start)s)")
    else:
        message = N_("Overlaps an existing enrolment: %(facility)s (%(start)s to %(end)s)")
    end = e.end_on.isoformat() if e.end_on else None
    return Invalid("start_on", message, facility=facility.name, start=e.start_on.isoformat(), end=end)


def enrol(session: Session, facility_id: int, data: dict, scope: str | None = None) -> Enrolment:
    facility = get_facility(session, facility_id, scope)
    c = _Collector()
    if not isinstance(data, dict):
        raise Invalid("$", NOT_AN_OBJECT)
    for key in sorted(set(data) - ENROL_FIELDS):
        c.add(key, UNKNOWN_FIELD)
    number = str(data.get("child_id_number") or "").strip().upper()
    birth = parse_date(c, data.get("birth_date"), "birth_date", False)
    problem = check_id_number(number, birth_date=birth)
    if problem:
        c.add("child_id_number", ID_NUMBER_PROBLEMS[problem.code])
    name = _text(c, data, "child_name", "child_name", 100, True)
    order = _int(c, data.get("birth_order"), "birth_order", minimum=1, required=False)
    start = parse_date(c, data.get("start_on"), "start_on", True)
    if c.problems:
        raise c.problems[0]
    birth = birth or birth_date_of(number)
    filing = latest_filing(session, facility.id)
    if filing is None or filing.status != "accepted":
        raise Invalid(
            "facility_id",
            N_("%(facility)s has not completed filing: it cannot enrol children"),
            facility=facility.name,
        )
    if not is_open(facility, start):
        raise Invalid(
            "start_on",
            N_("%(facility)s is not open or has closed on %(date)s"),
            facility=facility.name,
            date=start,
        )
    group = data.get("age_group") or age_group_for(birth, start)
    months = months_between(birth, start)
    if group is None:
        raise Invalid(
            "start_on",
            N_("Age at enrolment %(months)s months: childcare institutions take children of 6 to 36 months"),
            months=months,
        )
    if group not in AGE_GROUPS:
        raise Invalid("age_group", ONE_OF, choices=choices(AGE_GROUPS))
    if not (AGE_GROUPS["infant"]["min_months"] <= months < AGE_GROUPS[group]["max_months"]):
        raise Invalid("age_group", TOO_OLD_OR_YOUNG[group], months=months)
    slot_group = next((g for g in facility.slots if g.age_group == group), None)
    if slot_group is None or slot_group.slots == 0:
        raise Invalid("age_group", NO_PLACES[group], facility=facility.name)
    for other in session.scalars(select(Enrolment).where(Enrolment.child_id_number == number)):
        if other.end_on is None or other.end_on >= start:
            raise _overlap(other, session.get(Facility, other.facility_id))
    same_group = session.scalars(
        select(Enrolment).where(Enrolment.facility_id == facility.id, Enrolment.age_group == group)
    ).all()
    if _peak([(e.start_on, e.end_on) for e in same_group], start, None) + 1 > slot_group.slots:
        raise Invalid("age_group", FULL[group], slots=slot_group.slots)
    enrolment = Enrolment(
        facility_id=facility.id,
        child_id_number=number,
        child_name=name,
        birth_date=birth,
        birth_order=order,
        age_group=group,
        start_on=start,
    )
    session.add(enrolment)
    session.flush()
    return enrolment


def leave(
    session: Session,
    enrolment_id: int,
    end_on: dt.date | str,
    reason: str | None = None,
    scope: str | None = None,
) -> Enrolment:
    """离托: `end_on` is the last day attended."""
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(None, N_("Enrolment record %(key)s does not exist"), key=enrolment_id)
    facility = session.get(Facility, enrolment.facility_id)
    check_scope(facility.region_code, scope)
    c = _Collector()
    day = parse_date(c, end_on, "end_on", True)
    if c.problems:
        raise c.problems[0]
    if enrolment.end_on is not None:
        raise Invalid("end_on", N_("The child left on %(date)s"), date=enrolment.end_on)
    if day < enrolment.start_on:
        raise Invalid("end_on", N_("Leaving date is before the start date %(date)s"), date=enrolment.start_on)
    enrolment.end_on = day
    enrolment.leave_reason = (reason or "").strip()[:200] or None
    session.flush()
    return enrolment


def roster(
    session: Session, facility_id: int, on: dt.date, scope: str | None = None, include_past: bool = False
) -> list[dict]:
    """The facility's children (ID numbers masked): those enrolled on `on`, or all when include_past."""
    get_facility(session, facility_id, scope)
    rows = session.scalars(
        select(Enrolment)
        .where(Enrolment.facility_id == facility_id)
        .order_by(Enrolment.age_group, Enrolment.start_on, Enrolment.id)
    )
    return [enrolment_dict(e) for e in rows if include_past or active_on(e, on)]


def enrolment_dict(e: Enrolment) -> dict:
    return {
        "id": e.id,
        "facility_id": e.facility_id,
        "child_id_number": mask(e.child_id_number),
        "child_name": e.child_name,
        "birth_date": e.birth_date.isoformat(),
        "birth_order": e.birth_order,
        "age_group": e.age_group,
        "age_group_label": chinese(AGE_GROUPS[e.age_group]["label"]),
        "start_on": e.start_on.isoformat(),
        "end_on": e.end_on.isoformat() if e.end_on else None,
        "leave_reason": e.leave_reason,
    }
