"""`GET /healthz` (the process answers), `GET /readyz` (it can serve: database, migrations, field keys, fonts)
and `GET /metrics` (Prometheus; only to the metrics token, or to a caller on this machine when no token is set).

Behind nginx every caller arrives from loopback; a proxied request carries X-Forwarded-For (docs/deploy.md's
nginx sets it), so without a token /metrics answers only unproxied loopback callers (Prometheus on the host, or
`curl` in a shell there). `cradle serve --metrics-port` serves the metrics on a port of their own instead.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from cradle.config import get_settings
from cradle.ops import checks
from cradle.ops.metrics import exposition
from cradle.web.errors import error, refuse
from cradle.web.i18n import gettext
from cradle.web.nav import N_

router = APIRouter(tags=["operations"])
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


@router.get("/healthz")
async def healthz() -> dict:
    """The process is alive and answering (no database or disk is asked)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> JSONResponse:
    """Ready to serve: 200, or 503 naming each failing check."""
    problems = checks.readiness(get_settings())
    if problems:
        return JSONResponse({"ready": False, "problems": [p.as_dict() for p in problems]}, status_code=503)
    return JSONResponse({"ready": True, "problems": []})


def may_read_metrics(request: Request) -> bool:
    token = get_settings().metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return given.lower().startswith("bearer ") and hmac.compare_digest(given[7:].strip(), token)
    if any(h in request.headers for h in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.client.host if request.client else "").is_loopback
    except ValueError:
        return False


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus text format."""
    if not may_read_metrics(request):
        message = N_("Metrics are served to the metrics token only, or to a caller on this machine.")
        refuse(403, [error(None, "forbidden", gettext(getattr(request.state, "locale", "zh"), message))])

    body, content_type = exposition()
    return Response(body, media_type=content_type)
