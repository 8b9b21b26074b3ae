"""API tokens for systems: `cradle_<prefix>_<secret>`, shown once when issued; the database keeps the prefix
(to find the row) and the SHA-256 of the secret (tokens are 256-bit random, so a fast hash is enough)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.errors import Forbidden, Invalid
from cradle.auth.models import Account, ApiToken, utcnow
from cradle.web.nav import N_

PREFIX = "cradle_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session: Session, actor, name: str, days: int | None = 365) -> tuple[str, ApiToken]:
    """(the token, shown this once; its row)."""
    name = (name or "").strip()
    if not name:
        raise Invalid("name", "required", N_("Name the token (which system uses it)."))
    if days is not None and not (1 <= days <= 3650):
        raise Invalid("days", "range", N_("A token lasts 1 to 3650 days."))
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    row = ApiToken(prefix=prefix, secret_hash=_digest(secret), account_id=actor.account_id, name=name[:80],
                   created_at=utcnow(), expires_at=utcnow() + dt.timedelta(days=days) if days else None)
    session.add(row)
    session.flush()
    audit.record(session, actor, "auth.token_issued", f"token:{prefix}", {"name": row.name})
    return f"{PREFIX}{prefix}_{secret}", row


def lookup(session: Session, token: str | None) -> tuple[ApiToken, Account] | None:
    if not token or not token.startswith(PREFIX):
        return None
    prefix, _, secret = token[len(PREFIX):].partition("_")
    found = session.execute(select(ApiToken, Account).join(Account, Account.id == ApiToken.account_id)
                            .where(ApiToken.prefix == prefix)).first()
    if found is None:
        return None
    row, account = found
    if not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now) or not account.active:
        return None
    row.last_used_at = now
    return row, account


def of_account(session: Session, account_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.account_id == account_id).order_by(ApiToken.id)))


def revoke(session: Session, actor, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or row.account_id != actor.account_id:
        raise Forbidden("token_id", "not_yours", N_("No such token among yours."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, actor, "auth.token_revoked", f"token:{row.prefix}", {})
    return row


def token_dict(row: ApiToken) -> dict:
    iso = lambda v: v.isoformat() if v else None  # noqa: E731
    return {"id": row.id, "name": row.name, "prefix": row.prefix, "created_at": iso(row.created_at),
            "expires_at": iso(row.expires_at), "last_used_at": iso(row.last_used_at),
            "revoked": row.revoked_at is not None}
