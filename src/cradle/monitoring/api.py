"""JSON API for monitoring under /api/v1/monitoring (thin: every route calls a service function)."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from cradle import regions
from cradle.auth import roles
from cradle.auth.deps import check_scope, require
from cradle.db import session_scope
from cradle.monitoring import catalogue, excel, plan, scenarios, values, warnings
from cradle.monitoring.errors import MonitoringError
from cradle.web.errors import refuse

router = APIRouter(prefix="/api/v1/monitoring", tags=["monitoring"])
# The catalogue is put together when the app starts, as the packs are: a pack's target naming an indicator that
# is not defined stops start-up with a PackError naming the file and the field.
catalogue.load()
# Reading published indicators, plans, warnings and projections is public; entering data takes an official
# (or a department's clerk) whose region scope holds every region written.
ENTRY_ROLES = (roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.ADMIN)
entry = require(*ENTRY_ROLES)


def _region(code: str) -> str:
    if not regions.exists(code):
        raise HTTPException(
            422,
            detail={
                "errors": [{"field": "region", "code": "unknown_code", "message": f"unknown region {code!r}"}]
            },
        )
    return code


def _errors(exc: MonitoringError) -> NoReturn:
    refuse(422, exc.as_dict()["errors"])  # the one handler says it in the request's language


@router.get("/indicators")
def list_indicators(region: str | None = None) -> dict:
    cat = catalogue.load()
    targets = cat.targets_for(_region(region), inherit=True) if region else list(cat.targets)
    return {"indicators": [vars(i) for i in cat.indicators.values()], "targets": [vars(t) for t in targets]}


class ValueIn(BaseModel):
    indicator_id: str
    region: str
    year: int
    value: float
    source: str
    source_date: str
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    department: str
    entered_by: str


@router.post("/values", status_code=201)
def post_value(body: ValueIn, request: Request, actor=Depends(entry)):
    check_scope(actor, body.region)
    try:
        with session_scope() as s:
            row = values.enter(
                s, body.model_dump(exclude={"department", "entered_by"}), body.department, body.entered_by
            )
            return {
                "id": row.id,
                "indicator_id": row.indicator_id,
                "region": row.region,
                "year": row.year,
                "value": row.value,
            }
    except MonitoringError as exc:
        return _errors(exc)


@router.get("/values/{indicator_id}/{region}")
def get_series(indicator_id: str, region: str) -> dict:
    try:
        catalogue.load().indicator(indicator_id)
    except KeyError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    with session_scope() as s:
        return {
            "indicator_id": indicator_id,
            "region": _region(region),
            "series": values.series(s, indicator_id, region),
        }


@router.get("/template.xlsx", dependencies=[Depends(entry)])
def get_template(
    region: list[str] = Query(...), year: int = Query(...), indicator: list[str] = Query(None)
) -> Response:
    ids = indicator or [i.id for i in catalogue.load().indicators.values() if i.source == "entered"]
    for code in region:
        _region(code)
    try:
        data = excel.template(ids, region, year)
    except KeyError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="monitoring_{year}.xlsx"'},
    )


@router.post("/upload", status_code=201)
async def upload(
    request: Request,
    file: UploadFile = File(...),
    department: str = Form(...),
    entered_by: str = Form(...),
    actor=Depends(entry),
):
    data = await file.read()
    try:
        with session_scope() as s:
            rows = excel.upload(s, data, department, entered_by)
            for row in rows:  # raising here rolls the whole upload back
                check_scope(actor, row.region, "file")
            return {"stored": len(rows)}
    except MonitoringError as exc:
        return _errors(exc)


@router.get("/plan/{region}")
def get_plan(region: str) -> dict:
    with session_scope() as s:
        board = plan.board(s, _region(region))
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
                    "due": r.due.isoformat() if r.due else None,
                    "overdue": r.overdue,
                }
                for r in board
            ],
        }


class MeasureIn(BaseModel):
    region: str
    department: str
    status: str
    updated_by: str
    progress: int | None = None
    evidence: str | None = None
    due_date: dt.date | None = None


@router.post("/plan/measures/{measure_id}", status_code=201)
def post_measure(measure_id: str, body: MeasureIn, request: Request, actor=Depends(entry)):
    check_scope(actor, body.region)
    try:
        with session_scope() as s:
            row = plan.update(s, measure_id, **body.model_dump())
            return {"id": row.id, "measure_id": measure_id, "status": row.status}
    except MonitoringError as exc:
        return _errors(exc)


@router.get("/warnings")
def get_warnings(region: str, year: int) -> dict:
    from cradle.monitoring.service import counties_of

    codes = list(dict.fromkeys([_region(region), *counties_of(region)]))
    with session_scope() as s:
        ws = warnings.warnings_for(s, codes, year)
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


@router.get("/projection")
def get_projection(
    region: str,
    years: int = Query(30, ge=1, le=100),
    scenario: str = "medium",
    tfr_effect: float | None = None,
    base_year: int | None = Query(None, ge=1950, le=2100),
) -> dict:
    from cradle.monitoring.service import project_area

    base = dt.date(base_year or dt.date.today().year, 1, 1)
    try:
        sc = scenarios.policy_scenario(tfr_effect) if tfr_effect is not None else scenarios.get(scenario)
        with session_scope() as s:
            p = project_area(s, _region(region), base, [base.year - 1], years=years, scenario=sc)
    except (KeyError, ValueError) as exc:
        raise HTTPException(422, detail=str(exc)) from None
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
