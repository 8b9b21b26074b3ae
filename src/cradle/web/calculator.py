"""The benefit calculator at `/`: a household form whose results come from POST /api/v1/calc."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from cradle.errors import N_, DomainError
from cradle.web import internal_api
from cradle.web.citations import clause_url, document_titles
from cradle.web.i18n import gettext
from cradle.web.region_choices import grouped, localized, name_of
from cradle.web.templating import locale_of, render

router = APIRouter(include_in_schema=False)

RELATIONS = {
    "mother": N_("Mother"),
    "father": N_("Father"),
    "child": N_("Child"),
    "grandparent": N_("Grandparent"),
    "other": N_("Other member"),
}
KINDS = {
    "cash": N_("Cash"),
    "reimbursement": N_("Reimbursement"),
    "deduction": N_("Tax deduction"),
    "waiver": N_("Fee waiver"),
    "leave": N_("Leave"),
    "priority": N_("Priority"),
    "service": N_("Service"),
    "deadline": N_("Deadline"),
}


async def regions_or_none(request: Request) -> list[dict] | None:
    """The served regions, named in the request's language."""
    try:
        found = await internal_api.get(request, "/api/v1/regions")
    except DomainError:
        return None
    return localized(found, locale_of(request))


@router.get("/")
async def calculator_page(request: Request, jurisdiction: str | None = None) -> Response:
    regions = await regions_or_none(request)
    return render(
        request,
        "calculator.html",
        region_groups=grouped(regions or []),
        regions_unavailable=regions is None,
        jurisdiction=jurisdiction or "",
        today=dt.date.today().isoformat(),
        relations=RELATIONS,
    )


def member_labels(household: dict, locale: str) -> dict[str, str]:
    """member id -> "孩子 2" style label, numbering members of the same relation in form order."""
    members = [m for m in household.get("members", []) if isinstance(m, dict)]
    totals = Counter(m.get("relation") for m in members)
    seen: Counter = Counter()
    labels = {}
    for m in members:
        relation = m.get("relation")
        seen[relation] += 1
        label = gettext(locale, RELATIONS.get(relation, N_("Other member")))
        if totals[relation] > 1:
            label = f"{label} {seen[relation]}"
        labels[str(m.get("id"))] = label
    return labels


@router.post("/calc/results")
async def calculator_results(
    request: Request, on: dt.date = Query(default_factory=dt.date.today)
) -> Response:
    """The result cards as an HTML fragment. The body (the household, as the API takes it) goes to the API as it
    is; its field errors come back as the API's own JSON, which the form shows beside each field."""
    locale = locale_of(request)
    body = await request.body()
    try:
        result = await internal_api.call(
            request, "POST", "/api/v1/calc", params={"on": on.isoformat(), "explain": "true"}, content=body
        )
    except DomainError as exc:
        return JSONResponse({"errors": [p.as_dict(locale) for p in exc.items()]}, status_code=exc.status)
    household = json.loads(body)  # the API read it as a JSON object
    regions = await regions_or_none(request) or []
    return render(
        request,
        "_results.html",
        result=result,
        members=member_labels(household, locale),
        kinds=KINDS,
        documents=await document_titles(request),
        clause_url=clause_url,
        place=name_of(regions, result.get("jurisdiction")) or result.get("jurisdiction"),
    )
