"""Idempotency keys for the JSON API: a request sent again with the same `Idempotency-Key` (by the same actor)
gets the stored response and changes nothing; the same key with a different body is refused.

A route declares it with `@idempotent(...)` under its `@router.post(...)`; `run` is the machinery, which other
domains' routes may call themselves."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import typing
from collections.abc import Callable
from typing import Annotated

import orjson
from fastapi import Header, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.db import session_scope
from cradle.errors import N_, Conflict, DomainError, Invalid
from cradle.services import callers
from cradle.services.models import IdempotentRequest
from cradle.services.offices import ref

Who = Actor | str  # the actor, or how the services name them (`offices.ref`)


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


def _name(who: Who) -> str:
    return who if isinstance(who, str) else who.ref


def _stored(session: Session, who: Who, key: str, digest: str) -> tuple[int, dict] | None:
    row = session.execute(_STORED, {"actor": _name(who), "key": key}).first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise Conflict("Idempotency-Key", N_("The same idempotency key was used for another request"))
    return row.status_code, row.response


def _who(actor, session: Session) -> Who:
    return actor(session) if callable(actor) else actor


def _stored_form(body) -> object:
    """An answer as it is stored (and answered on a replay): its JSON, read back."""
    return orjson.loads(orjson.dumps(body, default=str, option=orjson.OPT_NON_STR_KEYS))


# session.info while the action runs: the key's row but its answer, offered to an action that writes it itself
_PENDING, _WRITTEN = "cradle.idempotency.pending", "cradle.idempotency.written"


def answer_row(session: Session, body) -> dict | None:
    """For an action whose own statement can store its answer (one round trip less: the case's statement, see
    `applications.submit`): the key's row (`IdempotentRequest`'s columns but `created_at`) with `body` as the
    answer, or None when the request has no key (or `run` was not told the status). The action's statement must
    insert it with what it writes: `run` then stores nothing itself, and the row commits (or clashes with a twin's,
    which rolls the action back) with the action's writes. A statement that writes nothing inserts no row either
    (the action then refuses, or asks again with its next attempt's answer)."""
    pending = session.info.get(_PENDING)
    if pending is None:
        return None
    session.info[_WRITTEN] = True
    return {**pending, "response": _stored_form(body)}


def run(
    url: str | None,
    actor: Who | Callable[[Session], Who],
    key: str | None,
    payload,
    fn: Callable[[Session], tuple[int, dict]],
    look_first: bool = True,
    status: int | None = None,
) -> tuple[int, dict, bool]:
    """(status, body, replayed). `fn` runs in the transaction that also stores its response. `actor` (whose keys
    these are) may be a function of the session, called first in that transaction (a bearer token checked on the
    same connection). With `status` (what `fn` answers when it succeeds), `fn` may store its answer itself in its
    own statement (`answer_row`).

    `look_first=False` skips the look-up before the action, for actions that write nothing outside the database
    (the busiest, an application, saves a statement): a replay then runs the action again, and its stored
    response is found when the action is refused or when the key's row clashes, which rolls the action back."""
    if key is not None and not (0 < len(key) <= 80):
        raise Invalid("Idempotency-Key", N_("The idempotency key should be 1 to 80 characters"))
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
            if status is not None:
                s.info[_PENDING] = {
                    "actor": _name(actor),
                    "key": key,
                    "request_hash": digest,
                    "status_code": status,
                }
            try:
                answered, body = fn(s)
            except DomainError:
                s.rollback()
                found = _stored(s, actor, key, digest)  # a concurrent twin committed first
                if found:
                    return found[0], found[1], True
                raise
            finally:
                s.info.pop(_PENDING, None)
            if s.info.pop(_WRITTEN, False):
                # the row written says `status`: never store one answer and send another
                if answered != status:
                    raise RuntimeError(f"the action answered {answered}, its stored answer says {status}")
            else:
                s.execute(
                    insert(IdempotentRequest.__table__),  # Core: no unit of work for one row
                    {
                        "actor": _name(actor),
                        "key": key,
                        "request_hash": digest,
                        "status_code": answered,
                        "response": _stored_form(body),
                    },
                )
        return answered, body, False
    except IntegrityError:
        with session_scope(url) as s:  # a concurrent twin won: answer with its response
            found = _stored(s, actor, key, digest)
        if found is None:
            raise
        return found[0], found[1], True


# What the decorator gives the action; the other parameters are FastAPI's.
GIVEN = ("db", "actor")


def idempotent(*, look_first: bool = True, payload: Callable[..., object] | None = None):
    """Declares a services or payments JSON action that takes an `Idempotency-Key` header (see `run`).

        @router.post("/cases", status_code=201, response_model=CaseOut)
        @idempotent(look_first=False)
        def post_case(body: CaseIn, *, db: Session, actor: Actor) -> dict:
            return case_json(applications.submit(db, actor, body_of(body)))

    The action takes FastAPI's parameters (path, query, body, file) and `db` (the session of the transaction
    that also stores its answer) and `actor` (the caller, `callers.caller`, checked in that transaction); it
    returns the answer's body, sent with the route's status code and stored under the key. A replay is answered
    with the stored status and body, and the header `Idempotent-Replayed: true`.

    `payload`, a function of FastAPI's parameters, is what a replay must repeat: by default the request body,
    or the route's parameters when it has none."""

    def decorate(action: Callable[..., dict | list]):
        hints = typing.get_type_hints(action, include_extras=True)
        params = [
            p.replace(annotation=hints.get(name, p.annotation))
            for name, p in inspect.signature(action).parameters.items()
            if name not in GIVEN
        ]
        params += [
            inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
            # refuses a caller it can refuse before the body is read; `callers.caller` gives the actor
            inspect.Parameter(
                "idempotency_caller", inspect.Parameter.KEYWORD_ONLY, annotation=callers.ApiCaller
            ),
            inspect.Parameter(
                "idempotency_key",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[str | None, Header(alias="Idempotency-Key")],
                default=None,
            ),
        ]

        def handle(request: Request, idempotency_key: str | None, given: dict) -> Response:
            """The answer to `request` (the route's, in `request.scope["route"]`), given the action's
            parameters: what the endpoint does once FastAPI has solved them (a route's fast path calls it)."""
            status = request.scope["route"].status_code or 200

            def act(s: Session) -> tuple[int, dict | list]:
                return status, action(db=s, actor=callers.caller(request, s), **given)

            answer, body, replayed = run(
                getattr(request.app.state, "database_url", None),
                lambda s: ref(callers.caller(request, s)),
                idempotency_key,
                payload(**given) if payload else _payload(given),
                act,
                look_first,
                status,
            )
            # orjson: the actions' answers (a case with its explanation) are the API's busiest JSON
            return Response(
                orjson.dumps(body, default=str, option=orjson.OPT_NON_STR_KEYS),
                status_code=answer,
                media_type="application/json",
                headers={"Idempotent-Replayed": str(replayed).lower()},
            )

        @functools.wraps(action)
        def endpoint(
            *, request: Request, idempotency_caller, idempotency_key: str | None, **given
        ) -> Response:
            return handle(request, idempotency_key, given)

        endpoint.handle = handle
        endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)
        return endpoint

    return decorate


def body_of(model: BaseModel) -> dict:
    """A request body as the client sent it (the fields it gave), for the key's hash and the service functions."""
    return model.model_dump(exclude_unset=True)


def _payload(given: dict) -> object:
    bodies = [value for value in given.values() if isinstance(value, BaseModel)]
    return body_of(bodies[0]) if bodies else given
