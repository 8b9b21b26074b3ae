"""Idempotency keys for the JSON API: a request sent again with the same `Idempotency-Key` (by the same actor)
gets the stored response and changes nothing; the same key with a different body is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import orjson
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle.db import session_scope
from cradle.services.actors import Actor
from cradle.services.errors import Conflict, Invalid, ServiceError
from cradle.services.models import IdempotentRequest


def request_hash(payload) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


_T = IdempotentRequest.__table__
_STORED = select(
    _T.c.request_hash, _T.c.status_code, _T.c.response
).where(  # Core, built once: no ORM compile
    _T.c.actor == bindparam("actor"), _T.c.key == bindparam("key")
)


def _stored(session: Session, actor: Actor, key: str, digest: str) -> tuple[int, dict] | None:
    row = session.execute(_STORED, {"actor": actor.ref, "key": key}).first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise Conflict("Idempotency-Key", "同一幂等键已用于另一个请求")
    return row.status_code, row.response


def _who(actor, session: Session) -> Actor:
    return actor(session) if callable(actor) else actor


def run(
    url: str | None,
    actor: Actor | Callable[[Session], Actor],
    key: str | None,
    payload,
    fn: Callable[[Session], tuple[int, dict]],
    look_first: bool = True,
) -> tuple[int, dict, bool]:
    """(status, body, replayed). `fn` runs in the transaction that also stores its response. `actor` may be a
    function of the session, called first in that transaction (a bearer token checked on the same connection).

    `look_first=False` skips the look-up before the action, for actions that write nothing outside the database
    (the busiest, an application, saves a statement): a replay then runs the action again, and its stored
    response is found when the action is refused or when the key's row clashes, which rolls the action back."""
    if key is not None and not (0 < len(key) <= 80):
        raise Invalid("Idempotency-Key", "幂等键长度应为1到80个字符")
    digest = request_hash(payload)
    if key is None:
        with session_scope(url) as s:
            _who(actor, s)
            status, body = fn(s)
        return status, body, False
    try:  # one transaction (one pooled connection): the look-up, the action and its stored response
        with session_scope(url) as s:
            actor = _who(actor, s)
            found = _stored(s, actor, key, digest) if look_first else None
            if found:
                return found[0], found[1], True
            try:
                status, body = fn(s)
            except ServiceError:
                s.rollback()
                found = _stored(s, actor, key, digest)  # a concurrent twin committed first
                if found:
                    return found[0], found[1], True
                raise
            s.execute(
                insert(IdempotentRequest.__table__),  # Core: no unit of work for one row
                {
                    "actor": actor.ref,
                    "key": key,
                    "request_hash": digest,
                    "status_code": status,
                    "response": orjson.loads(orjson.dumps(body, default=str, option=orjson.OPT_NON_STR_KEYS)),
                },
            )
        return status, body, False
    except IntegrityError:
        with session_scope(url) as s:  # a concurrent twin won: answer with its response
            found = _stored(s, actor, key, digest)
        if found is None:
            raise
        return found[0], found[1], True
