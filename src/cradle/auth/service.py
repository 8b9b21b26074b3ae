"""What the API and the pages share: sign a browser in or out, describe an account."""

from __future__ import annotations

from fastapi import Request, Response
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth import masking, roles, sessions
from cradle.auth.actor import from_account
from cradle.auth.models import Account, WebSession


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in_browser(db: Session, request: Request, response: Response, account: Account) -> WebSession:
    """A fresh session (never the one the browser came with), its cookie set on `response`."""
    old = getattr(request.state, "web_session_id", None)
    if old is not None and (row := db.get(WebSession, old)) is not None:
        sessions.end(db, row)
    cookie, row = sessions.start(db, account)
    response.set_cookie(
        sessions.COOKIE,
        cookie,
        max_age=int(sessions.LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        secure=sessions.cookie_secure(),
        samesite="lax",
    )
    audit.record(
        db,
        from_account(account, "session"),
        "auth.sign_in",
        f"account:{account.id}",
        {"client": client_of(request)},
    )
    return row


def sign_out_browser(db: Session, request: Request, response: Response) -> None:
    row_id = getattr(request.state, "web_session_id", None)
    if row_id is not None and (row := db.get(WebSession, row_id)) is not None:
        sessions.end(db, row)
    response.delete_cookie(
        sessions.COOKIE, path="/", httponly=True, secure=sessions.cookie_secure(), samesite="lax"
    )


def account_dict(db: Session, viewer, account: Account) -> dict:
    """An account as `viewer` may see it: numbers masked unless they are the viewer's own."""
    shown = masking.show_person(
        db,
        viewer,
        subject=f"account:{account.id}",
        region=account.region,
        id_number=account.id_number,
        phone=account.phone,
        purpose="account",
    )
    return {
        "id": account.id,
        "username": account.username if account.role != roles.CITIZEN else shown["id_number"],
        "role": account.role,
        "region": account.region,
        "department": account.department,
        "facility_id": account.facility_id,
        "institution_id": account.institution_id,
        "name": account.name,
        "id_number": shown["id_number"] or None,
        "phone": shown["phone"] or None,
        "registry_status": account.registry_status,
        "active": account.active,
    }
