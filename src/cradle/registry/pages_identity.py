"""The identity review page (/registry/identity): candidate matches inside the official's scope side by side
(ID numbers masked unless the role handles cases there), each confirmed (merged) or rejected with a reason; and
the merges that may be split, each with a reason. Merge and split are audited (`cradle.registry.identity`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, Invalid
from cradle.registry import access, browse
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/registry/identity", include_in_schema=False)
Reader = Annotated[Actor, Depends(PageActor(*access.READERS))]
Decider = Annotated[Actor, Depends(PageActor(*access.WRITERS))]
Id = Annotated[int, Path(ge=1, le=2**62)]
PAGE = 50


def _page(request: Request, db, actor: Actor, offset: int = 0, errors=None, status_code: int = 200):
    """`errors`: {(kind, id): {field: message}} for the one form that was refused."""
    done = None  # the decision just made, named by its two persons (the redirect carries its id)
    for key, kind in (("confirmed", "candidate"), ("rejected", "candidate"), ("split", "merge")):
        ref = request.query_params.get(key, "")
        if ref.isdigit() and (pair := browse.decided(db, actor, kind, int(ref))):
            done = {"key": key, **pair}
    return render(
        request,
        "registry/identity.html",
        status_code=status_code,
        pending=browse.pending(db, actor, PAGE, offset),
        merges=browse.merges(db, actor, PAGE),
        may_decide=access.may_decide_identity(actor),
        errors=errors or {},
        done=done,
        offset=offset,
        page=PAGE,
    )


def _reason(reason: str) -> str:
    if not reason.strip():
        raise Invalid("reason", N_("Give a reason"), code="missing")
    return reason.strip()


@router.get("")
def identity_page(
    request: Request, db: RequestSession, actor: Reader, offset: Annotated[int, Query(ge=0, le=10**9)] = 0
) -> Response:
    return _page(request, db, actor, offset)


@router.post("/candidates/{candidate_id}")
def decide(
    request: Request,
    db: RequestSession,
    actor: Decider,
    candidate_id: Id,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        if action not in ("confirm", "reject"):
            raise Invalid("action", N_("Choose confirm or reject"))
        done = browse.decide(db, actor, candidate_id, confirm=action == "confirm", reason=_reason(reason))
    except Invalid as exc:
        errors = {("candidate", candidate_id): {p.field: p.text(locale_of(request)) for p in exc.items()}}
        return _page(request, db, actor, errors=errors, status_code=exc.status)
    return RedirectResponse(f"/registry/identity?{done['status']}={candidate_id}", status_code=303)


@router.post("/merges/{merge_id}/split")
def split(
    request: Request,
    db: RequestSession,
    actor: Decider,
    merge_id: Id,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        browse.split(db, actor, merge_id, _reason(reason))
    except Invalid as exc:
        errors = {("merge", merge_id): {p.field: p.text(locale_of(request)) for p in exc.items()}}
        return _page(request, db, actor, errors=errors, status_code=exc.status)
    return RedirectResponse(f"/registry/identity?split={merge_id}", status_code=303)
