"""The source documents and their clauses: `/documents` and `/clauses/{document}/{clause}`."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cradle.errors import DomainError
from cradle.web import internal_api
from cradle.web.calculator import regions_or_none
from cradle.web.region_choices import name_of
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/documents")
async def documents_page(request: Request) -> Response:
    documents = await internal_api.get(request, "/api/v1/documents")  # a refusal is the page's error
    regions = await regions_or_none(request) or []
    for doc in documents:
        doc["place"] = name_of(regions, doc.get("jurisdiction")) or doc.get("jurisdiction")
    return render(request, "documents.html", documents=documents)


@router.get("/clauses/{document}/{clause:path}")
async def clause_page(request: Request, document: str, clause: str) -> Response:
    found = await internal_api.get(
        request, f"/api/v1/documents/{quote(document, safe='')}/clauses/{quote(clause, safe='')}"
    )
    try:
        documents = await internal_api.get(request, "/api/v1/documents")
    except DomainError:  # the clause is shown without its document's title
        documents = []
    info = next((d for d in documents if d["document"] == document), {"document": document})
    regions = await regions_or_none(request) or []
    return render(
        request, "clause.html", clause=found, doc=info, place=name_of(regions, info.get("jurisdiction"))
    )
