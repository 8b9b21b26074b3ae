"""Facility subsidies paid through the payments flow (一卡通 / bank batch), like the other one-off payments.

A `payable` subsidy application becomes a one-off payment entitlement (`cradle.payments.entitlements.register`)
of the facility: beneficiary and payee are identified by its 统一社会信用代码, the money goes to the facility's
bank account given here, the amount is the approved one, the period `once`. The county's one-off batch for the
program (`cradle payments generate zibo.nursery_construction_subsidy once COUNTY`) then holds one payment for it,
the bank file carries it, and the bank's return `S` marks it paid, which marks the application `paid` (`settle`,
called by `cradle.payments.bankfile.import_return`).

Never twice, held by three unique constraints in a chain: a slot (or the once-per-facility award, slot 0) belongs
to one application (`uq_cc_subsidy_slot_unit`); an application has one entitlement, its claim `cc-subsidy:<id>`
(`uq_pay_entitlement_program_beneficiary_claim`); an entitlement gets one payment (`…_period_claim`). So a
top-up application for slots added later, or the award, is paid on its own, and no slot is paid twice. An
application's slots are only released (cancel) while nothing has been sent to the bank for it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.childcare import subsidies
from cradle.childcare.models import Facility, SubsidyApplication
from cradle.childcare.subsidy_entitlement import CASE_PREFIX, case_ref, entitlement_of
from cradle.errors import N_, Invalid
from cradle.payments import entitlements
from cradle.payments.models import Entitlement, Payment

_ACCOUNT = re.compile(r"^\d{12,32}$")
# Only an approved (payable) application is registered for payment; the refusal names its state
NOT_PAYABLE = {
    "applied": N_(
        "The subsidy application is applied for: only approved (awaiting payment) applications can have a"
        " payment recorded"
    ),
    "rejected": N_(
        "The subsidy application was rejected: only approved (awaiting payment) applications can have a payment"
        " recorded"
    ),
    "paid": N_(
        "The subsidy application is paid: only approved (awaiting payment) applications can have a payment recorded"
    ),
    "cancelled": N_(
        "The subsidy application was cancelled: only approved (awaiting payment) applications can have a payment"
        " recorded"
    ),
}


def register_payment(
    session: Session,
    actor,
    application_id: int,
    *,
    account_no: str,
    bank_code: str,
    account_name: str | None = None,
    scope: str | None = None,
) -> Entitlement:
    """Register the approved subsidy for payment to the facility's bank account. Registering the same application
    again returns its entitlement unchanged."""
    app = subsidies.get_application(session, application_id, scope)
    existing = entitlement_of(session, app.id)
    if existing is not None:
        return existing
    if app.status != "payable":
        raise Invalid("application_id", NOT_PAYABLE[app.status])
    account_no = (account_no or "").strip()
    if not _ACCOUNT.match(account_no):
        raise Invalid("account_no", N_("The corporate account should be 12–32 digits"))
    bank_code = (bank_code or "").strip()
    if not bank_code or len(bank_code) > 12:
        raise Invalid("bank_code", N_("Enter the bank code (at most 12 characters)"))
    facility = session.get(Facility, app.facility_id)
    payee = (account_name or facility.name).strip()
    if not payee or len(payee) > 64:
        raise Invalid("account_name", N_("The account name is required, at most 64 characters"))
    audit.record(
        session,
        actor,
        "subsidy.register_payment",
        f"cc_subsidy:{app.id}",
        {
            "program": app.program,
            "amount": app.amount,
            "units": app.units,
            "bank_code": bank_code,
            "account": f"…{account_no[-4:]}",
        },
    )
    return entitlements.register(
        session,
        actor,
        case_ref=case_ref(app.id),
        claim=case_ref(app.id),
        program=app.program,
        beneficiary_id_number=facility.credit_code,
        beneficiary_name=facility.name[:64],
        payee_id_number=facility.credit_code,
        payee_name=payee,
        account_no=account_no,
        bank_code=bank_code,
        county=facility.region_code,
        amount=Decimal(app.amount),
        frequency="once",
        start=app.decided_on,
        end=None,
    )


def settle(session: Session, actor, batch_no: str, payment_ids: list[int], on: dt.date | None = None) -> int:
    """Mark `payable` applications whose payment the bank reported paid as `paid`; returns how many changed.
    Applications already paid (the same return file imported again) are left as they are."""
    if not payment_ids:
        return 0
    rows = session.execute(
        select(Payment.id, Payment.bank_ref, Entitlement.case_ref)
        .join(Entitlement, Entitlement.id == Payment.entitlement_id)
        .where(
            Payment.id.in_(payment_ids),
            Payment.status == "paid",
            Entitlement.case_ref.like(f"{CASE_PREFIX}%"),
        )
    ).all()
    changed = 0
    for pid, bank_ref, ref in rows:
        app = session.get(SubsidyApplication, int(ref[len(CASE_PREFIX) :]))
        if app is None or app.status != "payable":
            continue
        reference = f"P{pid:012d}" + (f"/{bank_ref}" if bank_ref else "")  # 付款编号/银行流水号, ≤ 54 chars
        subsidies.transition(
            session,
            app.id,
            "pay",
            on or dt.date.today(),
            payment_ref=reference,
            actor=actor,
            audit_detail={"batch": batch_no, "payment": pid, "bank_ref": bank_ref, "amount": app.amount},
        )
        changed += 1
    return changed
