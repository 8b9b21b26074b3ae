"""Who may call a route, as FastAPI dependencies:

- `require(*roles, scope_of=...)` guards a JSON route: 401 when nobody (or a forged form) is signed in, 403 for a
  wrong role or a region outside the actor's scope;
- `PageActor(*roles)` guards a page: a visitor who is not signed in is sent to the sign-in page and back, a wrong
  role gets the error page (403);
- `check_scope` refuses a region found inside a request body.

Refusals are `cradle.errors` errors, answered by the app's one handler (`cradle.web.errors`)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from cradle.auth import roles as R
from cradle.auth.actor import ANONYMOUS, Actor
from cradle.errors import N_, DomainError, Forbidden, OutOfScope, Unauthenticated
from cradle.web.errors import SignInFirst, mark_page

CSRF_MESSAGE = N_("The form has expired or did not come from this site. Reload the page and try again.")


def current_actor(request: Request) -> Actor:
    """The signed-in actor, or ANONYMOUS (set by the auth middleware; ANONYMOUS if it did not run)."""
    return getattr(request.state, "actor", None) or ANONYMOUS


def refusal(request: Request, actor: Actor, allowed: tuple[str, ...]) -> DomainError | None:
    if not actor.authenticated:
        if getattr(request.state, "csrf_failed", False):
            return Forbidden(None, CSRF_MESSAGE, code="csrf")
        return Unauthenticated(None, N_("Sign in first."), code="unauthenticated")
    if allowed and actor.role not in allowed:
        return Forbidden(None, N_("Your role may not do this."), code="forbidden_role")
    if actor.role == R.AUDITOR and request.method not in ("GET", "HEAD"):
        return Forbidden(None, N_("Auditors may read but not change anything."), code="read_only")
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
                problem = out_of_scope("region", region)
        if problem is not None:
            raise problem
        return actor

    dependency.allowed_roles = allowed  # for the route inventory test and docs
    return dependency


def path_region(name: str = "region") -> Callable[[Request], str | None]:
    """scope_of for a region code in the path or the query string."""
    return lambda request: request.path_params.get(name) or request.query_params.get(name)


def out_of_scope(field: str, region: str | None) -> OutOfScope:
    return OutOfScope(field, N_("%(region)s is outside your scope."), region=region or "")


def check_scope(actor: Actor, region: str | None, field: str = "region") -> None:
    """Refuses (403, naming `field`) a region taken from a request body that lies outside the actor's scope."""
    if not actor.can_see(region):
        raise out_of_scope(field, region)


def PageActor(*allowed: str):  # noqa: N802 (a dependency factory, read like a type: Depends(PageActor(...)))
    """The one guard of every page: the signed-in Actor when it has one of `allowed` roles (any signed-in role when
    none are given). A visitor who is not signed in goes to the sign-in page and comes back; a wrong role, a
    forged form or an auditor's change gets the error page.

        @router.get("/payments")
        def batches(request: Request, actor: Annotated[Actor, Depends(PageActor(roles.COUNTY))]) -> Response:
    """

    def dependency(request: Request) -> Actor:
        mark_page(request)
        actor = current_actor(request)
        if not actor.authenticated and not getattr(request.state, "csrf_failed", False):
            raise SignInFirst(request.url.path)
        problem = refusal(request, actor, allowed)
        if problem is not None:
            raise problem
        return actor

    dependency.allowed_roles = allowed  # for the route inventory test and docs
    return dependency


staff = require(*R.STAFF)
officials = require(*R.OFFICIALS, R.ADMIN)
