"""The /whatif page: choose a region, a parameter of the documents binding it and a new value, and see the
beneficiaries and cost by year and county, baseline against scenario, as a chart and a table, with the CSV to
download; batch runs of every program are started and downloaded from the same place. Runs go in the background
(`cradle.monitoring.runs`); a run's page refreshes itself while it runs and shows how far it got."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from cradle import regions
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, DomainError, Invalid, NotFound, translate
from cradle.monitoring import runs
from cradle.monitoring.access import SURVEY_ROLES
from cradle.monitoring.pagekit import Staff, errors_by_field, say
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/whatif")
Starter = Annotated[Actor, Depends(PageActor(*SURVEY_ROLES))]
Id = Annotated[int, Path(ge=1, le=2**62)]
WHATIF = N_("What-if: a parameter changed")


def _default_region(actor: Actor) -> str:
    return actor.county or (actor.region if actor.region and regions.exists(actor.region) else "")


def _index(
    request: Request, db, actor: Actor, region: str, errors=None, form=None, status: int = 200
) -> Response:
    today = dt.date.today()
    region = region or _default_region(actor)
    params = runs.parameters(region) if region and regions.exists(region) else {}
    title = say(request, WHATIF)
    return render(
        request,
        "monitoring/whatif.html",
        status_code=status,
        title=title,
        region=region,
        params=params,
        runs=runs.visible(db, actor),
        STATES=runs.STATES,
        SOURCES=runs.SOURCES,
        errors=errors or {},
        form={
            "parameter": "",
            "value": "",
            "years": f"{today.year}-{today.year + 2}",
            "source": "registry",
            "persons": "20000",
            "on": today.isoformat(),
            **(form or {}),
        },
        breadcrumbs=[(say(request, N_("Monitoring")), "/monitoring"), (title, None)],
    )


@router.get("")
def whatif_page(request: Request, db: RequestSession, actor: Staff, region: str = "") -> Response:
    return _index(request, db, actor, region.strip())


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v).strip() for k, v in (await request.form()).items() if isinstance(v, str)}


def _started(request: Request, db, actor: Actor, form: dict, start) -> Response:
    try:
        row = start()
    except DomainError as exc:
        if not exc.bad_input:
            raise
        db.rollback()
        errors = errors_by_field(exc, locale_of(request))
        return _index(request, db, actor, form.get("region", ""), errors, form, 422)
    db.commit()  # the run's thread reads the row from its own session
    runs.launch(row.id)
    return RedirectResponse(f"/whatif/runs/{row.id}", status_code=303)


def _on(form: dict) -> dt.date:
    try:
        return dt.date.fromisoformat(form.get("on", ""))
    except ValueError:
        raise Invalid(
            "on", N_("A date is expected (YYYY-MM-DD): %(value)s"), value=repr(form.get("on"))
        ) from None


@router.post("")
async def whatif_start(request: Request, db: RequestSession, actor: Starter) -> Response:
    form = await _form(request)
    return _started(
        request,
        db,
        actor,
        form,
        lambda: runs.start_whatif(
            db,
            actor,
            form.get("region", ""),
            form.get("parameter", ""),
            form.get("value", ""),
            form.get("years", ""),
            form.get("source", "registry"),
            form.get("persons"),
            _on(form),
        ),
    )


@router.post("/batch")
async def batch_start(request: Request, db: RequestSession, actor: Starter) -> Response:
    form = await _form(request)
    return _started(
        request,
        db,
        actor,
        form,
        lambda: runs.start_batch(
            db, actor, form.get("region", ""), _on(form), form.get("source", "registry"), form.get("persons")
        ),
    )


def _chart(request: Request, result: dict) -> dict:
    years = [str(r["year"]) for r in result["by_year"]]
    return {
        "kind": "bars",
        "unit": say(request, N_("10,000 yuan")),
        "years": years,
        "series": [
            {
                "name": say(request, N_("Baseline")),
                "values": [round(r["cost_base"] / 1e4, 1) for r in result["by_year"]],
            },
            {
                "name": say(request, N_("Scenario")),
                "values": [round(r["cost_scenario"] / 1e4, 1) for r in result["by_year"]],
            },
        ],
    }


@router.get("/runs/{run_id}")
def run_page(run_id: Id, request: Request, db: RequestSession, actor: Staff) -> Response:
    row = runs.get(db, actor, run_id)
    result = row.result or {}
    error = result.get("error")
    title = say(request, N_("Run %(number)s"), number=row.id)
    return render(
        request,
        "monitoring/whatif_run.html",
        title=title,
        run=row,
        result=result,
        chart=_chart(request, result) if row.kind == "whatif" and row.status == "done" else None,
        error=translate(error["message_id"], error["params"], locale_of(request)) if error else row.message,
        stage=runs.STAGES[min(row.done, len(runs.STAGES) - 1)] if row.kind == "whatif" else None,
        params=runs.parameters(row.region),
        STATES=runs.STATES,
        SOURCES=runs.SOURCES,
        download=runs.result_file(row) is not None,
        breadcrumbs=[
            (say(request, N_("Monitoring")), "/monitoring"),
            (say(request, WHATIF), "/whatif"),
            (title, None),
        ],
    )


@router.get("/runs/{run_id}/result.csv", response_class=Response)
def run_result(run_id: Id, db: RequestSession, actor: Staff) -> Response:
    row = runs.get(db, actor, run_id)
    path = runs.result_file(row)
    if path is None:
        raise NotFound("run_id", N_("Run %(run)s has no result yet"), run=run_id)
    return FileResponse(
        path, media_type="text/csv; charset=utf-8", filename=f"{row.kind}_{row.region}_{row.id}.csv"
    )
