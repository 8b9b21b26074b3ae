"""The FastAPI application: JSON API under /api/v1, server-rendered pages, static assets."""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"

# Each module exposes `router` (a fastapi.APIRouter); order matters only for overlapping paths.
ROUTER_MODULES = [
    "cradle.policy.api",
]


def create_app() -> FastAPI:
    app = FastAPI(title="cradle", version="0.1.0", docs_url="/docs", openapi_url="/openapi.json")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    return app
