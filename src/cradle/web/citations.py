"""Links from an entitlement or a parameter to the clause it rests on."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request

from cradle.errors import DomainError
from cradle.web import internal_api


def clause_url(document: str, clause: str) -> str:
    return f"/clauses/{quote(document, safe='')}/{quote(clause, safe='')}"


async def document_titles(request: Request) -> dict[str, dict]:
    """document file name -> its entry in GET /api/v1/documents (empty when the list is unavailable)."""
    try:
        documents = await internal_api.get(request, "/api/v1/documents")
    except DomainError:
        return {}
    return {d["document"]: d for d in documents}
