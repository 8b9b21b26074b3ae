"""Monthly cycles and one-off payments: a batch per program, period and county, generated set-based.

`generate()` inserts one payment per payable entitlement with `ON CONFLICT DO NOTHING` against the unique
(program, beneficiary, period, claim) constraint, so concurrent or replayed generation can never pay twice. The
regular batch's number is deterministic (program, county, period), so a second generation of the same cycle is
refused. One-off programs may need more than one batch (a facility subsidy approved after the first batch): the
n-th gets `-n` appended, and is refused when it would hold nothing new.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.childcare.subsidies import PROGRAMS as FACILITY_PROGRAMS
from cradle.errors import N_, Conflict, Forbidden, NotFound
from cradle.ops.runs import record_run
from cradle.payments.models import Batch, Entitlement, Payment
from cradle.payments.periods import bounds
from cradle.services.catalogue import service_program
from cradle.services.offices import office, ref

_INSERT = """
INSERT INTO pay_payment (batch_id, entitlement_id, program, beneficiary_id_number, period, claim, amount, status,
                         attempt)
SELECT :batch, e.id, e.program, e.beneficiary_id_number, :period, e.claim, e.amount, 'pending', 1
FROM pay_entitlement e
WHERE e.program = :program AND e.county = :county AND e.frequency = :frequency
  AND e.start < :after AND (e."end" IS NULL OR e."end" >= :after)
  AND (e.stop_date IS NULL OR e.stop_date >= :after) {once}
ON CONFLICT DO NOTHING
"""


NOTHING_NEW_ONCE = N_(
    "%(program)s: the one-off payment already has a batch; no new benefits to pay (%(county)s)"
)


def _require_finance(actor: Actor, county: str) -> None:
    name = office(actor)
    if name not in ("finance", "county", "system"):
        raise Forbidden("actor.role", N_("Payment batches are for finance or county staff"))
    if name != "system" and actor.county != county:
        raise Forbidden("actor.scope", N_("The county is outside your jurisdiction"))


def frequency_of(program: str) -> str:
    if (
        program in FACILITY_PROGRAMS
    ):  # 淄博 facility subsidies: one-off, registered by childcare.subsidy_payments
        return "once"
    return service_program(program).frequency


def generate(session: Session, actor: Actor, program: str, period: str, county: str) -> Batch:
    started = time.perf_counter()
    _require_finance(actor, county)
    frequency = frequency_of(program)
    _first, after = bounds(period, frequency)
    before = 0
    if frequency == "once":
        before = session.execute(
            select(func.count())
            .select_from(Batch)
            .where(
                Batch.program == program,
                Batch.period == period,
                Batch.county == county,
                Batch.kind == "regular",
            )
        ).scalar()
        if before and not _unpaid_once(session, program, county, period):
            raise Conflict("period", NOTHING_NEW_ONCE, program=program, county=county)
    batch_no = f"{program}-{county}-{period}" + (f"-{before + 1}" if before else "")
    batch = Batch(batch_no=batch_no, program=program, period=period, county=county, created_by=ref(actor))
    try:
        with session.begin_nested():
            session.add(batch)
            session.flush()
    except IntegrityError:
        raise Conflict(
            "period",
            N_("A batch for %(program)s %(period)s has already been generated (%(county)s)"),
            program=program,
            period=period,
            county=county,
        ) from None
    once = "AND e.status = 'active'" if frequency == "once" else ""
    params = {
        "batch": batch.id,
        "period": period,
        "program": program,
        "county": county,
        "frequency": frequency,
        "after": after,
    }
    session.execute(text(_INSERT.format(once=once)), params)
    _totals(session, batch)
    if before and batch.count == 0:  # a replayed one-off generation inserted nothing: no empty batch
        session.delete(batch)
        session.flush()
        raise Conflict("period", NOTHING_NEW_ONCE, program=program, county=county)
    audit.record(
        session,
        batch.created_by,
        "batch.generate",
        f"batch:{batch.batch_no}",
        {"count": batch.count, "total": str(batch.total)},
    )
    record_run("payment", time.perf_counter() - started, batch.count, session=session)
    return batch


def _unpaid_once(session: Session, program: str, county: str, period: str) -> bool:
    """Whether an active one-off entitlement of the county has no payment yet (checked before a follow-up batch
    is made, so a replay leaves no empty batch behind). Matched by entitlement, not by the encrypted ID number,
    whose text differs between entitlement and payment while a key rotation is part-way."""
    paid = select(Payment.id).where(
        Payment.entitlement_id == Entitlement.id,
        Payment.period == period,
        Payment.claim == Entitlement.claim,
    )
    return (
        session.execute(
            select(Entitlement.id)
            .where(
                Entitlement.program == program,
                Entitlement.county == county,
                Entitlement.frequency == "once",
                Entitlement.status == "active",
                ~paid.exists(),
            )
            .limit(1)
        ).first()
        is not None
    )


def _totals(session: Session, batch: Batch) -> None:
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount), 0)).where(Payment.batch_id == batch.id)
    ).one()
    batch.count, batch.total = count, Decimal(str(total)).quantize(Decimal("0.01"))


def retry_failures(session: Session, actor: Actor, program: str, period: str, county: str) -> Batch:
    """Failed and returned payments of a cycle go into a retry batch: the same payment rows (attempt + 1)."""
    _require_finance(actor, county)
    frequency = frequency_of(program)
    _first, after = bounds(period, frequency)
    rows = list(
        session.execute(
            select(Payment)
            .join(Entitlement, Entitlement.id == Payment.entitlement_id)
            .where(
                Payment.program == program,
                Payment.period == period,
                Entitlement.county == county,
                Payment.status.in_(("failed", "returned")),
            )
            .with_for_update()
        ).scalars()
    )
    if not rows:
        raise NotFound("period", N_("No failed or returned payment in that period"))
    n = session.execute(
        select(func.count())
        .select_from(Batch)
        .where(
            Batch.program == program, Batch.period == period, Batch.county == county, Batch.kind == "retry"
        )
    ).scalar()
    batch = Batch(
        batch_no=f"{program}-{county}-{period}-R{n + 1}",
        program=program,
        period=period,
        county=county,
        kind="retry",
        created_by=ref(actor),
    )
    try:
        with session.begin_nested():
            session.add(batch)
            session.flush()
    except IntegrityError:
        raise Conflict("period", N_("A resend batch is being generated; please try again shortly")) from None
    for pay in rows:
        pay.batch_id, pay.status, pay.attempt, pay.bank_ref = batch.id, "pending", pay.attempt + 1, None
        pay.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.flush()
    _totals(session, batch)
    audit.record(
        session,
        batch.created_by,
        "batch.retry",
        f"batch:{batch.batch_no}",
        {"count": batch.count, "total": str(batch.total), "payments": [p.id for p in rows][:1000]},
    )
    return batch


def get_batch(session: Session, actor: Actor, batch_no: str) -> Batch:
    batch = session.execute(select(Batch).where(Batch.batch_no == batch_no)).scalar_one_or_none()
    if batch is None:
        raise NotFound("batch_no", N_("No such batch"))
    _require_finance(actor, batch.county)
    return batch


def batches(session: Session, actor: Actor, county: str) -> list[Batch]:
    _require_finance(actor, county)
    return list(
        session.execute(select(Batch).where(Batch.county == county).order_by(Batch.id.desc())).scalars()
    )


def summary(session: Session, batch: Batch) -> dict:
    """Reconciliation: how many payments (and how much) are in each state."""
    rows = session.execute(
        select(Payment.status, func.count(), func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.batch_id == batch.id)
        .group_by(Payment.status)
    ).all()
    by = {
        status: {"count": n, "amount": str(Decimal(str(total)).quantize(Decimal("0.01")))}
        for status, n, total in rows
    }
    return {
        "batch_no": batch.batch_no,
        "status": batch.status,
        "count": batch.count,
        "total": str(batch.total),
        "by_status": by,
    }


def check_period(program: str, period: str) -> None:
    bounds(period, frequency_of(program))


def payments_in(session: Session, batch: Batch, limit: int = 500) -> list[Payment]:
    return list(
        session.execute(
            select(Payment).where(Payment.batch_id == batch.id).order_by(Payment.id).limit(limit)
        ).scalars()
    )
