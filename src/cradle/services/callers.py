"""Who calls the services and payments JSON API: the signed-in account (a session cookie with its CSRF token, or a
bearer API token, through `cradle.auth`), with an office the services know (`cradle.services.offices`). There is
no other way to name an identity.

A bearer token is checked in the endpoint's own worker thread and transaction, not by the auth middleware
(`CHECKED_BY_ENDPOINT`): that saves the busiest API a thread hop and a connection per request. So the route's
dependency (`api_caller`, async: it only reads what the middleware found) refuses what it can at once and leaves
such a token to `caller`, which the endpoint calls with its session (an action's, see `idempotency`; a read's
through `Reader`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cradle.auth import tokens
from cradle.auth.actor import ANONYMOUS, Actor
from cradle.auth.deps import current_actor, require
from cradle.errors import N_, Forbidden
from cradle.services.offices import office
from cradle.web.session import RequestSession

_signed_in = require()


def _checked(request: Request) -> Actor:
    actor = _signed_in(request)  # 401 for nobody, 403 for a forged form or an auditor's change
    if office(actor) is None:
        raise Forbidden(None, N_("Your role may not do this."), code="forbidden_role")
    request.state.caller = actor
    return actor


async def api_caller(request: Request) -> Actor | None:
    """The caller, or None while a bearer token waits for `caller`."""
    if getattr(request.state, "bearer", None) and not current_actor(request).authenticated:
        request.state.caller = None
        return None
    return _checked(request)


def caller(request: Request, session: Session) -> Actor:
    """The caller (see `api_caller`); a bearer token left for the endpoint is checked here, on `session`'s
    connection, and refused with 401."""
    actor = request.state.caller
    if actor is None:
        found = tokens.check(session.connection(), request.state.bearer)
        request.state.actor, request.state.token_id = (found[1], found[0]) if found else (ANONYMOUS, None)
        actor = _checked(request)
    return actor


ApiCaller = Annotated[Actor | None, Depends(api_caller)]


def reader(request: Request, _caller: ApiCaller, db: RequestSession) -> Actor:
    """The caller of a read, in the request's session."""
    return caller(request, db)


Reader = Annotated[Actor, Depends(reader)]
