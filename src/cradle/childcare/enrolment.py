"""Enrolment (入托) and leaving (离托); vacancies are slots minus the children enrolled on a day.

A child has at most one enrolment at any time (overlaps are refused, whichever facility), a facility never has
more children in an age group than slots on any day, and only a facility with an accepted 备案 that is open
may enrol.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare.errors import ChildcareError, NotFound
from cradle.childcare.facilities import check_scope, get_facility, is_open, latest_filing
from cradle.childcare.models import Enrolment, Facility
from cradle.childcare.occupancy import active_on
from cradle.childcare.validate import _Collector, _int, _text, parse_date
from cradle.childcare.vocab import AGE_GROUPS, age_group_for, months_between
from cradle.idcard import birth_date_of, check_id_number, mask

ENROL_FIELDS = {"child_id_number", "child_name", "birth_date", "birth_order", "age_group", "start_on"}


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


def _describe(e: Enrolment, facility: Facility) -> str:
    end = e.end_on.isoformat() if e.end_on else "至今"
    return f"{facility.name}（{e.start_on.isoformat()}—{end}）"


def enrol(session: Session, facility_id: int, data: dict, scope: str | None = None) -> Enrolment:
    facility = get_facility(session, facility_id, scope)
    c = _Collector()
    if not isinstance(data, dict):
        raise ChildcareError("$", "应为对象")
    for key in sorted(set(data) - ENROL_FIELDS):
        c.add(key, "未知字段")
    number = str(data.get("child_id_number") or "").strip().upper()
    birth = parse_date(c, data.get("birth_date"), "birth_date", False)
    problem = check_id_number(number, birth_date=birth)
    if problem:
        c.add("child_id_number", problem.message)
    name = _text(c, data, "child_name", "child_name", 100, True)
    order = _int(c, data.get("birth_order"), "birth_order", minimum=1, required=False)
    start = parse_date(c, data.get("start_on"), "start_on", True)
    if c.problems:
        raise c.problems[0]
    birth = birth or birth_date_of(number)
    filing = latest_filing(session, facility.id)
    if filing is None or filing.status != "accepted":
        raise ChildcareError("facility_id", f"{facility.name} 未完成备案，不能招收婴幼儿")
    if not is_open(facility, start):
        raise ChildcareError("start_on", f"{facility.name} 在 {start} 未开办或已停办")
    group = data.get("age_group") or age_group_for(birth, start)
    months = months_between(birth, start)
    if group is None:
        raise ChildcareError("start_on", f"入托时月龄{months}个月，托育机构招收6至36个月婴幼儿")
    if group not in AGE_GROUPS:
        raise ChildcareError("age_group", f"应为 {'、'.join(AGE_GROUPS)} 之一")
    if not (AGE_GROUPS["infant"]["min_months"] <= months < AGE_GROUPS[group]["max_months"]):
        raise ChildcareError("age_group", f"月龄{months}个月不适合{AGE_GROUPS[group]['label']}")
    slot_group = next((g for g in facility.slots if g.age_group == group), None)
    if slot_group is None or slot_group.slots == 0:
        raise ChildcareError("age_group", f"{facility.name} 没有{AGE_GROUPS[group]['label']}托位")
    for other in session.scalars(select(Enrolment).where(Enrolment.child_id_number == number)):
        if other.end_on is None or other.end_on >= start:
            raise ChildcareError(
                "start_on",
                f"与已有入托记录重叠：{_describe(other, session.get(Facility, other.facility_id))}",
            )
    same_group = session.scalars(
        select(Enrolment).where(Enrolment.facility_id == facility.id, Enrolment.age_group == group)
    ).all()
    if _peak([(e.start_on, e.end_on) for e in same_group], start, None) + 1 > slot_group.slots:
        raise ChildcareError("age_group", f"{AGE_GROUPS[group]['label']}托位已满（{slot_group.slots}个）")
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
        raise NotFound("入托记录", enrolment_id)
    facility = session.get(Facility, enrolment.facility_id)
    check_scope(facility.region_code, scope)
    c = _Collector()
    day = parse_date(c, end_on, "end_on", True)
    if c.problems:
        raise c.problems[0]
    if enrolment.end_on is not None:
        raise ChildcareError("end_on", f"该婴幼儿已于 {enrolment.end_on} 离托")
    if day < enrolment.start_on:
        raise ChildcareError("end_on", f"离托日期早于入托日期 {enrolment.start_on}")
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
        "age_group_label": AGE_GROUPS[e.age_group]["label"],
        "start_on": e.start_on.isoformat(),
        "end_on": e.end_on.isoformat() if e.end_on else None,
        "leave_reason": e.leave_reason,
    }
