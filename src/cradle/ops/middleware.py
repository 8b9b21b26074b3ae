"""Per request: the request id (`X-Request-ID`, taken when a proxy sent a sane one, else a new uuid4 hex, and
echoed), the request's counter and latency (cradle.ops.metrics), and one JSON log line on `cradle.request`:
method, route template, status, duration, actor id and role. Never the path or the query string, which may hold
an ID number.

A pure ASGI middleware, wrapped around the whole application (outside Starlette's ServerErrorMiddleware), so a
crash's 500 or 503 is counted and logged with its real status and carries the request id too."""

from __future__ import annotations

import logging
import re
import time
import uuid

from cradle.ops import metrics
from cradle.ops.logs import REQUEST_ID

log = logging.getLogger("cradle.request")
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))


class RequestMiddleware:
    def __init__(self, app) -> None:
        self.app = app
        self._series: dict = {}  # (method, route, status) -> (counter, histogram): label look-ups once

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = None
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                text = value.decode("latin-1")
                request_id = text if SANE_ID.match(text) else None
                break
        request_id = request_id or uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        header = (b"x-request-id", request_id.encode())
        status = 500  # what the server answers when the app raises before starting its answer
        start = time.perf_counter()

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._done(scope, request_id, status, time.perf_counter() - start)
            REQUEST_ID.reset(token)

    def _done(self, scope, request_id: str, status: int, seconds: float) -> None:
        # the method is the client's own word: any but HTTP's are one label, not a new series each
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        route = metrics.route_of(scope)
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (
                metrics.REQUESTS.labels(method, route, str(status)),
                metrics.LATENCY.labels(method, route),
            )
        series[0].inc()
        series[1].observe(seconds)
        level = logging.ERROR if status >= 500 else logging.INFO
        if log.isEnabledFor(level):
            actor = (scope.get("state") or {}).get("actor")
            log.log(
                level,
                "%s %s %s",
                method,
                route,
                status,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "actor_id": getattr(actor, "id", "anonymous"),
                    "role": getattr(actor, "role", None),
                },
            )


def install(app) -> None:
    """Wrap the app's whole middleware stack, built on its first request."""
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: RequestMiddleware(build())
