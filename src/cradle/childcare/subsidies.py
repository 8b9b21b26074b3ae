"""Facility subsidies (淄博 二（三）1): 1500 CNY per inclusive slot once (`zibo.nursery_construction_subsidy`)
and 50000 CNY once per municipal demonstration nursery (`zibo.demo_nursery_award`).

The amounts come from the policy engine, `cradle.policy.facility.calc_facility(facility, on)`, given the
facility's jurisdiction, its inclusive slots *not yet subsidised* and its demonstration status. Each granted
unit is a row of cc_subsidy_slot (program, facility, slot number; slot 0 for a per-facility award) under a
unique constraint, reserved when the application is made and released if it is rejected or cancelled, so a
slot is never subsidised twice even when two applications race.

    applied ─approve─► payable ─pay─► paid
       └─reject─► rejected   └─cancel─► cancelled

Payment batches (一卡通) belong to the payments domain: an approved application waits as `payable`,
`subsidy_payments.register_payment` makes it a one-off payment entitlement of the facility, and the bank's
return marks it `paid` (`pay` records 付款编号/银行流水号).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle import audit
from cradle.childcare import places
from cradle.childcare.facilities import check_scope, get_facility, latest_filing, total_slots
from cradle.childcare.inspections import credit_status
from cradle.childcare.models import Facility, SubsidyApplication, SubsidySlot
from cradle.childcare.statemachine import StateMachine
from cradle.childcare.subsidy_entitlement import registered_for_payment
from cradle.childcare.validate import ONE_OF, choices
from cradle.childcare.vocab import PROGRAMS, SUBSIDY_STATUS, chinese
from cradle.errors import N_, Invalid, NotFound, Unavailable

CONSTRUCTION = "zibo.nursery_construction_subsidy"
AWARD = "zibo.demo_nursery_award"
# The engine's refusal of a program, by program (its title is part of the sentence)
NOT_ELIGIBLE = {
    CONSTRUCTION: N_(
        "The rules engine finds the institution does not meet the conditions of the one-off construction subsidy"
        " for inclusive childcare institutions on %(date)s (%(region)s)"
    ),
    AWARD: N_(
        "The rules engine finds the institution does not meet the conditions of the one-off award for city model"
        " childcare institutions on %(date)s (%(region)s)"
    ),
}
NO_ENGINE = N_("The rules engine does not yet provide cradle.policy.facility.calc_facility")
TRANSITIONS = {
    ("applied", "approve"): "payable",
    ("applied", "reject"): "rejected",
    ("payable", "pay"): "paid",
    ("payable", "cancel"): "cancelled",
}
MACHINE = StateMachine(
    TRANSITIONS,
    N_("Institution subsidy: state %(state)s does not allow %(action)s (allowed: %(allowed)s)"),
    N_("Institution subsidy: state %(state)s does not allow %(action)s (allowed: none)"),
)
RELEASING = {"rejected", "cancelled"}

Calculator = Callable[[dict, dt.date], "dict | list[dict]"]


def engine_calculator() -> Calculator:
    try:
        module = importlib.import_module("cradle.policy.facility")
    except ImportError as exc:
        raise Unavailable(None, NO_ENGINE, code="engine_unavailable") from exc
    calc = getattr(module, "calc_facility", None)
    if not callable(calc):
        raise Unavailable(None, NO_ENGINE, code="engine_unavailable")
    return calc


def taken_slots(session: Session, facility_id: int, program: str) -> set[int]:
    """Slot numbers granted or reserved under `program` (slot k is the facility's k-th inclusive slot)."""
    return set(
        session.scalars(
            select(SubsidySlot.slot_no).where(
                SubsidySlot.facility_id == facility_id, SubsidySlot.program == program
            )
        )
    )


def granted_units(session: Session, facility_id: int, program: str) -> int:
    return len(taken_slots(session, facility_id, program))


def inclusive_slots(facility: Facility) -> int:
    return total_slots(facility) if facility.inclusive else 0


def engine_input(session: Session, facility: Facility) -> dict:
    """What the engine is asked about: only slots and awards not granted yet."""
    filing = latest_filing(session, facility.id)
    return {
        "jurisdiction": facility.region_code,
        "inclusive": bool(facility.inclusive),
        "registered": filing is not None and filing.status == "accepted",
        "inclusive_slots": max(
            inclusive_slots(facility) - granted_units(session, facility.id, CONSTRUCTION), 0
        ),
        "demonstration": facility.demonstration and granted_units(session, facility.id, AWARD) == 0,
    }


def _run(calc: Calculator | None, data: dict, on: dt.date) -> list[dict]:
    result = (calc or engine_calculator())(data, on)
    if isinstance(result, dict):  # the engine answers {"as_of", "jurisdiction", "entitlements": [...]}
        result = result.get("entitlements", [])
    return list(result)


def entitlements(
    session: Session, facility_id: int, on: dt.date, scope: str | None = None, calc: Calculator | None = None
) -> list[dict]:
    facility = get_facility(session, facility_id, scope)
    return _run(calc, engine_input(session, facility), on)


def apply(
    session: Session,
    facility_id: int,
    program: str,
    on: dt.date,
    scope: str | None = None,
    calc: Calculator | None = None,
    actor=None,
) -> SubsidyApplication:
    """Apply for one program; the amount and units are what the engine grants for the unsubsidised part.
    `actor` (the signed-in account) is recorded in the audit log."""
    if program not in PROGRAMS:
        raise Invalid("program", ONE_OF, choices=choices(PROGRAMS))
    facility = get_facility(session, facility_id, scope)
    filing = latest_filing(session, facility.id)
    if filing is None or filing.status != "accepted":
        raise Invalid(
            "facility_id",
            N_("%(facility)s has not completed filing: it cannot apply for subsidies"),
            facility=facility.name,
        )
    if credit_status(session, facility.id, on) == "black":
        raise Invalid(
            "facility_id",
            N_("%(facility)s is on the blacklist: it cannot apply for subsidies"),
            facility=facility.name,
        )
    data = engine_input(session, facility)
    if program == CONSTRUCTION and not facility.inclusive:
        raise Invalid(
            "program", N_("Only inclusive childcare institutions can apply for the construction subsidy")
        )
    if program == CONSTRUCTION and data["inclusive_slots"] == 0:
        raise Invalid(
            "program",
            N_("%(facility)s: every inclusive place has already received the construction subsidy"),
            facility=facility.name,
        )
    if program == AWARD and granted_units(session, facility.id, AWARD):
        raise Invalid(
            "program", N_("%(facility)s has already received the model award"), facility=facility.name
        )
    if program == AWARD and not facility.demonstration:
        raise Invalid("program", N_("Only city model childcare institutions can apply for the model award"))
    result = [e for e in _run(calc, data, on) if e.get("program") == program]
    if not result:
        raise Invalid("program", NOT_ELIGIBLE[program], date=on, region=places.name(facility.region_code))
    ent = result[0]
    if ent.get("amount") is None:
        # the engine's own note says why no amount is set; it is said as the engine wrote it
        raise Invalid("program", ent.get("note") or N_("The subsidy standard is not yet set"))
    units = data["inclusive_slots"] if program == CONSTRUCTION else 1
    citation = ", ".join(f"{c.get('document')} {c.get('clause')}" for c in ent.get("citations", []))
    app = SubsidyApplication(
        facility_id=facility.id,
        program=program,
        status="applied",
        units=units,
        amount=int(round(float(ent["amount"]))),
        applied_on=on,
        explanation=ent.get("explanation"),
        citation=citation or None,
    )
    if program == CONSTRUCTION:  # the lowest free numbers among the facility's inclusive slots 1..N
        taken = taken_slots(session, facility.id, program)
        numbers = [k for k in range(1, inclusive_slots(facility) + 1) if k not in taken][:units]
    else:
        numbers = [0]
    try:
        with session.begin_nested():
            session.add(app)
            session.flush()
            session.add_all(
                SubsidySlot(application_id=app.id, facility_id=facility.id, program=program, slot_no=k)
                for k in numbers
            )
            session.flush()
    except IntegrityError:
        raise Invalid(
            "program",
            N_(
                "These places already have a subsidy or an application for one elsewhere; refresh and try again"
            ),
        ) from None
    audit.record(
        session,
        actor or "system",
        "subsidy.apply",
        f"cc_subsidy:{app.id}",
        {
            "facility_id": facility.id,
            "program": program,
            "units": units,
            "amount": app.amount,
            "slots": [min(numbers), max(numbers)],
        },
    )
    return app


def get_application(session: Session, application_id: int, scope: str | None = None) -> SubsidyApplication:
    app = session.get(SubsidyApplication, application_id)
    if app is None:
        raise NotFound(None, N_("Subsidy application %(key)s does not exist"), key=application_id)
    check_scope(session.get(Facility, app.facility_id).region_code, scope)
    return app


def transition(
    session: Session,
    application_id: int,
    action: str,
    on: dt.date,
    note: str | None = None,
    payment_ref: str | None = None,
    scope: str | None = None,
    actor=None,
    audit_detail: dict | None = None,
) -> SubsidyApplication:
    """`actor` (the signed-in account, or the bank-return import) is recorded in the audit log."""
    app = get_application(session, application_id, scope)
    target = MACHINE.next(app.status, action)
    if action == "reject" and not (note or "").strip():
        raise Invalid("note", N_("Rejection needs a reason"))
    if action == "pay" and not (payment_ref or "").strip():
        raise Invalid("payment_ref", N_("Enter the payment batch or transaction number"))
    if action == "cancel" and registered_for_payment(session, app.id):
        raise Invalid(
            "application_id",
            N_(
                "This subsidy was registered as paid through the one-card account or sent to the bank: it cannot be"
                " withdrawn (stop it under Disbursement first)"
            ),
        )
    if action in ("approve", "reject"):
        app.decided_on = on
    if action == "pay":
        app.paid_on, app.payment_ref = on, payment_ref.strip()
    if target in RELEASING:
        for row in session.scalars(select(SubsidySlot).where(SubsidySlot.application_id == app.id)):
            session.delete(row)
    before, app.status = app.status, target
    app.note = note or app.note
    session.flush()
    audit.record(
        session,
        actor or "system",
        "subsidy.paid" if action == "pay" else f"subsidy.{action}",
        f"cc_subsidy:{app.id}",
        {
            "from": before,
            "to": target,
            "on": on,
            "note": note,
            "payment_ref": payment_ref,
            **(audit_detail or {}),
        },
    )
    return app


def applications(
    session: Session, scope: str | None = None, status: str | None = None, facility_id: int | None = None
) -> list[SubsidyApplication]:
    q = select(SubsidyApplication, Facility.region_code).join(
        Facility, Facility.id == SubsidyApplication.facility_id
    )
    if status:
        q = q.where(SubsidyApplication.status == status)
    if facility_id is not None:
        q = q.where(SubsidyApplication.facility_id == facility_id)
    rows = session.execute(q.order_by(SubsidyApplication.id)).all()
    return [a for a, region in rows if places.is_within(region, scope)]


def application_dict(session: Session, app: SubsidyApplication) -> dict:
    facility = session.get(Facility, app.facility_id)
    return {
        "id": app.id,
        "facility_id": app.facility_id,
        "facility_name": facility.name,
        "program": app.program,
        "title": chinese(PROGRAMS[app.program]),
        "status": app.status,
        "status_label": chinese(SUBSIDY_STATUS[app.status]),
        "allowed_actions": MACHINE.allowed(app.status),
        "units": app.units,
        "amount": app.amount,
        "applied_on": app.applied_on.isoformat(),
        "decided_on": app.decided_on.isoformat() if app.decided_on else None,
        "paid_on": app.paid_on.isoformat() if app.paid_on else None,
        "payment_ref": app.payment_ref,
        "explanation": app.explanation,
        "citation": app.citation,
        "note": app.note,
    }
