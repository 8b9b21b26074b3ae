"""The payments entitlement a facility subsidy application becomes (its claim `cc-subsidy:<id>`): registered and
settled by `subsidy_payments`, and asked about by `subsidies` before an application's slots are released."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.payments.models import Entitlement, Payment

CASE_PREFIX = "cc-subsidy:"


def case_ref(application_id: int) -> str:
    return f"{CASE_PREFIX}{application_id}"


def entitlement_of(session: Session, application_id: int) -> Entitlement | None:
    return session.execute(
        select(Entitlement).where(Entitlement.case_ref == case_ref(application_id))
    ).scalar_one_or_none()


def registered_for_payment(session: Session, application_id: int) -> bool:
    """Whether cancelling could free slots that are (or may yet be) paid: an active entitlement, or a payment of
    a stopped one that was not cancelled (sent to the bank, or paid)."""
    ent = entitlement_of(session, application_id)
    if ent is None:
        return False
    return (
        ent.status == "active"
        or session.scalar(
            select(Payment.id).where(Payment.entitlement_id == ent.id, Payment.status != "cancelled").limit(1)
        )
        is not None
    )
