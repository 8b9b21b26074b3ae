"""What the services and payments pages share: the signed-in person as a services `Actor`, the form as a dict,
a database session per request, and a service error placed beside the form field it names."""

from __future__ import annotations

import functools
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from cradle.services.actors import Actor
from cradle.services.errors import ServiceError
from cradle.web.templating import render


class PageRefusal(Exception):
    """Raised by `page_actor`: the response to send instead of the page (sign-in redirect or 403)."""

    def __init__(self, response: Response):
        self.response = response


def guarded(fn):
    """A page function whose `page_actor` refusal becomes the response."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PageRefusal as refusal:
            return refusal.response

    return wrapper


async def form_data(request: Request) -> dict:
    form = await request.form()
    return {k: v.strip() for k, v in form.multi_items() if isinstance(v, str)}


def page_actor(request: Request, *roles: str) -> Actor:
    """The signed-in account as a services Actor with one of `roles`; anonymous visitors are sent to sign in."""
    from cradle.auth.deps import current_actor

    who = current_actor(request)
    if not who.authenticated:
        if getattr(request.state, "csrf_failed", False):
            raise PageRefusal(refused(request, 403, "表单已过期或不是从本站提交的，请刷新页面后重试。"))
        raise PageRefusal(RedirectResponse(f"/auth/login?next={quote(request.url.path)}", status_code=303))
    actor = who.service_actor()
    if actor is None or (roles and actor.role not in roles):
        raise PageRefusal(refused(request, 403, "您的角色不能办理此项业务。"))
    return actor


def refused(request: Request, status: int, message: str, field: str | None = None) -> Response:
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        errors=[{"field": field, "code": "refused", "message": message}],
    )


def error_list(exc: ServiceError, rename: dict[str, str] | None = None) -> list[dict]:
    """The error as the form macros want it; `rename` maps a service field (or its prefix) to the form's name."""
    field = exc.field
    for prefix, name in (rename or {}).items():
        if field == prefix or field.startswith(prefix + "."):
            field = name
            break
    return [{"field": field, "message": exc.message, "code": exc.code}]


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
