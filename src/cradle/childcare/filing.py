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
from cradle.childcare.facilities import check_scope, get_facility, latest_filing
from cradle.childcare.models import Facility, Filing, FilingCheck, FilingEvent
from cradle.childcare.standards import CHECKLIST, assess
from cradle.childcare.statemachine import StateMachine
from cradle.childcare.validate import NOT_AN_OBJECT, choices
from cradle.childcare.vocab import CHECK_RESULTS, FILING_STATUS, chinese
from cradle.errors import N_, Invalid, NotFound

TRANSITIONS = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "complete"): "complete",
    ("submitted", "return"): "returned",
    ("complete", "return"): "returned",
    ("complete", "accept"): "accepted",
    ("accepted", "revoke"): "revoked",
}
MACHINE = StateMachine(
    TRANSITIONS,
    N_("Filing: state %(state)s does not allow %(action)s (allowed: %(allowed)s)"),
    N_("Filing: state %(state)s does not allow %(action)s (allowed: none)"),
)
OPERATOR_ACTIONS = {"submit"}
REVIEWER_ACTIONS = {"complete", "return", "accept", "revoke"}
# A new filing refused while the current one is in progress or accepted, by its state (named in the sentence)
FILED_ALREADY = {
    "draft": N_("%(facility)s already has a filing (a draft): continue with that filing"),
    "submitted": N_("%(facility)s already has a filing (submitted): continue with that filing"),
    "complete": N_("%(facility)s already has a filing (documents complete): continue with that filing"),
    "returned": N_("%(facility)s already has a filing (returned): continue with that filing"),
    "accepted": N_("%(facility)s already has a filing (filed): continue with that filing"),
}
# Review items are recorded only while the filing is under review
NOT_UNDER_REVIEW = {
    "draft": N_("The filing is a draft: review items cannot be recorded"),
    "returned": N_("The filing was returned: review items cannot be recorded"),
    "accepted": N_("The filing is accepted: review items cannot be recorded"),
    "revoked": N_("The filing was revoked: review items cannot be recorded"),
}


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
        raise Invalid("facility_id", FILED_ALREADY[current.status], facility=facility.name)
    filing = Filing(facility_id=facility.id, status="draft")
    session.add(filing)
    session.flush()
    if submit:
        transition(session, filing.id, "submit", actor=actor, on=on, role=role)
    return filing


def get_filing(session: Session, filing_id: int, scope: str | None = None) -> Filing:
    filing = session.get(Filing, filing_id)
    if filing is None:
        raise NotFound(None, N_("Filing %(key)s does not exist"), key=filing_id)
    check_scope(session.get(Facility, filing.facility_id).region_code, scope)
    return filing


def record_checks(
    session: Session, filing_id: int, checks: dict[str, dict | str], scope: str | None = None
) -> Filing:
    """Record checklist results: {item: "pass"|"fail"|"na"} or {item: {"result": ..., "note": ...}}."""
    filing = get_filing(session, filing_id, scope)
    if filing.status not in ("submitted", "complete"):
        raise Invalid("status", NOT_UNDER_REVIEW[filing.status])
    if not isinstance(checks, dict):
        raise Invalid("checks", NOT_AN_OBJECT)
    parsed = {}
    for item, value in checks.items():
        if item not in CHECKLIST:
            raise Invalid(f"checks.{item}", N_("Not an item of the setting standard"))
        result, note = (value.get("result"), value.get("note")) if isinstance(value, dict) else (value, None)
        if result not in CHECK_RESULTS:
            raise Invalid(
                f"checks.{item}",
                N_("The result should be one of %(choices)s"),
                choices=choices(CHECK_RESULTS),
            )
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
        raise Invalid("note", N_("Returning needs a reason"))
    if action == "accept":
        recorded = {c.item: c.result for c in filing.checks}
        missing = [k for k in CHECKLIST if k not in recorded]
        if missing:
            raise Invalid("checks", N_("Not yet reviewed: %(items)s"), items="、".join(missing))
        failed = [k for k, r in recorded.items() if r == "fail"]
        if failed:
            raise Invalid(
                "checks",
                N_("Does not meet the setting standard: %(items)s; return it for correction"),
                items="、".join(failed),
            )
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
        "status_label": chinese(FILING_STATUS[filing.status]),
        "allowed_actions": MACHINE.allowed(filing.status),
        "submitted_on": filing.submitted_on.isoformat() if filing.submitted_on else None,
        "decided_on": filing.decided_on.isoformat() if filing.decided_on else None,
        "checks": [
            {
                "item": c.item,
                "title": CHECKLIST[c.item]["title"],
                "result": c.result,
                "result_label": chinese(CHECK_RESULTS[c.result]),
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
