"""API tokens for systems: `cradle_<prefix>_<secret>`, shown once when issued; the database keeps the prefix
(to find the row) and the SHA-256 of the secret (tokens are 256-bit random, so a fast hash is enough).

A checked token is remembered in the process for `CACHE_SECONDS` (keyed by an HMAC of the token under the secret
key, never the token itself), so a system calling many times a second costs one database look-up per window, not
one per request. Revoking clears it here at once; other server processes follow within `CACHE_SECONDS`, and
`last_used_at` is as fresh as that window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import from_account
from cradle.auth.models import Account, ApiToken, utcnow
from cradle.config import get_settings
from cradle.db import DriverStatement
from cradle.errors import Forbidden, Invalid
from cradle.web.nav import N_

PREFIX = "cradle_"
CACHE_SECONDS = 10.0
CACHE_SIZE = 10_000
_cache: dict[
    bytes, tuple[float, int, object]
] = {}  # keyed token → (monotonic deadline, token id, auth Actor)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session: Session, actor, name: str, days: int | None = 365) -> tuple[str, ApiToken]:
    """(the token, shown this once; its row)."""
    name = (name or "").strip()
    if not name:
        raise Invalid("name", N_("Name the token (which system uses it)."), code="required")
    if days is not None and not (1 <= days <= 3650):
        raise Invalid("days", N_("A token lasts 1 to 3650 days."), code="range")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    row = ApiToken(
        prefix=prefix,
        secret_hash=_digest(secret),
        account_id=actor.account_id,
        name=name[:80],
        created_at=utcnow(),
        expires_at=utcnow() + dt.timedelta(days=days) if days else None,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "auth.token_issued", f"token:{prefix}", {"name": row.name})
    return f"{PREFIX}{prefix}_{secret}", row


def lookup(session: Session, token: str | None) -> tuple[ApiToken, Account] | None:
    if not token or not token.startswith(PREFIX):
        return None
    prefix, _, secret = token[len(PREFIX) :].partition("_")
    found = session.execute(
        select(ApiToken, Account)
        .join(Account, Account.id == ApiToken.account_id)
        .where(ApiToken.prefix == prefix)
    ).first()
    if found is None:
        return None
    row, account = found
    if not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    now = utcnow()
    if (
        row.revoked_at is not None
        or (row.expires_at is not None and row.expires_at <= now)
        or not account.active
    ):
        return None
    row.last_used_at = now
    return row, account


def _check_statements() -> dict[str, tuple]:
    """The token check's statements, built once with bound parameters: building and keying a new statement per
    request cost more than running it. On PostgreSQL one UPDATE … FROM … RETURNING; SQLite's RETURNING cannot
    name the FROM table, so there a SELECT and an UPDATE."""
    t, a = ApiToken.__table__, Account.__table__
    live = (
        t.c.prefix == bindparam("b_prefix"),
        t.c.secret_hash == bindparam("digest"),
        t.c.revoked_at.is_(None),
        or_(t.c.expires_at.is_(None), t.c.expires_at > bindparam("now")),
        a.c.active.is_(True),
    )
    cols = (
        t.c.id.label("token_id"),
        t.c.expires_at,
        a.c.id,
        a.c.role,
        a.c.region,
        a.c.department,
        a.c.id_number,
        a.c.name,
        a.c.facility_id,
        a.c.institution_id,
    )
    touch = update(t).values(last_used_at=bindparam("now"))
    return {
        # on the driver's cursor: the statement of every bearer-token request
        "postgresql": (DriverStatement(touch.where(t.c.account_id == a.c.id, *live).returning(*cols)),),
        "sqlite": (
            select(*cols).join_from(t, a, a.c.id == t.c.account_id).where(*live),
            touch.where(t.c.id == bindparam("b_token_id")),
        ),
    }


_CHECK = _check_statements()


def check(conn, token: str | None) -> tuple[int, object] | None:
    """(token id, auth Actor) for a valid token, its `last_used_at` set, as Core statements on `conn` (committed
    by the caller, or in autocommit): what `lookup` does, without the ORM's unit of work on every request's first
    use. The secret's digest is compared in SQL, which tells a timing observer nothing usable (a 256-bit random
    secret's SHA-256, never the secret)."""

    if not token or not token.startswith(PREFIX):
        return None
    prefix, _, secret = token[len(PREFIX) :].partition("_")
    params = {"b_prefix": prefix, "digest": _digest(secret), "now": utcnow()}
    statements = _CHECK[conn.dialect.name]
    if len(statements) == 1:  # PostgreSQL
        row = statements[0].first(conn, params)
    else:
        row = conn.execute(statements[0], params).first()
    if row is None:
        return None
    if len(statements) > 1:  # SQLite: stamp the row found
        conn.execute(statements[1], {"now": params["now"], "b_token_id": row.token_id})
    actor = from_account(row, "token")
    remember(token, row, actor)
    return row.token_id, actor


def _cache_key(token: str) -> bytes:
    return hmac.new(get_settings().secret_key.encode(), token.encode(), hashlib.sha256).digest()


def cached(token: str | None) -> tuple[int, object] | None:
    """(token id, auth Actor) when `token` was found valid less than CACHE_SECONDS ago in this process."""
    if not token or not _cache:
        return None
    key = _cache_key(token)
    hit = _cache.get(key)
    if hit is None:
        return None
    if hit[0] <= time.monotonic():
        _cache.pop(key, None)
        return None
    return hit[1], hit[2]


def remember(token: str, row, actor) -> None:
    """Keep a valid token's actor for CACHE_SECONDS, never past the token's own expiry (`row`: `check`'s row)."""
    ttl = CACHE_SECONDS
    if row.expires_at is not None:
        ttl = min(ttl, (row.expires_at - utcnow()).total_seconds())
    if ttl <= 0:
        return
    if len(_cache) >= CACHE_SIZE:
        _cache.clear()  # simplest bound: a full cache starts over
    _cache[_cache_key(token)] = (time.monotonic() + ttl, row.token_id, actor)


def forget(token_id: int) -> None:
    for key in [k for k, v in _cache.items() if v[1] == token_id]:
        _cache.pop(key, None)


def of_account(session: Session, account_id: int) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.account_id == account_id).order_by(ApiToken.id))
    )


def revoke(session: Session, actor, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or row.account_id != actor.account_id:
        raise Forbidden("token_id", N_("No such token among yours."), code="not_yours")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        forget(row.id)
        audit.record(session, actor, "auth.token_revoked", f"token:{row.prefix}", {})
    return row


def token_dict(row: ApiToken) -> dict:
    iso = lambda v: v.isoformat() if v else None  # noqa: E731
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
        "last_used_at": iso(row.last_used_at),
        "revoked": row.revoked_at is not None,
    }
