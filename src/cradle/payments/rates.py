"""County-set standards: where a document leaves the figure to the county, the county's decision is recorded here
and used as the engine's parameter for that county (never a made-up figure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import text
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.auth.actor import Actor
from cradle.db import DriverStatement
from cradle.errors import N_, Forbidden, Invalid
from cradle.payments.models import Rate
from cradle.policy.packs import programs_for
from cradle.services.offices import office, ref


def set_rate(
    session: Session, actor: Actor, program: str, county: str, start: dt.date, amount, decision: str
) -> Rate:
    if office(actor) != "county" or actor.county != county:
        raise Forbidden("actor", N_("The county standard must be entered by staff of that county"))
    if not regions.exists(county) or regions.get(county).level != "county":
        raise Invalid("county", N_("Should be a county-level region code"))
    if program not in {p.id for p in programs_for(county)}:
        raise Invalid(
            "program",
            N_("%(program)s does not apply to %(county)s: no county rate can be entered"),
            program=program,
            county=county,
        )
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise Invalid("amount", N_("Amount should be a number")) from None
    if not (Decimal(0) < value < Decimal(100000)):
        raise Invalid("amount", N_("Amount should be greater than 0 and less than 100000"))
    if not (decision or "").strip():
        raise Invalid("decision", N_("Enter the county's approval document number"))
    row = Rate(
        program=program,
        county=county,
        start=start,
        amount=value.quantize(Decimal("0.01")),
        decision=decision.strip(),
        decided_by=ref(actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        row.decided_by,
        "rate.set",
        f"rate:{program}:{county}",
        {"start": start, "amount": str(row.amount), "decision": row.decision},
    )
    return row


_RATE_ON = DriverStatement(  # on the driver's cursor on PostgreSQL
    text(
        "SELECT amount FROM pay_rate WHERE program = :p AND county = :c AND start <= :on "
        "ORDER BY start DESC LIMIT 1"
    )
)


def rate_on(session: Session, program: str, county: str, on: dt.date) -> Decimal | None:
    """The county's standard in force on `on` (one plain statement: it runs on every submission)."""
    row = _RATE_ON.first(session, {"p": program, "c": county, "on": on})
    value = None if row is None else row[0]
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
