"""JSON API for monitoring under /api/v1/monitoring (thin: every route calls a service function). Refusals are
`cradle.errors` errors, answered by the app's one handler."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from cradle import regions
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import check_scope, require
from cradle.errors import translate
from cradle.monitoring import catalogue, excel, plan, scenarios, values, warnings
from cradle.monitoring.access import ENTRY_ROLES
from cradle.monitoring.areas import checked
from cradle.monitoring.models import PlanReport
from cradle.monitoring.schemas import (
    IndicatorsOut,
    PlanOut,
    ProjectionOut,
    ReportIn,
    ReportOut,
    ReviewIn,
    SeriesOut,
    StoredOut,
    ValueIn,
    ValueOut,
    WarningsOut,
)
from cradle.monitoring.service import counties_of, project_area
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of

router = APIRouter(prefix="/api/v1/monitoring", tags=["monitoring"])
# The catalogue is put together when the app starts, as the packs are: a pack's target naming an indicator that
# is not defined stops start-up with a PackError naming the file and the field.
catalogue.load()
# Reading published indicators, plans, warnings and projections is public; entering data takes an official
# (or a department's clerk) whose region scope holds every region written.
entry = require(*ENTRY_ROLES)
Entry = Annotated[Actor, Depends(entry)]
# Plan reports are the units' (department accounts); the plan service says which unit may do what.
Unit = Annotated[Actor, Depends(require(roles.DEPT))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/indicators", response_model=IndicatorsOut)
def list_indicators(region: str | None = None) -> dict:
    cat = catalogue.load()
    targets = cat.targets_for(checked(region), inherit=True) if region else list(cat.targets)
    return {
        "indicators": [{**vars(i), "en": vars(i.en)} for i in cat.indicators.values()],
        "targets": [vars(t) for t in targets],
    }


@router.post("/values", status_code=201, response_model=ValueOut)
def post_value(body: ValueIn, db: RequestSession, actor: Entry) -> dict:
    check_scope(actor, body.region)
    row = values.enter(
        db, body.model_dump(exclude={"department", "entered_by"}), body.department, body.entered_by
    )
    return {
        "id": row.id,
        "indicator_id": row.indicator_id,
        "region": row.region,
        "year": row.year,
        "value": row.value,
    }


@router.get("/values/{indicator_id}/{region}", response_model=SeriesOut)
def get_series(indicator_id: str, region: str, db: RequestSession) -> dict:
    catalogue.load().indicator(indicator_id)
    return {
        "indicator_id": indicator_id,
        "region": checked(region),
        "series": values.series(db, indicator_id, region),
    }


@router.get("/template.xlsx", dependencies=[Depends(entry)], response_class=Response)
def get_template(
    db: RequestSession,
    region: Annotated[list[str], Query()],
    year: Annotated[int, Query()],
    indicator: Annotated[list[str] | None, Query()] = None,
) -> Response:
    ids = indicator or [i.id for i in catalogue.load().indicators.values() if i.source == "entered"]
    for code in region:
        checked(code)
    return Response(
        excel.template(ids, region, year, db),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="monitoring_{year}.xlsx"'},
    )


@router.post("/upload", status_code=201, response_model=StoredOut)
async def upload(
    db: RequestSession,
    actor: Entry,
    file: Annotated[UploadFile, File()],
    department: Annotated[str, Form()],
    entered_by: Annotated[str, Form()],
) -> dict:
    rows = excel.upload(db, await file.read(), department, entered_by)
    for row in rows:  # raising here rolls the whole upload back
        check_scope(actor, row.region, "file")
    return {"stored": len(rows)}


def task_dict(row: plan.TaskStatus, today: dt.date) -> dict:
    t = row.task
    return {
        "id": t.id,
        "measure_id": t.measure.id,
        "title": t.task.title,
        "measure_title": t.measure.title,
        "clause": t.measure.clause,
        "document": t.measure.document,
        "section": t.measure.section,
        "lead": list(t.lead),
        "support": list(t.support),
        "basis": t.basis,
        "recurring": t.task.recurring,
        "items": [
            {"period": i.period, "due": i.due, "state": i.state, "overdue": i.overdue(today)}
            for i in row.items
        ],
    }


def report_dict(row: PlanReport) -> dict:
    return {
        "id": row.id,
        "task_id": row.task_id,
        "region": row.region,
        "period": row.period,
        "department": row.department,
        "progress": row.progress,
        "figures": row.figures or [],
        "reported_on": row.reported_on,
        "status": row.status,
        "reported_by": row.reported_by,
        "reviewed_by": row.reviewed_by,
        "reason": row.reason,
        "evidence": [
            {"id": e.id, "name": e.name, "content_type": e.content_type, "size": e.size} for e in row.evidence
        ],
    }


@router.get("/plan/{region}", response_model=PlanOut)
def get_plan(region: str, db: RequestSession) -> dict:
    today = dt.date.today()
    return {"region": region, "tasks": [task_dict(r, today) for r in plan.board(db, checked(region), today)]}


@router.post("/plan/{region}/tasks/{task_id}/reports", status_code=201, response_model=ReportOut)
def post_report(region: str, task_id: str, body: ReportIn, db: RequestSession, actor: Unit) -> dict:
    row = plan.submit(
        db,
        actor,
        checked(region),
        task_id,
        body.period,
        body.progress,
        body.reported_on,
        [f.model_dump() for f in body.figures],
    )
    return report_dict(row)


@router.post("/plan/{region}/reports/{report_id}/review", response_model=ReportOut)
def review_report(region: str, report_id: int, body: ReviewIn, db: RequestSession, actor: Unit) -> dict:
    return report_dict(plan.review(db, actor, checked(region), report_id, body.action, body.reason))


@router.get("/warnings", response_model=WarningsOut)
def get_warnings(request: Request, region: str, year: int, db: RequestSession) -> dict:
    """The warnings said in the request's language (`?lang=en`, `Accept-Language`): each reason is its message id
    and parameters, translated here; the region named in that language too."""
    locale = locale_of(request)
    codes = list(dict.fromkeys([checked(region), *counties_of(region)]))
    ws = warnings.warnings_for(db, codes, year)
    return {
        "warnings": [
            {
                "region": w.region,
                "region_name": regions.local_name(w.region, locale),
                "kind": w.kind,
                "kind_label": translate(warnings.KINDS[w.kind], {}, locale),
                "indicator": w.indicator,
                "year": w.year,
                "reason": w.text(locale),
                "message": w.message,
            }
            for w in ws
        ]
    }


@router.get("/projection", response_model=ProjectionOut)
def get_projection(
    region: str,
    db: RequestSession,
    years: Annotated[int, Query(ge=1, le=100)] = 30,
    scenario: str = "medium",
    tfr_effect: float | None = None,
    base_year: Annotated[int | None, Query(ge=1950, le=2100)] = None,
) -> dict:
    base = dt.date(base_year or dt.date.today().year, 1, 1)
    sc = scenarios.policy_scenario(tfr_effect) if tfr_effect is not None else scenarios.get(scenario)
    p = project_area(db, checked(region), base, [base.year - 1], years=years, scenario=sc)
    r = p.result
    return {
        "region": region,
        "scenario": sc.name,
        "years": list(r.years),
        "counties": list(r.regions),
        "defaulted": list(p.defaulted),
        "population": r.total().sum(1).round().tolist(),
        "under3": r.under(3).sum(1).round().tolist(),
        "births": r.births_total().sum(1).round().tolist(),
    }
