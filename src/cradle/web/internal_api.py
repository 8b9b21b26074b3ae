"""Pages read the public JSON API in-process (through ASGI, no socket), so they show exactly what API clients get
and depend only on the API contract, not on another domain's internals."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from cradle.web.i18n import COOKIE


class ApiError(Exception):
    def __init__(self, status_code: int, errors: list[dict]):
        super().__init__(f"API answered {status_code}: {errors}")
        self.status_code = status_code
        self.errors = errors


async def call(
    request: Request, method: str, path: str, *, params: dict | None = None, json: Any = None
) -> Any:
    """Call the app's own API as the current request's locale; raise ApiError on a non-2xx answer."""
    # A crash inside the API becomes its 500 answer, which the page reports, rather than a crash of the page.
    transport = httpx.ASGITransport(app=request.app, raise_app_exceptions=False)
    locale = getattr(request.state, "locale", "zh")
    async with httpx.AsyncClient(
        transport=transport, base_url="http://cradle.internal", cookies={COOKIE: locale}
    ) as client:
        response = await client.request(
            method, path, params=params, json=json, headers={"accept": "application/json"}
        )
    if response.is_success:
        return response.json()
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        errors = []
    if not errors:
        errors = [{"field": None, "code": f"http_{response.status_code}", "message": response.text[:200]}]
    raise ApiError(response.status_code, errors)


async def get(request: Request, path: str, **params) -> Any:
    return await call(request, "GET", path, params={k: v for k, v in params.items() if v is not None})
