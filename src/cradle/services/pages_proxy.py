"""亲情代办 pages: a citizen records consent for a named family member (who, relation, which services, until
when, on what evidence) and revokes it; the family member sees whom they may act for and files an application on
that person's behalf (`/services/apply?for_id=...`). `proxy.grant`, `proxy.revoke` and `proxy.principal` — the
same functions as the JSON API — decide; the audit names both people."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError, Invalid
from cradle.idcard import mask
from cradle.services import proxy
from cradle.services.web import OfficePage, error_list, label, see_other
from cradle.web.session import RequestSession
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
Citizen = Annotated[Actor, Depends(OfficePage("citizen"))]


async def _form(request: Request) -> dict:
    """The form, with the scope check-boxes kept as a list."""
    form = await request.form()
    out = {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and k != "scope"}
    out["scope"] = [v for v in form.getlist("scope") if isinstance(v, str)]
    return out


FormDep = Annotated[dict, Depends(_form)]


def _page(
    request: Request,
    s: Session,
    actor: Actor,
    errors: list,
    form: dict | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    rows = proxy.consents_of(s, actor.id_number)
    today = dt.date.today()
    granted = [c for c in rows if c.grantor_id_number == actor.id_number]
    held = [
        c
        for c in rows
        if c.proxy_id_number == actor.id_number and c.revoked_at is None and c.valid_until >= today
    ]
    defaults = {"valid_until": (today + dt.timedelta(days=365)).isoformat(), "scope": list(proxy.SCOPES)}
    return render(
        request,
        "services/consents.html",
        status_code=status_code,
        granted=granted,
        held=held,
        errors=errors,
        form={**defaults, **(form or {})},
        done=done,
        mask=mask,
        today=today,
        relations=proxy.RELATIONS,
        scopes=proxy.SCOPES,
        breadcrumbs=[
            (label(request, N_("Online services")), "/services"),
            (label(request, N_("Acting for family members")), None),
        ],
    )


@router.get("/services/consents")
def consents(request: Request, s: RequestSession, actor: Citizen, done: str = "") -> Response:
    return _page(request, s, actor, [], done=done)


@router.post("/services/consents")
def grant(request: Request, s: RequestSession, actor: Citizen, form: FormDep) -> Response:
    # The services ticked, never "*": consent covers what the person saw, and none ticked is not "everything".
    scope = form["scope"]
    data = {**form, "scope": scope, "proxy_id_number": form.get("proxy_id_number", "").upper()}
    try:
        if not scope:
            raise Invalid("scope", N_("Choose at least one matter that may be handled for you"))
        row = proxy.grant(s, actor, data)
    except DomainError as exc:
        s.rollback()
        return _page(request, s, actor, error_list(request, exc), form=form, status_code=exc.status)
    return see_other(f"/services/consents?done=granted:{row.id}")


@router.post("/services/consents/{consent_id}/revoke")
def revoke(request: Request, s: RequestSession, actor: Citizen, consent_id: int) -> Response:
    try:
        proxy.revoke(s, actor, consent_id)
    except DomainError as exc:
        s.rollback()
        return _page(request, s, actor, error_list(request, exc), status_code=exc.status)
    return see_other(f"/services/consents?done=revoked:{consent_id}")
