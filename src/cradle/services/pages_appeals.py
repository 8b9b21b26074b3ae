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

from cradle.db import RequestSession
from cradle.idcard import mask
from cradle.services import appeals, applications, forms
from cradle.services.errors import ServiceError
from cradle.services.models import Case
from cradle.services.web import error_list, form_data, guarded, page_actor, see_other
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]


@router.post("/applications/{case_no}/appeal")
@guarded
def file_appeal(request: Request, s: RequestSession, form: FormDep, case_no: str) -> Response:
    from cradle.services.pages_citizen import case_page

    actor = page_actor(request, "citizen")
    try:
        appeal = appeals.file(
            s, actor, case_no, form.get("kind", ""), form.get("grounds", ""), form.get("period") or None
        )
    except ServiceError as exc:
        s.rollback()
        return case_page(request, s, actor, case_no, error_list(exc), status_code=exc.status, form=form)
    return see_other(f"/services/appeals?filed={appeal.appeal_no}")


@router.get("/services/appeals")
@guarded
def my_appeals(request: Request, s: RequestSession, filed: str = "") -> Response:
    actor = page_actor(request, "citizen")
    rows = appeals.of_citizen(s, actor.id_number)
    return render(
        request,
        "services/appeals.html",
        rows=rows,
        cases=_case_nos(s, rows),
        filed=filed,
        today=dt.date.today(),
        breadcrumbs=[("网上办事", "/services"), ("我的申诉", None)],
    )


@router.get("/staff/appeals")
@guarded
def appeals_queue(request: Request, s: RequestSession, done: str = "") -> Response:
    actor = page_actor(request, "town", "county")
    return _queue(request, s, actor, [], done)


def _queue(
    request: Request,
    s: Session,
    actor,
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
        status_text=applications.STATUS_TEXT,
        title_of=forms.program_title,
        mask=mask,
        errors=errors,
        done=done,
        today=dt.date.today(),
        form=form or {},
        breadcrumbs=[("工作台", "/staff"), ("申诉答复", None)],
    )


@router.post("/staff/appeals/{appeal_no}/decide")
@guarded
def decide_appeal(request: Request, s: RequestSession, form: FormDep, appeal_no: str) -> Response:
    actor = page_actor(request, "town", "county")
    try:
        appeal = appeals.decide(
            s, actor, appeal_no, form.get("upheld") == "1", form.get(f"outcome_{appeal_no}", "")
        )
    except ServiceError as exc:
        s.rollback()
        errors = error_list(exc, {"outcome": f"outcome_{appeal_no}"})
        return _queue(request, s, actor, errors, status_code=exc.status, form=form)
    return see_other(f"/staff/appeals?done={appeal.appeal_no}:{appeal.status}")


def _case_nos(s: Session, rows) -> dict[int, str]:
    return {r.case_id: s.get(Case, r.case_id).case_no for r in rows}
