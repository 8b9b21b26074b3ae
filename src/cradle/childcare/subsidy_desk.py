"""What the officials' desk (page, API, CLI) does with an approved facility subsidy: register it for payment
and describe the result, one function for all three so they answer alike."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cradle.childcare import subsidies, subsidy_payments
from cradle.payments.models import Entitlement


def entitlement_dict(ent: Entitlement | None) -> dict | None:
    if ent is None:
        return None
    return {
        "id": ent.id,
        "case_ref": ent.case_ref,
        "claim": ent.claim,
        "program": ent.program,
        "amount": f"{ent.amount:.2f}",
        "payee_name": ent.payee_name,
        "account": f"…{ent.account_no[-4:]}",
        "bank_code": ent.bank_code,
        "county": ent.county,
        "status": ent.status,
    }


def describe(session: Session, application_id: int, scope: str | None = None) -> dict:
    """The application with its payment entitlement (if registered) and the batch command that pays it."""
    app = subsidies.get_application(session, application_id, scope)
    ent = subsidy_payments.entitlement_of(session, app.id)
    return {
        "application": subsidies.application_dict(session, app),
        "entitlement": entitlement_dict(ent),
        "batch_command": f"cradle payments generate {ent.program} once {ent.county}" if ent else None,
    }


def register_and_describe(
    session: Session, actor, application_id: int, fields: dict, scope: str | None = None
) -> dict:
    subsidy_payments.register_payment(
        session,
        actor,
        application_id,
        account_no=fields.get("account_no") or "",
        bank_code=fields.get("bank_code") or "",
        account_name=fields.get("account_name") or None,
        scope=scope,
    )
    session.flush()
    return describe(session, application_id, scope)
