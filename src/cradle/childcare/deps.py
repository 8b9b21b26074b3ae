"""Who may use the childcare routes, and the region each request acts in.

The roles are cradle.auth's (`require` for the API, `PageActor` for pages); on top of them the domain's own rules:
a department official only of 卫健 or 教育, a facility operator only on the routes of their own facility, and an
`X-Region-Scope` header that narrows the caller's scope (never widens it, never grants one). Auditors only read
(cradle.auth refuses their changes). Refusals are `cradle.errors` errors, answered by the app's one handler.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Header, Request

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor, require
from cradle.childcare import places
from cradle.errors import N_, Forbidden, Invalid

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
NOT_YOUR_ROLE = N_("Your role may not do this.")

_api_roles = require(*CHILDCARE_ROLES)
_page_roles = PageActor(*CHILDCARE_ROLES)


def _own_rules(request: Request, actor: Actor) -> Actor:
    if actor.role == roles.DEPT and actor.dept not in CHILDCARE_DEPARTMENTS:
        raise Forbidden(None, NOT_YOUR_ROLE, code="forbidden_role")
    if actor.role == roles.OPERATOR and str(request.path_params.get("facility_id")) != str(actor.facility_id):
        raise Forbidden("facility_id", NOT_YOUR_ROLE, code="not_your_facility")
    return actor


def api_caller(request: Request, actor: Annotated[Actor, Depends(_api_roles)]) -> Actor:
    """The signed-in actor of a JSON route, recorded as who did each step (never a body field)."""
    return _own_rules(request, actor)


def page_caller(request: Request, actor: Annotated[Actor, Depends(_page_roles)]) -> Actor:
    """The signed-in actor of a page: a visitor goes to the sign-in page first, a wrong role gets the error page."""
    return _own_rules(request, actor)


def _narrowed(actor: Actor, header: str | None) -> str | None:
    """The region the caller acts in: their scope (None: national), or the header's region inside it."""
    if header is None:
        return actor.scope
    if not places.exists(header):
        raise Invalid(
            "X-Region-Scope", N_("Unknown region code %(region)s"), code="unknown_region", region=header
        )
    return header if places.is_within(header, actor.scope) else actor.scope


def api_scope(
    actor: Annotated[Actor, Depends(api_caller)],
    x_region_scope: Annotated[
        str | None, Header(description="a region inside your scope, to narrow it")
    ] = None,
) -> str | None:
    return _narrowed(actor, x_region_scope or None)


def page_scope(
    actor: Annotated[Actor, Depends(page_caller)],
    x_region_scope: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str | None:
    return _narrowed(actor, x_region_scope or None)


def subsidy_payer(actor: Annotated[Actor, Depends(api_caller)]) -> Actor:
    """`api_caller`, refused (403) unless its role may register a subsidy for payment."""
    if actor.role not in PAYMENT_ROLES:
        raise Forbidden(None, NOT_YOUR_ROLE, code="forbidden_role")
    return actor


def today(on: str | None = None) -> dt.date:
    """The day a request asks about (`on`, YYYY-MM-DD), today when it names none."""
    if not on:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(on)
    except (TypeError, ValueError):  # a JSON body may send a number or a list where the date goes
        raise Invalid("on", N_("Enter the date as YYYY-MM-DD"), code="date") from None


ApiCaller = Annotated[Actor, Depends(api_caller)]
ApiScope = Annotated[str | None, Depends(api_scope)]
PageCaller = Annotated[Actor, Depends(page_caller)]
PageScope = Annotated[str | None, Depends(page_scope)]
