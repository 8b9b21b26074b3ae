"""Pages read the public JSON API in-process (through ASGI, no socket), so they show exactly what API clients get
and depend only on the API contract, not on another domain's internals."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from cradle.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Problems,
    TooMany,
    Unauthenticated,
    Unavailable,
)
from cradle.web.i18n import COOKIE

# The kind of refusal an answer's status stands for; any other failure (the API crashed) leaves the page
# without the part it needed.
KINDS: dict[int, type[DomainError]] = {
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Invalid,
    429: TooMany,
    503: Unavailable,
}


def refusal(status_code: int, errors: list[dict]) -> Problems:
    """The API's refusal, to be answered by the page as its own: each error keeps its field and code, and the
    API's status is kept. A message is already in the request's language (the API was asked in it); no
    catalogue has it as a message id, so answering it leaves it as it is."""
    kind = KINDS.get(status_code, Unavailable)
    refused = Problems(
        [kind(e.get("field"), str(e.get("message") or ""), code=e.get("code") or None) for e in errors]
    )
    refused.status = status_code
    return refused


async def call(
    request: Request,
    method: str,
    path: str,
    *,
    params: dict | None = None,
    json: Any = None,
    content: bytes | None = None,
) -> Any:
    """Call the app's own API as the current request's locale (a JSON body given as `json`, or as the JSON
    text `content`); raise `refusal(...)` on a non-2xx answer."""
    # A crash inside the API becomes its 500 answer, which the page reports, rather than a crash of the page.
    transport = httpx.ASGITransport(app=request.app, raise_app_exceptions=False)
    locale = getattr(request.state, "locale", "zh")
    headers = {"accept": "application/json"}
    if content is not None:
        headers["content-type"] = "application/json"
    async with httpx.AsyncClient(
        transport=transport, base_url="http://cradle.internal", cookies={COOKIE: locale}
    ) as client:
        response = await client.request(
            method, path, params=params, json=json, content=content, headers=headers
        )
    if response.is_success:
        return response.json()
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        errors = []
    if not errors:
        errors = [{"field": None, "code": f"http_{response.status_code}", "message": response.text[:200]}]
    raise refusal(response.status_code, errors)


async def get(request: Request, path: str, **params) -> Any:
    return await call(request, "GET", path, params={k: v for k, v in params.items() if v is not None})
