"""投诉与申诉 pages: a citizen (or her proxy with consent) contests a rejection or a missing payment from the
application's page and follows her appeals; the town or county official who decided sees the open appeals of
their area, oldest deadline first, and records the outcome (an upheld appeal against a rejection reopens the
application). The same `appeals` functions as the JSON API decide who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError
from cradle.idcard import mask
from cradle.services import appeals, applications, forms
from cradle.services.models import Case
from cradle.services.pages_citizen import case_page
from cradle.services.web import OfficePage, error_list, form_data, label, see_other
from cradle.web.session import RequestSession
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
Citizen = Annotated[Actor, Depends(OfficePage("citizen"))]
Reviewer = Annotated[Actor, Depends(OfficePage("town", "county"))]


@router.post("/applications/{case_no}/appeal")
def file_appeal(request: Request, s: RequestSession, actor: Citizen, form: FormDep, case_no: str) -> Response:
    try:
        appeal = appeals.file(
            s, actor, case_no, form.get("kind", ""), form.get("grounds", ""), form.get("period") or None
        )
    except DomainError as exc:
        s.rollback()
        errors = error_list(request, exc)
        return case_page(request, s, actor, case_no, errors, status_code=exc.status, form=form)
    return see_other(f"/services/appeals?filed={appeal.appeal_no}")


@router.get("/services/appeals")
def my_appeals(request: Request, s: RequestSession, actor: Citizen, filed: str = "") -> Response:
    rows = appeals.of_citizen(s, actor.id_number)
    return render(
        request,
        "services/appeals.html",
        rows=rows,
        cases={r.case_id: s.get(Case, r.case_id).case_no for r in rows},
        filed=filed,
        today=dt.date.today(),
        breadcrumbs=[
            (label(request, N_("Online services")), "/services"),
            (label(request, N_("My appeals")), None),
        ],
    )


@router.get("/staff/appeals")
def appeals_queue(request: Request, s: RequestSession, actor: Reviewer, done: str = "") -> Response:
    return _queue(request, s, actor, [], done)


def _queue(
    request: Request,
    s: Session,
    actor: Actor,
    errors: list,
    done: str = "",
    status_code: int = 200,
    form: dict | None = None,
) -> Response:
    rows = appeals.queue(s, actor)
    cases = {c.id: c for c in (s.get(Case, r.case_id) for r in rows)}
    return render(
        request,
        "services/staff_appeals.html",
        status_code=status_code,
        rows=rows,
        cases=cases,
        status_labels=applications.STATUS_LABELS,
        title_of=forms.program_title,
        mask=mask,
        errors=errors,
        done=done,
        today=dt.date.today(),
        form=form or {},
        breadcrumbs=[
            (label(request, N_("Workbench")), "/staff"),
            (label(request, N_("Appeal answers")), None),
        ],
    )


@router.post("/staff/appeals/{appeal_no}/decide")
def decide_appeal(
    request: Request, s: RequestSession, actor: Reviewer, form: FormDep, appeal_no: str
) -> Response:
    try:
        appeal = appeals.decide(
            s, actor, appeal_no, form.get("upheld") == "1", form.get(f"outcome_{appeal_no}", "")
        )
    except DomainError as exc:
        s.rollback()
        errors = error_list(request, exc, {"outcome": f"outcome_{appeal_no}"})
        return _queue(request, s, actor, errors, status_code=exc.status, form=form)
    return see_other(f"/staff/appeals?done={appeal.appeal_no}:{appeal.status}")
