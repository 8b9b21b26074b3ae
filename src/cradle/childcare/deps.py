"""Request plumbing shared by the childcare API and pages: a session per request, the caller's region
scope, and the mapping of domain errors to the web app's error shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from cradle.childcare.errors import ChildcareError, IllegalTransition, NotFound, OutOfScope
from cradle.childcare.subsidies import EngineUnavailable
from cradle.config import get_settings
from cradle.db import session_factory


def get_session() -> Iterator[Session]:
    session = session_factory(get_settings().database_url)()  # get_engine(None) would pin the first URL
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def caller_scope(request: Request) -> str | None:
    """The region the caller may see and act on. Authentication (a later domain) sets `request.state.scope`;
    until then an `X-Region-Scope` header can narrow it (it can never widen a scope the state sets)."""
    from cradle.childcare import places

    scope = getattr(request.state, "scope", None)
    header = request.headers.get("x-region-scope") or None
    if header is not None and not places.exists(header):
        raise HTTPException(422, {"errors": [{"field": "X-Region-Scope", "code": "unknown_region",
                                              "message": f"未知的行政区划代码 {header}"}]})
    if scope is None:
        return header
    return header if header and places.is_within(header, scope) else scope


def today(on: str | None = None) -> dt.date:
    if not on:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise HTTPException(422, {"errors": [{"field": "on", "code": "date", "message": "日期格式应为 YYYY-MM-DD"}]}) \
            from None


def as_http(exc: Exception) -> HTTPException:
    if isinstance(exc, ChildcareError):
        return HTTPException(422, {"errors": [{"field": exc.field, "code": "invalid", "message": exc.message}]})
    if isinstance(exc, IllegalTransition):
        return HTTPException(409, {"errors": [{"field": "action", "code": "illegal_transition", "message": str(exc)}]})
    if isinstance(exc, NotFound):
        return HTTPException(404, {"errors": [{"field": None, "code": "not_found", "message": str(exc)}]})
    if isinstance(exc, OutOfScope):
        return HTTPException(403, {"errors": [{"field": None, "code": "out_of_scope", "message": str(exc)}]})
    if isinstance(exc, EngineUnavailable):
        return HTTPException(503, {"errors": [{"field": None, "code": "engine_unavailable", "message": str(exc)}]})
    raise exc


DOMAIN_ERRORS = (ChildcareError, IllegalTransition, NotFound, OutOfScope, EngineUnavailable)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turns the domain's errors into HTTP errors in the app's shape (422, 409, 404, 403)."""
    try:
        yield
    except DOMAIN_ERRORS as exc:
        raise as_http(exc) from None
