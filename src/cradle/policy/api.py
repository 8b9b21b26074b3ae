"""JSON API of the policy engine: /api/v1/calc, /programs, /regions, /documents."""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

import orjson
from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from cradle import regions
from cradle.policy.errors import FieldError, InputError
from cradle.policy.packs import load_packs
from cradle.web.errors import refuse

router = APIRouter(prefix="/api/v1", tags=["policy"])

# Packs are loaded and validated when the app starts: a malformed pack stops start-up with a PackError naming
# the file, and the first citizen does not wait for the loading.
load_packs()


def error_response(status: int, errors: list[FieldError]) -> NoReturn:
    refuse(status, [e.as_dict() for e in errors])  # the one handler says it in the request's language


def _household_schema() -> dict:
    from cradle.policy.household import Household

    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": Household.model_json_schema(ref_template="#/components/schemas/{model}")
                }
            },
        }
    }


@router.post("/calc", summary="Entitlements of one household", openapi_extra=_household_schema())
async def calc(
    request: Request,
    on: dt.date | None = Query(None, description="as-of date (default: today)"),
    explain: bool = Query(False, description="also list programs tested that did not apply, with the reason"),
):
    """Body: the household input format of POLICY_CATALOGUE.md. The body is read and validated here, once,
    by the same parser as `cradle calc` (so both front doors give the same field errors), and the answer is
    serialised with orjson: the calc itself takes about a millisecond, so framework overhead matters."""
    from cradle.policy.calc import calc_household

    try:
        result = calc_household(await request.body(), on or dt.date.today(), explain=explain)
    except InputError as e:
        return error_response(422, e.errors)
    return Response(orjson.dumps(result), media_type="application/json")


@router.post("/calc/facility", summary="Entitlements of one childcare facility")
def calc_facility_endpoint(facility: dict[str, Any] = Body(...), on: dt.date | None = Query(None)):
    from cradle.policy.facility import calc_facility

    try:
        return calc_facility(facility, on or dt.date.today(), explain=True)
    except InputError as e:
        return error_response(422, e.errors)


@router.get("/programs", summary="Programs with parameters, current values and citations")
def programs(jurisdiction: str | None = Query(None, pattern=r"^\d{6}$"), on: dt.date | None = Query(None)):
    from cradle.policy.listing import list_programs

    if jurisdiction and not regions.exists(jurisdiction):
        return error_response(
            422, [FieldError("jurisdiction", "unknown_code", f"未知的行政区划代码 {jurisdiction}")]
        )
    return list_programs(jurisdiction, on)


@router.get("/regions", summary="Regions served by a policy pack, with their parents")
def served_regions():
    from cradle.policy.packs import load_packs

    codes: set[str] = set()
    for pack in load_packs():
        if pack.region == "cn":
            continue
        codes.update(regions.ancestors(pack.region))
        codes.update(r.code for r in regions.descendants(pack.region))
    return [
        {"code": r.code, "name": r.name, "name_en": r.name_en, "level": r.level, "parent": r.parent}
        for r in sorted((regions.get(c) for c in codes), key=lambda r: r.code)
    ]


@router.get("/documents", summary="The loaded policy documents")
def documents():
    from cradle.policy.packs import load_packs

    return [
        {"document": d.file, "title": d.title, "jurisdiction": p.region, "status": d.status, "pack": p.id}
        for p in load_packs()
        for d in p.documents
    ]


@router.get("/documents/{document}/clauses/{clause}", summary="The text of one clause")
def clause(document: str, clause: str):
    from cradle.policy.packs import find_clause

    try:
        c = find_clause(document, clause)
    except KeyError:
        return error_response(404, [FieldError("clause", "not_found", f"未找到 {document} 的条款 {clause}")])
    return {"document": c.document, "clause": c.clause, "text": c.text}
