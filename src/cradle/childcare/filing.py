"""备案 filing: the facility files online, the county 卫健 reviews it against the 设置标准 checklist.

    draft ─submit─► submitted ─complete─► complete ─accept─► accepted ─revoke─► revoked
                        │                     │
                        └──────return─────────┴─► returned ─submit─► submitted

`accept` needs every checklist item recorded and none failed; `return` needs a reason. Every move is kept
in cc_filing_event.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare import places
from cradle.childcare.errors import ChildcareError, NotFound
from cradle.childcare.facilities import check_scope, get_facility, latest_filing
from cradle.childcare.models import Facility, Filing, FilingCheck, FilingEvent
from cradle.childcare.standards import CHECKLIST, RESULTS, assess
from cradle.childcare.statemachine import StateMachine
from cradle.childcare.vocab import FILING_STATUS

TRANSITIONS = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "complete"): "complete",
    ("submitted", "return"): "returned",
    ("complete", "return"): "returned",
    ("complete", "accept"): "accepted",
    ("accepted", "revoke"): "revoked",
}
MACHINE = StateMachine("备案", TRANSITIONS)
OPERATOR_ACTIONS = {"submit"}
REVIEWER_ACTIONS = {"complete", "return", "accept", "revoke"}


def open_filing(
    session: Session,
    facility_id: int,
    scope: str | None = None,
    actor: str | None = None,
    submit: bool = True,
    on: dt.date | None = None,
    role: str | None = None,
) -> Filing:
    """Start a filing for a facility (and submit it unless `submit=False`). A facility whose current filing
    is still in progress or accepted must continue that one."""
    facility = get_facility(session, facility_id, scope)
    current = latest_filing(session, facility.id)
    if current is not None and current.status != "revoked":
        raise ChildcareError(
            "facility_id",
            f"{facility.name} 已有备案（{FILING_STATUS[current.status]}），请在原备案上继续办理",
        )
    filing = Filing(facility_id=facility.id, status="draft")
    session.add(filing)
    session.flush()
    if submit:
        transition(session, filing.id, "submit", actor=actor, on=on, role=role)
    return filing


def get_filing(session: Session, filing_id: int, scope: str | None = None) -> Filing:
    filing = session.get(Filing, filing_id)
    if filing is None:
        raise NotFound("备案", filing_id)
    check_scope(session.get(Facility, filing.facility_id).region_code, scope)
    return filing


def record_checks(
    session: Session, filing_id: int, checks: dict[str, dict | str], scope: str | None = None
) -> Filing:
    """Record checklist results: {item: "pass"|"fail"|"na"} or {item: {"result": ..., "note": ...}}."""
    filing = get_filing(session, filing_id, scope)
    if filing.status not in ("submitted", "complete"):
        raise ChildcareError("status", f"备案状态为{FILING_STATUS[filing.status]}，不能记录审核项目")
    if not isinstance(checks, dict):
        raise ChildcareError("checks", "应为对象")
    parsed = {}
    for item, value in checks.items():
        if item not in CHECKLIST:
            raise ChildcareError(f"checks.{item}", "不是设置标准中的审核项目")
        result, note = (value.get("result"), value.get("note")) if isinstance(value, dict) else (value, None)
        if result not in RESULTS:
            raise ChildcareError(f"checks.{item}", f"结果应为 {'、'.join(RESULTS)} 之一")
        parsed[item] = (result, note)
    existing = {c.item: c for c in filing.checks}
    for item, (result, note) in parsed.items():
        row = existing.get(item)
        if row is None:
            filing.checks.append(FilingCheck(item=item, result=result, note=note))
        else:
            row.result, row.note = result, note
    session.flush()
    return filing


def transition(
    session: Session,
    filing_id: int,
    action: str,
    actor: str | None = None,
    note: str | None = None,
    scope: str | None = None,
    on: dt.date | None = None,
    role: str | None = None,
) -> Filing:
    """`actor` and `role`: the signed-in account (Actor.ref) and its role, kept on the step."""
    filing = get_filing(session, filing_id, scope)
    target = MACHINE.next(filing.status, action)
    day = on or dt.date.today()
    if action == "return" and not (note or "").strip():
        raise ChildcareError("note", "退回须说明理由")
    if action == "accept":
        recorded = {c.item: c.result for c in filing.checks}
        missing = [k for k in CHECKLIST if k not in recorded]
        if missing:
            raise ChildcareError("checks", f"尚未审核：{'、'.join(missing)}")
        failed = [k for k, r in recorded.items() if r == "fail"]
        if failed:
            raise ChildcareError("checks", f"不符合设置标准：{'、'.join(failed)}；请退回整改")
    if action == "submit":
        filing.submitted_on = day
    if action in ("accept", "return", "revoke"):
        filing.decided_on = day
    filing.events.append(
        FilingEvent(
            action=action,
            from_status=filing.status,
            to_status=target,
            actor=actor,
            actor_role=role,
            note=note,
        )
    )
    filing.status = target
    if action == "complete":  # pre-fill the items that can be judged from the registered record
        facility = session.get(Facility, filing.facility_id)
        have = {c.item for c in filing.checks}
        for item, value in assess(facility).items():
            if item not in have:
                filing.checks.append(
                    FilingCheck(item=item, result=value["result"], note="系统预审：" + value["note"])
                )
    session.flush()
    return filing


def queue(
    session: Session,
    scope: str | None = None,
    statuses: tuple[str, ...] = ("submitted", "complete"),
) -> list[Filing]:
    """Filings awaiting the reviewer (within `scope`), oldest submission first."""
    rows = session.execute(
        select(Filing, Facility.region_code)
        .join(Facility, Facility.id == Filing.facility_id)
        .where(Filing.status.in_(statuses))
        .order_by(Filing.submitted_on, Filing.id)
    ).all()
    return [f for f, region in rows if places.is_within(region, scope)]


def filing_dict(session: Session, filing: Filing) -> dict:
    facility = session.get(Facility, filing.facility_id)
    return {
        "id": filing.id,
        "facility_id": filing.facility_id,
        "facility_name": facility.name,
        "region_code": facility.region_code,
        "status": filing.status,
        "status_label": FILING_STATUS[filing.status],
        "allowed_actions": MACHINE.allowed(filing.status),
        "submitted_on": filing.submitted_on.isoformat() if filing.submitted_on else None,
        "decided_on": filing.decided_on.isoformat() if filing.decided_on else None,
        "checks": [
            {
                "item": c.item,
                "title": CHECKLIST[c.item]["title"],
                "result": c.result,
                "result_label": RESULTS[c.result],
                "note": c.note,
            }
            for c in filing.checks
        ],
        "pending_items": [k for k in CHECKLIST if k not in {c.item for c in filing.checks}],
        "history": [
            {
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "actor_role": e.actor_role,
                "note": e.note,
                "at": e.at.isoformat(timespec="seconds"),
            }
            for e in filing.events
        ],
    }
