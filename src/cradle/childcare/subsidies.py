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
from cradle.childcare.errors import ChildcareError, NotFound
from cradle.childcare.facilities import check_scope, get_facility, latest_filing, total_slots
from cradle.childcare.inspections import credit_status
from cradle.childcare.models import Facility, SubsidyApplication, SubsidySlot
from cradle.childcare.statemachine import StateMachine
from cradle.childcare.subsidy_entitlement import registered_for_payment

CONSTRUCTION = "zibo.nursery_construction_subsidy"
AWARD = "zibo.demo_nursery_award"
PROGRAMS = {CONSTRUCTION: "普惠托育机构一次性建设补贴", AWARD: "市级示范托育机构一次性奖励"}
STATUS = {
    "applied": "已申请",
    "payable": "待支付",
    "rejected": "未通过",
    "paid": "已支付",
    "cancelled": "已撤销",
}
TRANSITIONS = {
    ("applied", "approve"): "payable",
    ("applied", "reject"): "rejected",
    ("payable", "pay"): "paid",
    ("payable", "cancel"): "cancelled",
}
MACHINE = StateMachine("托育机构补助", TRANSITIONS)
RELEASING = {"rejected", "cancelled"}

Calculator = Callable[[dict, dt.date], "dict | list[dict]"]


class EngineUnavailable(RuntimeError):
    pass


def engine_calculator() -> Calculator:
    try:
        module = importlib.import_module("cradle.policy.facility")
    except ImportError as exc:
        raise EngineUnavailable("规则引擎尚未提供 cradle.policy.facility.calc_facility") from exc
    calc = getattr(module, "calc_facility", None)
    if not callable(calc):
        raise EngineUnavailable("规则引擎尚未提供 cradle.policy.facility.calc_facility")
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
        raise ChildcareError("program", f"应为 {'、'.join(PROGRAMS)} 之一")
    facility = get_facility(session, facility_id, scope)
    filing = latest_filing(session, facility.id)
    if filing is None or filing.status != "accepted":
        raise ChildcareError("facility_id", f"{facility.name} 未完成备案，不能申请补助")
    if credit_status(session, facility.id, on) == "black":
        raise ChildcareError("facility_id", f"{facility.name} 在失信黑名单中，不能申请补助")
    data = engine_input(session, facility)
    if program == CONSTRUCTION and not facility.inclusive:
        raise ChildcareError("program", "仅普惠托育机构可申请建设补贴")
    if program == CONSTRUCTION and data["inclusive_slots"] == 0:
        raise ChildcareError("program", f"{facility.name} 的普惠托位已全部享受过建设补贴")
    if program == AWARD and granted_units(session, facility.id, AWARD):
        raise ChildcareError("program", f"{facility.name} 已享受过示范机构奖励")
    if program == AWARD and not facility.demonstration:
        raise ChildcareError("program", "仅市级示范托育机构可申请示范奖励")
    result = [e for e in _run(calc, data, on) if e.get("program") == program]
    if not result:
        raise ChildcareError(
            "program",
            f"规则引擎认定该机构在 {on} 不符合 {PROGRAMS[program]} 条件"
            f"（{places.name(facility.region_code)}）",
        )
    ent = result[0]
    if ent.get("amount") is None:
        raise ChildcareError("program", ent.get("note") or "补助标准未确定")
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
        raise ChildcareError("program", "这些托位已在其他申请中享受或申请了补助，请刷新后重试") from None
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
        raise NotFound("补助申请", application_id)
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
        raise ChildcareError("note", "不予通过须说明理由")
    if action == "pay" and not (payment_ref or "").strip():
        raise ChildcareError("payment_ref", "须填写支付批次或流水号")
    if action == "cancel" and registered_for_payment(session, app.id):
        raise ChildcareError(
            "application_id", "该补助已登记一卡通发放或已送银行，不能撤销（须先在发放中停发）"
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
        "title": PROGRAMS[app.program],
        "status": app.status,
        "status_label": STATUS[app.status],
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
