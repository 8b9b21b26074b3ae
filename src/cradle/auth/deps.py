"""FastAPI dependencies: `current_actor` (anonymous allowed), `require(*roles, scope_of=...)`, and
`check_scope` for a region found inside a request body. Refusals are HTTPExceptions in the app's one error
shape: 401 when nobody (or a forged form) is signed in, 403 for a wrong role or a region outside the scope."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request

from cradle.auth import roles as R
from cradle.auth.actor import ANONYMOUS, Actor
from cradle.auth.errors import AuthError, Forbidden, Unauthenticated
from cradle.web.nav import N_


def locale_of(request: Request) -> str:
    return getattr(request.state, "locale", "zh")


def http_error(request: Request, exc: AuthError) -> HTTPException:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return HTTPException(exc.status, {"errors": [exc.as_error(locale_of(request))]}, headers=headers)


CSRF_MESSAGE = N_("The form has expired or did not come from this site. Reload the page and try again.")


def current_actor(request: Request) -> Actor:
    """The signed-in actor, or ANONYMOUS (set by the auth middleware; ANONYMOUS if it did not run)."""
    return getattr(request.state, "actor", None) or ANONYMOUS


def refusal(request: Request, actor: Actor, allowed: tuple[str, ...]) -> AuthError | None:
    if not actor.authenticated:
        if getattr(request.state, "csrf_failed", False):
            return Forbidden(None, "csrf", CSRF_MESSAGE)
        return Unauthenticated(None, "unauthenticated", N_("Sign in first."))
    if allowed and actor.role not in allowed:
        return Forbidden(None, "forbidden_role", N_("Your role may not do this."))
    if actor.role == R.AUDITOR and request.method not in ("GET", "HEAD"):
        return Forbidden(None, "read_only", N_("Auditors may read but not change anything."))
    return None


def require(*allowed: str, scope_of: Callable[[Request], str | None] | None = None):
    """A dependency that answers the Actor when it has one of `allowed` roles (any signed-in role when none
    are given) and, with `scope_of`, when the region `scope_of(request)` names lies inside the actor's scope."""

    def dependency(request: Request) -> Actor:
        actor = current_actor(request)
        problem = refusal(request, actor, allowed)
        if problem is None and scope_of is not None:
            region = scope_of(request)
            if region is not None and not actor.can_see(region):
                problem = Forbidden(
                    "region", "out_of_scope", N_("{region} is outside your scope."), region=region
                )
        if problem is not None:
            raise http_error(request, problem)
        return actor

    dependency.allowed_roles = allowed  # for the route inventory test and docs
    return dependency


def path_region(name: str = "region") -> Callable[[Request], str | None]:
    """scope_of for a region code in the path or the query string."""
    return lambda request: request.path_params.get(name) or request.query_params.get(name)


def check_scope(request: Request, actor: Actor, region: str | None, field: str = "region") -> None:
    """Refuses (403, naming `field`) a region taken from a request body that lies outside the actor's scope."""
    if not actor.can_see(region):
        raise http_error(
            request,
            Forbidden(field, "out_of_scope", N_("{region} is outside your scope."), region=region or ""),
        )


staff = require(*R.STAFF)
officials = require(*R.OFFICIALS, R.ADMIN)


def service_actor(*allowed: str):
    """For the services and payments routers: a dependency answering `cradle.services.actors.Actor` for the
    signed-in account (`Actor.service_actor()`), refusing anonymous callers, roles outside `allowed` and roles
    the services domain has no name for yet:

        Svc = Annotated[svc.Actor, Depends(service_actor(roles.CITIZEN, roles.COUNTY, roles.TOWN, roles.DEPT))]
    """

    def dependency(request: Request):
        actor = require(*allowed)(request)
        svc = actor.service_actor()
        if svc is None:
            raise http_error(request, Forbidden(None, "forbidden_role", "Your role may not do this."))
        return svc

    return dependency
