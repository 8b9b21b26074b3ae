"""`/programs?jurisdiction=CODE`: every program serving a place, its parameters, values and citations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cradle.errors import N_, DomainError
from cradle.web import internal_api
from cradle.web.calculator import KINDS, regions_or_none
from cradle.web.citations import clause_url, document_titles
from cradle.web.region_choices import grouped, name_of
from cradle.web.templating import locale_of, render

router = APIRouter(include_in_schema=False)

LEVELS = {
    "national": N_("National"),
    "province": N_("Provincial"),
    "city": N_("City"),
    "county": N_("County"),
}


@router.get("/programs")
async def programs_page(request: Request, jurisdiction: str | None = None) -> Response:
    regions = await regions_or_none(request) or []
    programs, errors = None, []
    if jurisdiction:
        try:
            programs = await internal_api.get(request, "/api/v1/programs", jurisdiction=jurisdiction)
        except DomainError as exc:  # shown beside the place picker
            errors = [problem.as_dict(locale_of(request)) for problem in exc.items()]
    # htmx swaps only the listing when the picker changes.
    template = "_programs_list.html" if request.headers.get("hx-request") else "programs.html"
    return render(
        request,
        template,
        status_code=422 if errors and not request.headers.get("hx-request") else 200,
        region_groups=grouped(regions),
        jurisdiction=jurisdiction or "",
        programs=programs,
        errors=errors,
        place=name_of(regions, jurisdiction),
        kinds=KINDS,
        levels=LEVELS,
        clause_url=clause_url,
        region_name=lambda code: name_of(regions, code) or code,
        documents=await document_titles(request),
    )
