"""County-set standards: where a document leaves the figure to the county, the county's decision is recorded here
and used as the engine's parameter for that county (never a made-up figure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import text
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.payments.errors import Forbidden, Invalid
from cradle.payments.models import Rate
from cradle.policy.packs import programs_for


def set_rate(
    session: Session, actor, program: str, county: str, start: dt.date, amount, decision: str
) -> Rate:
    if getattr(actor, "role", None) != "county" or actor.county != county:
        raise Forbidden("actor", "县区标准须由本县区工作人员录入")
    if not regions.exists(county) or regions.get(county).level != "county":
        raise Invalid("county", "应为县级行政区划代码")
    if program not in {p.id for p in programs_for(county)}:
        raise Invalid("program", f"{program} 不适用于 {county}，不能录入县区标准")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise Invalid("amount", "金额应为数字") from None
    if not (Decimal(0) < value < Decimal(100000)):
        raise Invalid("amount", "金额应大于0且小于100000")
    if not (decision or "").strip():
        raise Invalid("decision", "请填写县区核定文件文号")
    row = Rate(
        program=program,
        county=county,
        start=start,
        amount=value.quantize(Decimal("0.01")),
        decision=decision.strip(),
        decided_by=actor.ref,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "rate.set",
        f"rate:{program}:{county}",
        {"start": start, "amount": str(row.amount), "decision": row.decision},
    )
    return row


_RATE_ON = text(
    "SELECT amount FROM pay_rate WHERE program = :p AND county = :c AND start <= :on "
    "ORDER BY start DESC LIMIT 1"
)


def rate_on(session: Session, program: str, county: str, on: dt.date) -> Decimal | None:
    """The county's standard in force on `on` (one plain statement: it runs on every submission)."""
    value = session.execute(_RATE_ON, {"p": program, "c": county, "on": on}).scalar()
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
