"""What the monitoring pages share: who may open the staff pages, the request's language, breadcrumbs, the
uploaded files of a form, and the check that a staff page's region lies in the signed-in official's scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from cradle import regions
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor, check_scope
from cradle.errors import N_, DomainError
from cradle.monitoring.access import ENTRY_ROLES, STAFF_ROLES
from cradle.monitoring.areas import found
from cradle.web.i18n import gettext
from cradle.web.templating import locale_of

Official = Annotated[Actor, Depends(PageActor(*ENTRY_ROLES))]
Staff = Annotated[Actor, Depends(PageActor(*STAFF_ROLES))]
MONITORING = N_("Monitoring")


def say(request: Request, message: str, **params) -> str:
    """``message`` in the request's language, with ``%(name)s`` parameters filled in."""
    text = gettext(locale_of(request), message)
    return text % params if params else text


def place(request: Request, code: str) -> str:
    """A region's name in the request's language."""
    return regions.local_name(code, locale_of(request))


def in_scope(actor: Actor, code: str) -> str:
    """``code``, a region that exists and lies in the actor's scope (404 / 403 otherwise)."""
    check_scope(actor, found(code))
    return code


def crumbs(request: Request, code: str, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Monitoring › the region's dashboard › …"""
    return [(say(request, MONITORING), "/monitoring"), (place(request, code), f"/monitoring/{code}"), *tail]


def errors_by_field(exc: DomainError, locale: str) -> dict[str, str]:
    """The first message for each field, for a form that shows them beside its inputs."""
    out: dict[str, str] = {}
    for problem in exc.items():
        out.setdefault(problem.field or "", problem.text(locale))
    return out


async def uploaded(request: Request, name: str, limit: int) -> list[tuple[str, str, bytes]]:
    """(file name, content type, bytes) of each file chosen in the form's ``name`` input; at most ``limit``
    bytes plus one are read of each (enough for the service to refuse a file that is too large)."""
    out = []
    for item in (await request.form()).getlist(name):
        if isinstance(item, UploadFile) and item.filename:
            out.append((item.filename, item.content_type or "", await item.read(limit + 1)))
    return out
