"""JSON API of the policy engine: /api/v1/calc, /programs, /regions, /documents. Refusals are `cradle.errors`
errors, answered by the app's one handler."""

from __future__ import annotations

import datetime as dt
import re

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from cradle import regions
from cradle.errors import N_, DomainError, Invalid, NotFound
from cradle.policy import batching, published
from cradle.policy.facility import Facility, calc_facility
from cradle.policy.household import Household, json_object, parse_household
from cradle.policy.listing import list_programs
from cradle.policy.packs import load_packs
from cradle.policy.schemas import CalcOut, ClauseOut, DocumentOut, ProgramOut, RegionOut
from cradle.web.fastpath import is_post_to, post_route, read_body, replay

router = APIRouter(prefix="/api/v1", tags=["policy"])

# Packs are loaded and validated when the app starts: a malformed pack stops start-up with a PackError naming
# the file, and the first citizen does not wait for the loading.
load_packs()


def _body_schema(model: type[BaseModel]) -> dict:
    """The request body `/docs` shows for a route that reads and validates its body itself: the model's JSON
    schema with its nested models written out in place (OpenAPI resolves a `$ref` against the whole document,
    whose components hold only the models FastAPI validates)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return inline({**defs[node["$ref"].rsplit("/", 1)[-1]], **rest})
        if "mapping" in node and "propertyName" in node:  # a discriminator: its mapping names $defs
            return {"propertyName": node["propertyName"]}
        return {key: inline(value) for key, value in node.items()}

    body = inline(schema)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}}


def _json(answer: dict) -> Response:
    """The answer serialised once, by orjson. FastAPI passes a Response through as it is, so the response model
    describes the answer in /docs without being run on it: the calc itself takes about a millisecond, and
    validating and serialising its answer again would cost about as much."""
    return Response(orjson.dumps(answer), media_type="application/json")


@router.post(
    "/calc",
    summary="Entitlements of one household",
    response_model=CalcOut,
    openapi_extra=_body_schema(Household),
)
async def calc(
    request: Request,
    on: dt.date | None = Query(None, description="as-of date (default: today)"),
    explain: bool = Query(False, description="also list programs tested that did not apply, with the reason"),
) -> Response:
    """Body: the household input format of POLICY_CATALOGUE.md. The body is read and validated here, once,
    by the same parser as `cradle calc` (so both front doors give the same field errors); the households of
    concurrent requests are then computed together (cradle.policy.batching), each answered as if alone."""
    as_of = on or dt.date.today()
    household = parse_household(await request.body(), as_of)
    return _json(await batching.calc(household, as_of, explain))


CALC_PATH = router.prefix + "/calc"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOOLEAN = {"true": True, "false": False, "1": True, "0": False}


def _plain_query(raw: bytes) -> tuple[dt.date | None, bool] | None:
    """(on, explain) of a query string that the route's own parameters would read as these values without a
    doubt (`on=2025-07-01&explain=true`, `lang=` left to the locale); None for anything else (an unknown,
    repeated, empty or percent-encoded parameter, a date or a boolean in another spelling or invalid)."""
    on, explain, seen = None, False, set()
    for pair in raw.decode("latin-1").split("&") if raw else ():
        name, eq, value = pair.partition("=")
        if not eq or name in seen or name not in ("on", "explain", "lang"):
            return None
        seen.add(name)
        if name == "on":
            if not _DAY.match(value):
                return None
            try:
                on = dt.date.fromisoformat(value)
            except ValueError:
                return None
        elif name == "explain":
            if value not in _BOOLEAN:
                return None
            explain = _BOOLEAN[value]
    return on, explain


class CalcFastPath:
    """`POST /api/v1/calc` answered without the framework's per-request work (route matching over every
    router, the query parameters' validation, the request and response objects, the exception layers):
    160 µs a request in process, about 7 % of the server's CPU a request at 16 clients (docs/performance.md).
    Installed inside the app's own middlewares (request id, metrics and log line, security headers, identity,
    locale), which see the request as before. It answers only what the route would answer in the same way
    without a doubt: a plain query string (`_plain_query`) and a household that validates and computes. Anything
    else, a refusal included, goes to the route itself with the body it was sent, so every refusal, its field
    and its language are the framework's and the app's error handler's as before."""

    def __init__(self, app) -> None:
        self.app = app
        self.route = post_route(router, CALC_PATH)

    async def __call__(self, scope, receive, send):
        if not is_post_to(scope, CALC_PATH):
            return await self.app(scope, receive, send)
        query = _plain_query(scope.get("query_string", b""))
        if query is None:
            return await self.app(scope, receive, send)
        messages, body = await read_body(receive)
        if body is None:  # the client left: the route says so as before
            return await self.app(scope, replay(messages, receive), send)
        on, explain = query
        as_of = on or dt.date.today()
        try:
            household = parse_household(body, as_of)
            answer = await batching.calc(household, as_of, explain)
        except (DomainError, HTTPException):
            return await self.app(scope, replay(messages, receive), send)
        scope["route"], scope["endpoint"], scope["path_params"] = self.route, self.route.endpoint, {}
        await _json(answer)(scope, receive, send)


fast_path = CalcFastPath


@router.post(
    "/calc/facility",
    summary="Entitlements of one childcare facility",
    response_model=CalcOut,
    openapi_extra=_body_schema(Facility),
)
async def calc_facility_endpoint(
    request: Request, on: dt.date | None = Query(None, description="as-of date (default: today)")
) -> Response:
    facility = json_object(await request.body(), N_("The facility data should be a JSON object"))
    return _json(calc_facility(facility, on or dt.date.today(), explain=True))


@router.get(
    "/programs",
    summary="Programs with parameters, current values and citations",
    response_model=list[ProgramOut],
    response_model_exclude_unset=True,
)
def programs(jurisdiction: str | None = Query(None, pattern=r"^\d{6}$"), on: dt.date | None = Query(None)):
    if jurisdiction and not regions.exists(jurisdiction):
        unknown = N_("Unknown region code %(region)s")
        raise Invalid("jurisdiction", unknown, code="unknown_code", region=jurisdiction)
    return list_programs(jurisdiction, on)


@router.get(
    "/regions", summary="Regions served by a policy pack, with their parents", response_model=list[RegionOut]
)
def served_regions():
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


@router.get(
    "/documents",
    summary="The policy documents: the release's, and those registered on the parameter desk",
    response_model=list[DocumentOut],
)
def documents():
    return [
        {
            "document": d.key,
            "title": d.title,
            "jurisdiction": d.jurisdiction,
            "status": d.status,
            "pack": d.pack,
            "issuer": d.issuer,
            "doc_number": d.doc_number,
            "issued": d.issued,
            "in_force_from": d.in_force_from,
            "in_force_to": d.in_force_to,
            "source_url": d.source_url,
            "registered": d.registered,
        }
        for d in published.documents()
    ]


@router.get(
    "/documents/{document}/clauses/{clause}", summary="The text of one clause", response_model=ClauseOut
)
def clause(document: str, clause: str):
    try:
        c = published.clause(document, clause)
    except KeyError:
        raise NotFound(
            "clause", N_("Clause %(clause)s of %(document)s not found"), document=document, clause=clause
        ) from None
    return {"document": c.document, "clause": c.clause, "text": c.text}
