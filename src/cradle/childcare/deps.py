"""Request plumbing shared by the childcare API and pages: a session per request, the caller's region
scope, and the mapping of domain errors to the web app's error shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Depends, HTTPException, Request

from cradle.auth import roles
from cradle.childcare.errors import ChildcareError, IllegalTransition, NotFound, OutOfScope
from cradle.childcare.subsidies import EngineUnavailable

# Who may use the non-public childcare routes (each within their region scope).
CHILDCARE_ROLES = (
    roles.TOWN,
    roles.COUNTY,
    roles.CITY,
    roles.PROVINCE,
    roles.DEPT,
    roles.OPERATOR,
    roles.AUDITOR,
    roles.ADMIN,
)
CHILDCARE_DEPARTMENTS = ("weijian", "jiaoyu")  # 卫健 regulates 托育; 教育 runs 托幼一体 kindergartens
# Who may send an approved facility subsidy to the county's payment batch: county-level officials and above,
# never the facility's own operator (it names the bank account) nor a town office.
PAYMENT_ROLES = (roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.ADMIN)


def caller_scope(request: Request) -> str | None:
    """The region the caller may see and act on: the signed-in actor's scope (cradle.auth's middleware sets
    `request.state.actor` and `request.state.scope`; None means national). Anonymous callers and citizens are
    refused, a facility operator reaches only routes of their own facility, an auditor only reads. An
    `X-Region-Scope` header can narrow the scope; it never widens it and never grants one."""
    from cradle.auth.deps import current_actor, require
    from cradle.childcare import places
    from cradle.errors import Forbidden

    require(*CHILDCARE_ROLES)(request)
    actor = current_actor(request)
    if actor.role == roles.DEPT and actor.dept not in CHILDCARE_DEPARTMENTS:
        raise Forbidden(None, "Your role may not do this.", code="forbidden_role")
    if actor.role == roles.OPERATOR and str(request.path_params.get("facility_id")) != str(actor.facility_id):
        raise Forbidden("facility_id", "Your role may not do this.", code="not_your_facility")
    scope = request.state.scope
    header = request.headers.get("x-region-scope") or None
    if header is not None and not places.exists(header):
        raise HTTPException(
            422,
            {
                "errors": [
                    {
                        "field": "X-Region-Scope",
                        "code": "unknown_region",
                        "message": f"未知的行政区划代码 {header}",
                    }
                ]
            },
        )
    if header is None:
        return scope
    return header if places.is_within(header, scope) else scope


def caller(request: Request, _scope: str | None = Depends(caller_scope)):
    """The signed-in actor, once `caller_scope` has let it in: recorded as who did each step."""
    from cradle.auth.deps import current_actor

    return current_actor(request)


def subsidy_payer(request: Request, who=Depends(caller)):
    """`caller`, refused (403) unless its role may register a subsidy for payment."""
    from cradle.errors import Forbidden

    if who.role not in PAYMENT_ROLES:
        raise Forbidden(None, "Your role may not do this.", code="forbidden_role")
    return who


def today(on: str | None = None) -> dt.date:
    if not on:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise HTTPException(
            422, {"errors": [{"field": "on", "code": "date", "message": "日期格式应为 YYYY-MM-DD"}]}
        ) from None


def as_http(exc: Exception) -> HTTPException:
    if isinstance(exc, ChildcareError):
        return HTTPException(
            422, {"errors": [{"field": exc.field, "code": "invalid", "message": exc.message}]}
        )
    if isinstance(exc, IllegalTransition):
        return HTTPException(
            409, {"errors": [{"field": "action", "code": "illegal_transition", "message": str(exc)}]}
        )
    if isinstance(exc, NotFound):
        return HTTPException(404, {"errors": [{"field": None, "code": "not_found", "message": str(exc)}]})
    if isinstance(exc, OutOfScope):
        return HTTPException(403, {"errors": [{"field": None, "code": "out_of_scope", "message": str(exc)}]})
    if isinstance(exc, EngineUnavailable):
        return HTTPException(
            503, {"errors": [{"field": None, "code": "engine_unavailable", "message": str(exc)}]}
        )
    raise exc


DOMAIN_ERRORS = (ChildcareError, IllegalTransition, NotFound, OutOfScope, EngineUnavailable)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turns the domain's errors into HTTP errors in the app's shape (422, 409, 404, 403)."""
    try:
        yield
    except DOMAIN_ERRORS as exc:
        raise as_http(exc) from None
