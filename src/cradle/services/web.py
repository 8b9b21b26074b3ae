"""What the services and payments pages share: their guard (`OfficePage`), the form as a dict, a refusal placed
beside the form field it names, labels in the reader's language, the redirect after a post."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, DomainError, Forbidden
from cradle.services.offices import office
from cradle.web.i18n import gettext
from cradle.web.templating import locale_of


def OfficePage(*offices: str):  # noqa: N802 (a dependency factory, read like a type, as PageActor)
    """`PageActor` for a services or payments page: a visitor who is not signed in goes to the sign-in page and
    back, a forged form gets the error page; then a signed-in account without one of `offices`
    (`cradle.services.offices`; any office when none are given) gets the error page (403)."""
    signed_in = PageActor()

    def dependency(request: Request) -> Actor:
        actor = signed_in(request)
        name = office(actor)
        if name is None or (offices and name not in offices):
            raise Forbidden(None, N_("Your role cannot handle this matter."), code="forbidden_role")
        return actor

    return dependency


async def form_data(request: Request) -> dict:
    form = await request.form()
    return {k: v.strip() for k, v in form.multi_items() if isinstance(v, str)}


def error_list(request: Request, exc: DomainError, rename: dict[str, str] | None = None) -> list[dict]:
    """The error as the form macros want it, in the reader's language; `rename` maps a service field (or its
    prefix) to the form's name."""
    out = []
    for problem in exc.items():
        error = problem.as_dict(locale_of(request))
        field = error["field"] or ""
        for prefix, name in (rename or {}).items():
            if field == prefix or field.startswith(prefix + "."):
                error["field"] = name
                break
        out.append(error)
    return out


def label(request: Request, message_id: str) -> str:
    """A label (a breadcrumb, a page's name) in the reader's language."""
    return gettext(locale_of(request), message_id)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
