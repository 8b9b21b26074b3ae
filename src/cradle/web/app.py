"""The FastAPI application: JSON API under /api/v1, server-rendered pages, static assets."""

from __future__ import annotations

import gc
import importlib
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from cradle.auth import middleware as auth_middleware
from cradle.config import get_settings
from cradle.ops import middleware as ops_middleware
from cradle.web import errors, i18n, security

STATIC_DIR = Path(__file__).parent / "static"

# Each module exposes `router` (a fastapi.APIRouter); order matters only for overlapping paths. A request is
# matched against the routes in this order (each route's pattern tried in turn: about 3 µs a route, a hundred
# before the calculator's otherwise), so the busiest APIs come first: the public calculator (/api/v1/calc,
# programs, regions, documents) and services (applications), neither sharing a path with another router.
# A module may also name `fast_path`: an ASGI middleware answering its busiest route without the framework's
# per-request work (cradle.policy.api's for POST /api/v1/calc, cradle.services.api's for POST
# /api/v1/services/cases), installed inside the app's own middlewares.
ROUTER_MODULES = [
    "cradle.policy.api",
    "cradle.services.api",
    "cradle.payments.api",
    "cradle.auth.api",
    "cradle.auth.pages",
    "cradle.childcare.api",
    "cradle.childcare.pages",
    "cradle.registry.api",
    "cradle.registry.pages",
    "cradle.registry.pages_uploads",
    "cradle.registry.pages_quarantine",
    "cradle.registry.pages_identity",
    "cradle.services.pages_citizen",
    "cradle.services.pages_staff",
    "cradle.services.pages_appeals",
    "cradle.services.pages_proxy",
    "cradle.services.pages_files",
    "cradle.payments.pages_stops",
    "cradle.payments.pages",
    "cradle.web.calculator",
    "cradle.web.programs_page",
    "cradle.web.documents_page",
    "cradle.monitoring.api",
    "cradle.monitoring.pages",
    "cradle.ops.api",
    "cradle.jobs.pages",
    "cradle.assistance.api",
    "cradle.assistance.pages",
    "cradle.params.api",
    "cradle.params.pages",
    "cradle.health.api",
    "cradle.health.pages",
]


def create_app(router_modules: list[str] | None = None) -> FastAPI:
    """The app with the routers of `router_modules` (default ROUTER_MODULES; tests may swap in their own)."""
    names = ROUTER_MODULES if router_modules is None else router_modules
    modules = [importlib.import_module(name) for name in names]
    app = FastAPI(title="cradle", version="0.1.0", docs_url="/docs", openapi_url="/openapi.json")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(app)
    for module in modules:  # innermost, inside every middleware below
        if hasattr(module, "fast_path"):
            app.add_middleware(module.fast_path)
    i18n.install(app)
    auth_middleware.install(app)  # request.state.actor / scope / csrf_token for every router, also tests' own
    security.install(app)  # outermost of the app's middlewares: headers on every answer, 429 before any work
    ops_middleware.install(app)  # around all of it: request id, metrics and the log line, crashes included
    for module in modules:
        app.include_router(module.router)
    return app


# Allocations (less deallocations) of container objects between two of the cyclic collector's youngest
# collections. At Python's default (700) one runs several times a calc request, each walking the objects the
# request holds at that moment (the answer's dicts and lists, the engine's temporaries) and passing them on to
# the older generations to be walked again; at 10,000 most of a request's objects are freed by reference
# counting before any collection sees them (measured: a batch of seven households 5-6 % less CPU).
GC_YOUNGEST = 10_000


def serve_app() -> FastAPI:
    """The app for a server process (`cradle serve`, uvicorn's factory): after start-up everything loaded so far
    (packs, regions, catalogues, the app itself: long-lived) is moved out of the cyclic collector's sight, so its
    full collections stop re-scanning it while requests run; and the collector runs less often (GC_YOUNGEST)."""
    app = create_app()
    threads = get_settings().threadpool
    if threads:
        _limit_threads(app, threads)
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNGEST, *gc.get_threshold()[1:])
    return app


def _limit_threads(app: FastAPI, n: int) -> None:
    """At most `n` sync endpoints (and database look-ups) at once per process (anyio's default is 40): fewer
    threads contend less for the GIL with the event loop. Set at start-up, on the serving event loop."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a):
        anyio.to_thread.current_default_thread_limiter().total_tokens = n
        async with inner(a) as state:
            yield state

    app.router.lifespan_context = lifespan
