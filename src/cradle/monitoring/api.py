"""JSON API for monitoring under /api/v1/monitoring (thin: every route calls a service function). Refusals are
`cradle.errors` errors, answered by the app's one handler."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import check_scope, require
from cradle.db import RequestSession
from cradle.monitoring import catalogue, excel, plan, scenarios, values, warnings
from cradle.monitoring.areas import checked
from cradle.monitoring.schemas import (
    IndicatorsOut,
    MeasureIn,
    MeasureUpdateOut,
    PlanOut,
    ProjectionOut,
    SeriesOut,
    StoredOut,
    ValueIn,
    ValueOut,
    WarningsOut,
)
from cradle.monitoring.service import counties_of, project_area

router = APIRouter(prefix="/api/v1/monitoring", tags=["monitoring"])
# The catalogue is put together when the app starts, as the packs are: a pack's target naming an indicator that
# is not defined stops start-up with a PackError naming the file and the field.
catalogue.load()
# Reading published indicators, plans, warnings and projections is public; entering data takes an official
# (or a department's clerk) whose region scope holds every region written.
ENTRY_ROLES = (roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.ADMIN)
entry = require(*ENTRY_ROLES)
Entry = Annotated[Actor, Depends(entry)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/indicators", response_model=IndicatorsOut)
def list_indicators(region: str | None = None) -> dict:
    cat = catalogue.load()
    targets = cat.targets_for(checked(region), inherit=True) if region else list(cat.targets)
    return {"indicators": [vars(i) for i in cat.indicators.values()], "targets": [vars(t) for t in targets]}


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
    region: Annotated[list[str], Query()],
    year: Annotated[int, Query()],
    indicator: Annotated[list[str] | None, Query()] = None,
) -> Response:
    ids = indicator or [i.id for i in catalogue.load().indicators.values() if i.source == "entered"]
    for code in region:
        checked(code)
    return Response(
        excel.template(ids, region, year),
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


@router.get("/plan/{region}", response_model=PlanOut)
def get_plan(region: str, db: RequestSession) -> dict:
    board = plan.board(db, checked(region))
    return {
        "region": region,
        "measures": [
            {
                "id": r.measure.id,
                "title": r.measure.title,
                "clause": r.measure.clause,
                "document": r.measure.document,
                "owners": list(r.measure.owners),
                "owners_text": r.measure.owners_text,
                "status": r.status,
                "progress": r.progress,
                "evidence": r.evidence,
                "due": r.due,
                "overdue": r.overdue,
            }
            for r in board
        ],
    }


@router.post("/plan/measures/{measure_id}", status_code=201, response_model=MeasureUpdateOut)
def post_measure(measure_id: str, body: MeasureIn, db: RequestSession, actor: Entry) -> dict:
    check_scope(actor, body.region)
    row = plan.update(db, measure_id, **body.model_dump())
    return {"id": row.id, "measure_id": measure_id, "status": row.status}


@router.get("/warnings", response_model=WarningsOut)
def get_warnings(region: str, year: int, db: RequestSession) -> dict:
    codes = list(dict.fromkeys([checked(region), *counties_of(region)]))
    ws = warnings.warnings_for(db, codes, year)
    return {
        "warnings": [
            {
                "region": w.region,
                "region_name": w.region_name,
                "kind": w.kind,
                "indicator": w.indicator,
                "year": w.year,
                "reason": w.reason,
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
