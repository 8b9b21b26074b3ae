"""The parameter desk's pages for officials (`/params`): the parameters of their jurisdiction with the value in
force and where it comes from, the proposals waiting, a proposal with its cost preview (approve or return), a
parameter's whole dated history, and the form that registers a new document. Chinese by default, English
through the catalogues; phone width."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, Conflict, DomainError, Invalid
from cradle.params import desk, document_form, preview, views
from cradle.params.register import register
from cradle.policy import published
from cradle.web.citations import clause_url
from cradle.web.i18n import gettext
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(include_in_schema=False)
Official = Annotated[Actor, Depends(PageActor(*desk.DECIDING_ROLE.values()))]
DESK = N_("Parameter desk")
STATES = {"proposed": N_("Waiting for approval"), "approved": N_("Published"), "returned": N_("Returned")}


def _error(request: Request, exc: DomainError) -> str:
    locale = locale_of(request)
    parts = []
    for problem in exc.items():
        error = problem.as_dict(locale)
        parts.append(f"{error['field']}: {error['message']}" if error["field"] else error["message"])
    return "; ".join(parts)


def _back(path: str, request: Request, exc: DomainError | None = None) -> RedirectResponse:
    if exc is not None:
        path += "?error=" + quote(_error(request, exc))
    return RedirectResponse(path, status_code=303)


@router.get("/params")
def desk_page(request: Request, db: RequestSession, actor: Official) -> Response:
    return render(
        request,
        "params/desk.html",
        parameters=views.parameter_rows(actor, dt.date.today()),
        proposals=[views.proposal_dict(p) for p in desk.proposals(db, actor, None)][::-1][:30],
        documents=[d for d in published.documents()],
        states=STATES,
        error=request.query_params.get("error"),
        clause_url=clause_url,
        office=desk.office_name(actor.region),
    )


@router.post("/params/propose")
def propose(
    request: Request,
    db: RequestSession,
    actor: Official,
    parameter: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    effective_from: Annotated[str, Form()] = "",
    effective_to: Annotated[str, Form()] = "",
    document: Annotated[str, Form()] = "",
    clause: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        start = _date("effective_from", effective_from)
        end = _date("effective_to", effective_to) if effective_to else None
        _, prm = desk.parameter(parameter)
        p = desk.propose(
            db,
            actor,
            parameter,
            value=value,
            unit=unit,
            effective_from=start,
            effective_to=end,
            document=document,
            clause=clause,
            region=actor.county if prm.per_region else None,
            note=note,
        )
    except DomainError as exc:
        db.rollback()
        return _back("/params", request, exc)
    return _back(f"/params/proposals/{p.id}", request)


def _date(field: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(field, N_("Expected a date YYYY-MM-DD, got %(value)s"), value=text) from None


@router.get("/params/proposals/{proposal_id}")
def proposal_page(proposal_id: int, request: Request, db: RequestSession, actor: Official) -> Response:
    p = desk.get(db, actor, proposal_id)
    shown = views.proposal_dict(p)
    cost, computing = p.preview, None
    if p.state == "proposed":
        cost, computing = preview.shown(db, p, db.get_bind().url.render_as_string(hide_password=False))
    return render(
        request,
        "params/proposal.html",
        p=shown,
        cost=cost,
        computing=computing,
        mine=p.proposer_account == actor.account_id,
        states=STATES,
        error=request.query_params.get("error"),
        clause_url=clause_url,
        breadcrumbs=[(gettext(locale_of(request), DESK), "/params"), (f"#{p.id}", None)],
    )


@router.post("/params/proposals/{proposal_id}/approve")
def approve(
    proposal_id: int,
    request: Request,
    db: RequestSession,
    actor: Official,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        p = desk.decidable(db, actor, proposal_id)
        shown = preview.kept(db, p)
        if shown is None:  # the registry or the desk moved since the page was shown: it must be seen again
            raise Conflict(
                "preview", N_("The cost preview is being computed again: approve once it is shown")
            )
        desk.approve(db, actor, proposal_id, shown, reason)
    except DomainError as exc:
        db.rollback()
        return _back(f"/params/proposals/{proposal_id}", request, exc)
    return _back(f"/params/proposals/{proposal_id}", request)


@router.post("/params/proposals/{proposal_id}/return")
def return_(
    proposal_id: int,
    request: Request,
    db: RequestSession,
    actor: Official,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        desk.return_(db, actor, proposal_id, reason)
    except DomainError as exc:
        db.rollback()
        return _back(f"/params/proposals/{proposal_id}", request, exc)
    return _back(f"/params/proposals/{proposal_id}", request)


@router.get("/params/history/{name}")
def history_page(name: str, request: Request, actor: Official, region: str | None = None) -> Response:
    _, prm = desk.parameter(name)
    return render(
        request,
        "params/history.html",
        name=name,
        description=prm.description,
        region=region,
        history=desk.history(name, region),
        clause_url=clause_url,
        breadcrumbs=[(gettext(locale_of(request), DESK), "/params"), (name, None)],
    )


def _document_page(
    request: Request, actor: Actor, form: dict[str, str], exc: DomainError | None = None
) -> Response:
    locale = locale_of(request)
    errors, error = document_form.errors(exc, locale) if exc is not None else ({}, None)
    return render(
        request,
        "params/document.html",
        status_code=exc.status if exc is not None else 200,
        form=form,
        errors=errors,
        error=error,
        statuses=document_form.STATUSES,
        jurisdictions=document_form.jurisdictions(actor, locale),
        breadcrumbs=[(gettext(locale, DESK), "/params"), (gettext(locale, N_("Register a document")), None)],
    )


@router.get("/params/documents/new")
def document_page(request: Request, actor: Official) -> Response:
    return _document_page(request, actor, {"jurisdiction": actor.region[:6], "status": "issued"})


@router.post("/params/documents")
def register_document(
    request: Request,
    db: RequestSession,
    actor: Official,
    title: Annotated[str, Form()] = "",
    jurisdiction: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form()] = "",
    doc_number: Annotated[str, Form()] = "",
    issued: Annotated[str, Form()] = "",
    in_force_from: Annotated[str, Form()] = "",
    in_force_to: Annotated[str, Form()] = "",
    source_url: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    clauses: Annotated[str, Form()] = "",
    text_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = dict(
        title=title,
        jurisdiction=jurisdiction,
        issuer=issuer,
        doc_number=doc_number,
        issued=issued,
        in_force_from=in_force_from,
        in_force_to=in_force_to,
        source_url=source_url,
        status=status,
        text=text,
        clauses=clauses,
    )
    upload = text_file.file.read() if text_file is not None and text_file.filename else None
    try:
        doc = register(db, actor, **document_form.arguments(form, upload))
    except DomainError as exc:
        db.rollback()
        return _document_page(request, actor, form, exc)
    first = next(iter(document_form.clauses(clauses)))
    return RedirectResponse(clause_url(doc.key, first), status_code=303)
