"""Browser sessions: a random key in a signed, HTTP-only, Secure, SameSite=Lax cookie; the database keeps the
key's SHA-256, the account and the session's CSRF token, so signing out ends the session everywhere."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cradle.auth.models import Account, WebSession, utcnow
from cradle.config import get_settings

COOKIE = "cradle_session"
CSRF_COOKIE = "cradle_csrf"  # before sign-in: double-submit token for the sign-in and registration forms
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LIFETIME = dt.timedelta(hours=12)


def cookie_secure() -> bool:
    """Secure cookies unless CRADLE_INSECURE_COOKIES=1 (plain-http development only)."""
    return get_settings().insecure_cookies != "1"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="cradle.session")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, account: Account) -> tuple[str, WebSession]:
    """A new session for `account`: (cookie value, row)."""
    key = secrets.token_urlsafe(32)
    row = WebSession(
        key_hash=_digest(key),
        account_id=account.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=utcnow(),
        expires_at=utcnow() + LIFETIME,
    )
    session.add(row)
    session.flush()
    return _serializer().dumps(key), row


def lookup(session: Session, cookie: str | None) -> tuple[WebSession, Account] | None:
    """The live session and its active account for a cookie value, or None."""
    if not cookie:
        return None
    try:
        key = _serializer().loads(cookie)
    except BadSignature:
        return None
    found = session.execute(
        select(WebSession, Account)
        .join(Account, Account.id == WebSession.account_id)
        .where(WebSession.key_hash == _digest(str(key)))
    ).first()
    if found is None:
        return None
    row, account = found
    if row.ended_at is not None or row.expires_at <= utcnow() or not account.active:
        return None
    return row, account


def end(session: Session, row: WebSession) -> None:
    row.ended_at = utcnow()


def end_all(session: Session, account_id: int) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.account_id == account_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)
