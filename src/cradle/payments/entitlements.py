"""Entitlements: registered when a case is approved (or paid directly by 免申即享), stopped on death, moving away or
declining. Called by the services and childcare domains through these functions only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.errors import N_, Conflict, Forbidden, Invalid, NotFound
from cradle.fieldcrypt import keyring
from cradle.idcard import mask
from cradle.payments.models import Batch, Entitlement, Payment
from cradle.payments.periods import bounds
from cradle.services.offices import office, ref

STOP_REASONS = ("death", "moved_away", "declined", "ended")
FREQUENCIES = ("monthly", "yearly", "once")
ALREADY_ENTITLED = N_("This beneficiary already has a benefit under this programme")


def register(
    session: Session,
    actor: Actor | str,
    *,
    case_ref: str,
    program: str,
    beneficiary_id_number: str,
    beneficiary_name: str,
    payee_id_number: str,
    payee_name: str,
    account_no: str,
    bank_code: str,
    county: str,
    amount: Decimal,
    frequency: str,
    start: dt.date | None,
    end: dt.date | None,
    claim: str = "",
) -> Entitlement:
    """`actor`: who registers it, as the audit log names them (the caller's own name for the actor, or the Actor).
    `claim` tells apart distinct entitlements of one beneficiary under one program (a facility's subsidy
    applications); '' for a person's benefit, of which there is one per program."""
    if frequency not in FREQUENCIES:
        raise Invalid(
            "frequency", N_("The payment frequency should be %(choices)s"), choices=", ".join(FREQUENCIES)
        )
    if amount is None or Decimal(amount) <= 0:
        raise Invalid("amount", N_("Amount should be greater than 0"))
    if not account_no:
        raise Invalid("account_no", N_("A one-card account is needed"))
    row = Entitlement(
        case_ref=case_ref,
        program=program,
        beneficiary_id_number=beneficiary_id_number,
        claim=claim,
        beneficiary_name=beneficiary_name,
        payee_id_number=payee_id_number,
        payee_name=payee_name,
        account_no=account_no,
        bank_code=bank_code,
        county=county,
        amount=Decimal(amount),
        frequency=frequency,
        start=start or dt.date.today(),
        end=end,
    )
    # The unique key compares ciphertext, which differs under two keys while `cradle keys rotate` is part-way;
    # this look-up matches the ID number under every key (a second case let in meanwhile gets no second payee).
    if (
        session.execute(
            select(Entitlement.id)
            .where(
                Entitlement.program == program,
                Entitlement.beneficiary_id_number == beneficiary_id_number,
                Entitlement.claim == claim,
            )
            .limit(1)
        ).first()
        is not None
    ):
        raise Conflict("beneficiary", ALREADY_ENTITLED)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict("beneficiary", ALREADY_ENTITLED) from None
    audit.record(
        session,
        actor,
        "entitlement.register",
        f"entitlement:{row.id}",
        {
            "case": case_ref,
            "program": program,
            "beneficiary": mask(beneficiary_id_number),
            "claim": claim,
            "amount": str(row.amount),
            "frequency": frequency,
            "start": row.start,
            "end": end,
        },
    )
    return row


def stop(
    session: Session,
    actor: Actor,
    program: str | None,
    beneficiary_id_number: str,
    reason: str,
    effective: dt.date,
) -> list[Entitlement]:
    """Stop the beneficiary's entitlements (one program, or all when `program` is None). Unsent payments for
    periods the stop rules out are cancelled; what was already sent stays for reconciliation."""
    if reason not in STOP_REASONS:
        raise Invalid("reason", N_("The stop reason should be %(choices)s"), choices=", ".join(STOP_REASONS))
    name = office(actor)
    if name not in ("county", "finance", "system", "citizen"):
        raise Forbidden("actor.role", N_("Not allowed to stop payments"))
    q = select(Entitlement).where(
        Entitlement.beneficiary_id_number == beneficiary_id_number, Entitlement.status == "active"
    )
    if program:
        q = q.where(Entitlement.program == program)
    rows = list(session.execute(q.with_for_update()).scalars())
    if not rows:
        raise NotFound("beneficiary", N_("No benefit is being paid"))
    for ent in rows:
        if name in ("county", "finance") and actor.county != ent.county:
            raise Forbidden("actor.scope", N_("The benefit is outside your jurisdiction"))
        ent.status, ent.stop_reason, ent.stop_date = "stopped", reason, effective
        cancelled = 0
        unsent = (
            select(Payment)
            .join(Batch, Batch.id == Payment.batch_id)
            .where(
                Payment.entitlement_id == ent.id,
                ((Payment.status == "pending") & (Batch.status == "draft"))
                | Payment.status.in_(("failed", "returned")),
            )
        )
        # the batch rows locked (in id order: no deadlock between two stops): an export claiming the batch
        # meanwhile makes its pending payments sent, and the re-checked condition leaves them alone
        unsent = unsent.order_by(Batch.id, Payment.id).with_for_update(of=Batch)
        for pay in session.execute(unsent).scalars():
            if ent.frequency == "once" or effective < bounds(pay.period, ent.frequency)[1]:
                pay.status, pay.failure_reason = "cancelled", f"停发：{reason}"
                cancelled += 1
        audit.record(
            session,
            ref(actor),
            "entitlement.stop",
            f"entitlement:{ent.id}",
            {"reason": reason, "effective": effective, "cancelled_payments": cancelled},
        )
    return rows


def of_beneficiary(session: Session, id_number: str) -> list[Entitlement]:
    return list(
        session.execute(
            select(Entitlement).where(
                (Entitlement.beneficiary_id_number == id_number) | (Entitlement.payee_id_number == id_number)
            )
        ).scalars()
    )


def payments_of(session: Session, id_number: str) -> list[Payment]:
    ids = select(Entitlement.id).where(
        (Entitlement.beneficiary_id_number == id_number) | (Entitlement.payee_id_number == id_number)
    )
    return list(
        session.execute(
            select(Payment).where(Payment.entitlement_id.in_(ids)).order_by(Payment.period.desc())
        ).scalars()
    )


def end_expired(session: Session, on: dt.date) -> int:
    """Mark entitlements whose period has ended (the third birthday) as stopped with reason `ended`."""
    result = session.execute(
        update(Entitlement)
        .where(Entitlement.status == "active", Entitlement.end.is_not(None), Entitlement.end <= on)
        .values(status="stopped", stop_reason="ended", stop_date=Entitlement.end)
    )
    return result.rowcount or 0


_COLUMNS = (
    "case_ref",
    "program",
    "beneficiary_id_number",
    "claim",
    "beneficiary_name",
    "payee_id_number",
    "payee_name",
    "account_no",
    "bank_code",
    "county",
    "amount",
    "frequency",
    "start",
    "end",
    "status",
)
_INSERT_MANY = text(
    f"INSERT INTO pay_entitlement ({', '.join(chr(34) + c + chr(34) for c in _COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _COLUMNS)}) ON CONFLICT DO NOTHING"
)


def register_many(session: Session, actor: Actor | str, county: str, rows: list[dict]) -> int:
    """`register` for a whole approved list at once (the yearly assistance cycle: tens of thousands), in one
    statement with the ID numbers encrypted by one key ring; one audit entry names the count and the cases.
    Each row has `register`'s keyword arguments (claim ''); a bad row is refused naming `rows[i].<field>` and
    nothing is stored; a beneficiary who already has the program's benefit keeps it (ON CONFLICT DO NOTHING).
    Answers how many were registered."""
    ring = keyring()
    params = []
    for i, r in enumerate(rows):
        if r.get("frequency") not in FREQUENCIES:
            raise Invalid(
                f"rows[{i}].frequency",
                N_("The payment frequency should be %(choices)s"),
                choices=", ".join(FREQUENCIES),
            )
        if r.get("amount") is None or Decimal(r["amount"]) <= 0:
            raise Invalid(f"rows[{i}].amount", N_("Amount should be greater than 0"))
        if not r.get("account_no"):
            raise Invalid(f"rows[{i}].account_no", N_("A one-card account is needed"))
        params.append(
            {
                **{c: r.get(c) for c in _COLUMNS},
                "beneficiary_id_number": ring.encrypt(r["beneficiary_id_number"]),
                "payee_id_number": ring.encrypt(r["payee_id_number"]),
                "claim": "",
                "county": county,
                "amount": str(Decimal(r["amount"]).quantize(Decimal("0.01"))),
                "status": "active",
            }
        )
    if not params:
        return 0
    before = session.execute(select(func.count()).select_from(Entitlement)).scalar_one()
    session.flush()
    session.execute(_INSERT_MANY, params)
    added = session.execute(select(func.count()).select_from(Entitlement)).scalar_one() - before
    audit.record(
        session,
        actor,
        "entitlement.register_many",
        f"entitlements:{county}",
        {
            "registered": added,
            "programs": sorted({r["program"] for r in rows}),
            "cases": [r["case_ref"] for r in rows][:1000],
        },
    )
    return added
