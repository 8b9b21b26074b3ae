"""Security headers on every answer, and a per-client rate limit on the public API.

CSP: everything from this origin only (htmx, Alpine and ECharts are served from /static/vendor). Alpine's
standard build evaluates its x-data expressions with ``new Function``, hence ``'unsafe-eval'``; htmx and
ECharts set style attributes, hence ``style-src 'unsafe-inline'``. No inline script runs.

Rate limit: a fixed one-minute window per client address over the public API (``/api/v1/calc``, programs,
regions, documents, the 托育 disclosure), answered 429 in the one error shape with ``Retry-After``. It is
per process and in memory: it bounds one client's share of a worker, it is not an accounting of quotas.
``CRADLE_API_RATE_PER_MINUTE`` sets it; 0 turns it off (benchmarks and load tests measure the app, not it).
"""

from __future__ import annotations

import json
import time

from cradle.config import get_settings
from cradle.web.i18n import choose_locale, gettext

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")

PUBLIC_API = (
    "/api/v1/calc",
    "/api/v1/programs",
    "/api/v1/regions",
    "/api/v1/documents",
    "/api/v1/childcare/public",
)


def rate_per_minute() -> int:
    return get_settings().api_rate_per_minute


class Window:
    """Fixed one-minute windows of request counts per key."""

    def __init__(self, limit: int, clock=time.monotonic) -> None:
        self.limit, self.clock, self.counts, self.start = limit, clock, {}, clock()

    def hit(self, key: str) -> int:
        """0 if allowed, else the seconds until the window turns."""
        now = self.clock()
        if now - self.start >= 60:
            self.counts, self.start = {}, now
        n = self.counts.get(key, 0) + 1
        self.counts[key] = n
        return 0 if n <= self.limit else max(1, int(60 - (now - self.start)) + 1)


def _https(scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    return any(k == b"x-forwarded-proto" and v == b"https" for k, v in scope.get("headers", []))


class SecurityMiddleware:
    def __init__(self, app, limit: int | None = None) -> None:
        self.app = app
        limit = rate_per_minute() if limit is None else limit
        self.window = Window(limit) if limit > 0 else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = HEADERS + ([HSTS] if _https(scope) else [])
        if self.window and scope["path"].startswith(PUBLIC_API):
            wait = self.window.hit((scope.get("client") or ("?",))[0])
            if wait:
                return await _too_many(scope, send, wait, extra)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in have)]
            await send(message)

        return await self.app(scope, receive, with_headers)


async def _too_many(scope, send, wait: int, extra) -> None:

    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
    locale = choose_locale(None, None, headers.get("accept-language"))
    message = gettext(locale, "Too many requests. Try again in a minute.")
    body = json.dumps(
        {"errors": [{"field": None, "code": "rate_limited", "message": message}]}, ensure_ascii=False
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(wait).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def install(app) -> None:
    app.add_middleware(SecurityMiddleware)
