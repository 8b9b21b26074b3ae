"""The household survey's pages at /monitoring/{code}/survey: the samples drawn for the region and the form to draw
one; a sample's page with its strata, the estimates with 95% confidence intervals, the results form for one
household, the sheet to download and the filled sheet to upload (`cradle.monitoring.survey_store`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, DomainError, Invalid
from cradle.monitoring import survey_store
from cradle.monitoring.access import SURVEY_ROLES
from cradle.monitoring.pagekit import Staff, crumbs, errors_by_field, in_scope, say
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/monitoring/{code}/survey")
Surveyor = Annotated[Actor, Depends(PageActor(*SURVEY_ROLES))]
Id = Annotated[int, Path(ge=1, le=2**62)]
SURVEY = N_("1% household sample survey")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET = 5 * 1024 * 1024


def _index(
    request: Request, db, actor: Actor, code: str, errors=None, form=None, status: int = 200
) -> Response:
    title = say(request, SURVEY)
    year = dt.date.today().year - 1
    return render(
        request,
        "monitoring/survey.html",
        status_code=status,
        title=title,
        region_code=code,
        surveys=survey_store.of_region(db, actor, code),
        errors=errors or {},
        form={"year": str(year), "fraction": "0.01", "seed": "", **(form or {})},
        breadcrumbs=crumbs(request, code, (title, None)),
    )


@router.get("")
def survey_index(code: str, request: Request, db: RequestSession, actor: Staff) -> Response:
    return _index(request, db, actor, in_scope(actor, code))


def _number(form: dict, field: str, kind, problems: list):
    raw = str(form.get(field) or "").strip()
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        problems.append(Invalid(field, N_("Not a number: %(value)s"), value=repr(raw)))
        return None


@router.post("")
async def survey_draw(code: str, request: Request, db: RequestSession, actor: Surveyor) -> Response:
    in_scope(actor, code)
    form = {k: str(v) for k, v in (await request.form()).items() if isinstance(v, str)}
    problems: list[Invalid] = []
    year = _number(form, "year", int, problems)
    fraction = _number(form, "fraction", float, problems)
    seed = _number(form, "seed", int, problems)
    try:
        if problems:
            raise problems[0]
        if year is None:
            raise Invalid("year", N_("This value is required"))
        row = survey_store.draw(db, actor, code, year, fraction or 0.01, seed)
    except DomainError as exc:
        if not exc.bad_input:
            raise
        db.rollback()
        return _index(request, db, actor, code, errors_by_field(exc, locale_of(request)), form, 422)
    return RedirectResponse(f"/monitoring/{code}/survey/{row.id}", status_code=303)


def _survey_page(
    request: Request, db, actor: Actor, code: str, survey_id: int, errors=None, form=None, status: int = 200
) -> Response:
    row = survey_store.get(db, actor, code, survey_id)
    title = say(request, N_("Sample %(number)s (%(year)s)"), number=row.id, year=row.year)
    return render(
        request,
        "monitoring/survey_sample.html",
        status_code=status,
        title=title,
        region_code=code,
        survey=row,
        est=survey_store.estimate(row),
        QUANTITIES=survey_store.QUANTITIES,
        errors=errors or {},
        form=form or {"visited_on": dt.date.today().isoformat()},
        saved=request.query_params.get("saved"),
        breadcrumbs=crumbs(
            request, code, (say(request, SURVEY), f"/monitoring/{code}/survey"), (title, None)
        ),
    )


@router.get("/{survey_id}")
def survey_page(code: str, survey_id: Id, request: Request, db: RequestSession, actor: Staff) -> Response:
    return _survey_page(request, db, actor, in_scope(actor, code), survey_id)


@router.post("/{survey_id}/results")
async def survey_results(
    code: str, survey_id: Id, request: Request, db: RequestSession, actor: Surveyor
) -> Response:
    in_scope(actor, code)
    form = {k: str(v) for k, v in (await request.form()).items() if isinstance(v, str)}
    row = survey_store.get(db, actor, code, survey_id)
    try:
        n = survey_store.enter(db, actor, row, [("", form)])
    except DomainError as exc:
        if not exc.bad_input:
            raise
        db.rollback()
        return _survey_page(
            request, db, actor, code, survey_id, errors_by_field(exc, locale_of(request)), form, 422
        )
    return RedirectResponse(f"/monitoring/{code}/survey/{survey_id}?saved={n}#estimates", status_code=303)


@router.get("/{survey_id}/sheet.xlsx", response_class=Response)
def survey_sheet(code: str, survey_id: Id, request: Request, db: RequestSession, actor: Staff) -> Response:
    row = survey_store.get(db, actor, in_scope(actor, code), survey_id)
    return Response(
        survey_store.sheet(row, lambda m: say(request, m)),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="survey_{code}_{row.id}.xlsx"'},
    )


@router.post("/{survey_id}/upload")
async def survey_upload(
    code: str, survey_id: Id, request: Request, db: RequestSession, actor: Surveyor
) -> Response:
    in_scope(actor, code)
    row = survey_store.get(db, actor, code, survey_id)
    item = (await request.form()).get("file")
    try:
        if not isinstance(item, UploadFile) or not item.filename:
            raise Invalid("file", N_("Choose the filled sheet"))
        n = survey_store.enter(db, actor, row, survey_store.read_sheet(await item.read(MAX_SHEET)))
    except DomainError as exc:
        if not exc.bad_input:
            raise
        db.rollback()
        errors = {p.field: p.text(locale_of(request)) for p in exc.items()}
        return _survey_page(request, db, actor, code, survey_id, {"upload": errors}, None, 422)
    return RedirectResponse(f"/monitoring/{code}/survey/{survey_id}?saved={n}#estimates", status_code=303)
