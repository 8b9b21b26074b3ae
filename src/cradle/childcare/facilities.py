"""The facility registry (登记): register, update, look up and list 托育 facilities."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cradle.childcare import places
from cradle.childcare.models import Enrolment, Facility, Filing, SlotGroup, StaffMember
from cradle.childcare.occupancy import enrolled_counts
from cradle.childcare.validate import clean_facility
from cradle.childcare.vocab import AGE_GROUPS, FACILITY_TYPES, FILING_STATUS, NOT_FILED, chinese
from cradle.errors import N_, Invalid, NotFound, OutOfScope

FACILITY_MISSING = N_("Childcare institution %(key)s does not exist")
REGISTERED_ALREADY = N_("Unified social credit code %(credit_code)s is already registered")
# A class type still holding children cannot go, by age group (the label is part of the sentence)
GROUP_IN_USE = {
    "infant": N_("The infant class still has %(count)s children enrolled: the class type cannot be removed"),
    "toddler": N_(
        "The younger toddler class still has %(count)s children enrolled: the class type cannot be removed"
    ),
    "older": N_(
        "The older toddler class still has %(count)s children enrolled: the class type cannot be removed"
    ),
}


def check_scope(region_code: str, scope: str | None) -> None:
    if not places.is_within(region_code, scope):
        raise OutOfScope(
            None,
            N_("The region %(region)s is not within your jurisdiction %(scope)s"),
            region=region_code,
            scope=scope or "",
        )


def get_facility(session: Session, facility_id: int, scope: str | None = None) -> Facility:
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFound(None, FACILITY_MISSING, key=facility_id)
    check_scope(facility.region_code, scope)
    return facility


def by_credit_code(session: Session, code: str) -> Facility | None:
    return session.scalar(select(Facility).where(Facility.credit_code == code.strip().upper()))


def _apply(facility: Facility, clean: dict) -> None:
    for key, value in clean.items():
        if key not in ("slots", "staff"):
            setattr(facility, key, value)
    existing = {g.age_group: g for g in facility.slots}
    wanted = {s["age_group"] for s in clean["slots"]}
    for group, row in list(existing.items()):
        if group not in wanted:
            facility.slots.remove(row)
    for s in clean["slots"]:
        row = existing.get(s["age_group"])
        if row is None:
            facility.slots.append(SlotGroup(**s))
        else:
            row.slots, row.classes, row.fee_monthly = s["slots"], s["classes"], s["fee_monthly"]
    facility.staff.clear()
    facility.staff.extend(StaffMember(**s) for s in clean["staff"])


def register_facility(session: Session, data: dict, scope: str | None = None) -> Facility:
    """登记: a new facility. Refuses a bad or already registered credit code, negative slots, unknown fields."""
    clean = clean_facility(data)
    check_scope(clean["region_code"], scope)
    if by_credit_code(session, clean["credit_code"]) is not None:
        raise Invalid("credit_code", REGISTERED_ALREADY, credit_code=clean["credit_code"])
    facility = Facility()
    _apply(facility, clean)
    session.add(facility)
    session.flush()
    return facility


def update_facility(
    session: Session, facility_id: int, data: dict, scope: str | None = None, on: dt.date | None = None
) -> Facility:
    """Replace a facility's record. Slots may not fall below the children enrolled in that age group."""
    facility = get_facility(session, facility_id, scope)
    clean = clean_facility(data)
    check_scope(clean["region_code"], scope)
    if clean["credit_code"] != facility.credit_code:
        other = by_credit_code(session, clean["credit_code"])
        if other is not None and other.id != facility.id:
            raise Invalid("credit_code", REGISTERED_ALREADY, credit_code=clean["credit_code"])
    counts = enrolled_counts(session, facility.id, on or dt.date.today())
    new_slots = {s["age_group"]: s["slots"] for s in clean["slots"]}
    for i, s in enumerate(clean["slots"]):
        if counts.get(s["age_group"], 0) > s["slots"]:
            raise Invalid(
                f"slots[{i}].slots",
                N_("%(count)s children enrolled: places cannot be fewer than the children enrolled"),
                count=counts[s["age_group"]],
            )
    for group, n in counts.items():
        if n and group not in new_slots:
            raise Invalid("slots", GROUP_IN_USE[group], count=n)
    _apply(facility, clean)
    session.flush()
    return facility


def latest_filing(session: Session, facility_id: int) -> Filing | None:
    return session.scalar(
        select(Filing).where(Filing.facility_id == facility_id).order_by(Filing.id.desc()).limit(1)
    )


def list_facilities(
    session: Session,
    region: str | None = None,
    scope: str | None = None,
    filed_only: bool = False,
    on: dt.date | None = None,
) -> list[Facility]:
    """Facilities in `region` (and the caller's `scope`), ordered by region and name."""
    if region is not None and not places.is_code(region):
        raise Invalid("region", N_("%(region)s is not a 6-digit region code"), region=region)
    if region is not None and not places.exists(region):  # a typo must not pass for an empty region
        raise Invalid("region", N_("Unknown region code %(region)s"), region=region)
    rows = session.scalars(
        select(Facility)
        .options(selectinload(Facility.slots))
        .order_by(Facility.region_code, Facility.name, Facility.id)
    ).all()
    out = [
        f for f in rows if places.is_within(f.region_code, region) and places.is_within(f.region_code, scope)
    ]
    if filed_only:
        accepted = filed_ids(session)
        day = on or dt.date.today()
        out = [f for f in out if f.id in accepted and is_open(f, day)]
    return out


def filed_ids(session: Session) -> set[int]:
    """Facilities whose newest filing is accepted (已备案)."""
    latest: dict[int, Filing] = {}
    for filing in session.scalars(select(Filing).order_by(Filing.id)):
        latest[filing.facility_id] = filing
    return {fid for fid, f in latest.items() if f.status == "accepted"}


def is_open(facility: Facility, on: dt.date) -> bool:
    return facility.opening_date <= on and (facility.closed_on is None or facility.closed_on > on)


def total_slots(facility: Facility) -> int:
    return sum(g.slots for g in facility.slots)


def facility_dict(
    session: Session, facility: Facility, on: dt.date | None = None, detail: bool = False
) -> dict:
    day = on or dt.date.today()
    counts = enrolled_counts(session, facility.id, day)
    filing = latest_filing(session, facility.id)
    groups = [
        {
            "age_group": g.age_group,
            "label": chinese(AGE_GROUPS[g.age_group]["label"]),
            "slots": g.slots,
            "classes": g.classes,
            "enrolled": counts.get(g.age_group, 0),
            "vacancies": max(g.slots - counts.get(g.age_group, 0), 0),
            "fee_monthly": g.fee_monthly,
        }
        for g in facility.slots
    ]
    out = {
        "id": facility.id,
        "credit_code": facility.credit_code,
        "name": facility.name,
        "type": facility.type,
        "type_label": chinese(FACILITY_TYPES[facility.type])
        if facility.type in FACILITY_TYPES
        else facility.type,
        "address": facility.address,
        "region_code": facility.region_code,
        "region_name": places.name(facility.region_code),
        "community": facility.community,
        "inclusive": facility.inclusive,
        "demonstration": facility.demonstration,
        "comprehensive_centre": facility.comprehensive_centre,
        "guidance_role": facility.guidance_role,
        "opening_date": facility.opening_date.isoformat(),
        "closed_on": facility.closed_on.isoformat() if facility.closed_on else None,
        "slots": sum(g["slots"] for g in groups),
        "enrolled": sum(g["enrolled"] for g in groups),
        "vacancies": sum(g["vacancies"] for g in groups),
        "slot_groups": groups,
        "filing_status": filing.status if filing else None,
        "filing_status_label": chinese(FILING_STATUS[filing.status] if filing else NOT_FILED),
        "lat": float(facility.lat) if facility.lat is not None else None,
        "lon": float(facility.lon) if facility.lon is not None else None,
    }
    if detail:
        out["floor_area_m2"] = float(facility.floor_area_m2)
        out["outdoor_area_m2"] = (
            float(facility.outdoor_area_m2) if facility.outdoor_area_m2 is not None else None
        )
        out["rooms"] = facility.rooms
        out["staff"] = [
            {
                "name": s.name,
                "role": s.role,
                "qualification": s.qualification,
                "education": s.education,
                "years_experience": s.years_experience,
            }
            for s in facility.staff
        ]
    return out


def facility_input(facility: Facility) -> dict:
    """The facility as an input record (what register/update accept), e.g. to edit one field and update."""
    return {
        "credit_code": facility.credit_code,
        "name": facility.name,
        "type": facility.type,
        "address": facility.address,
        "region_code": facility.region_code,
        "community": facility.community,
        "floor_area_m2": str(facility.floor_area_m2),
        "outdoor_area_m2": str(facility.outdoor_area_m2) if facility.outdoor_area_m2 is not None else None,
        "rooms": facility.rooms,
        "inclusive": facility.inclusive,
        "demonstration": facility.demonstration,
        "comprehensive_centre": facility.comprehensive_centre,
        "guidance_role": facility.guidance_role,
        "opening_date": facility.opening_date.isoformat(),
        "closed_on": facility.closed_on.isoformat() if facility.closed_on else None,
        "lat": str(facility.lat) if facility.lat is not None else None,
        "lon": str(facility.lon) if facility.lon is not None else None,
        "slots": [
            {"age_group": g.age_group, "slots": g.slots, "classes": g.classes, "fee_monthly": g.fee_monthly}
            for g in facility.slots
        ],
        "staff": [
            {
                "name": s.name,
                "role": s.role,
                "qualification": s.qualification,
                "education": s.education,
                "years_experience": s.years_experience,
            }
            for s in facility.staff
        ],
    }


def enrolments_of(session: Session, facility_id: int) -> list[Enrolment]:
    return list(
        session.scalars(
            select(Enrolment)
            .where(Enrolment.facility_id == facility_id)
            .order_by(Enrolment.start_on, Enrolment.id)
        )
    )
