"""Database set-up for `make run`: migrate, and load demo data the first time."""

from __future__ import annotations

import importlib

from sqlalchemy import inspect

from cradle.db import get_engine, session_scope, upgrade

# Each module exposes `load_demo(session) -> None`; called in order on a new database.
DEMO_LOADERS: list[str] = [
    "cradle.registry.demo",
    "cradle.health.demo",  # after the registry demo, whose feeds carry the 妇幼 records
    "cradle.monitoring.demo",  # indicator values computed from the registry demo
    "cradle.childcare.demo",
    "cradle.services.demo",
    "cradle.assistance.demo",
]


def init_database(load_demo: bool = True, url: str | None = None) -> bool:
    """Upgrade the schema; returns True when the database was new (and demo data were loaded)."""
    engine = get_engine(url)
    is_new = "alembic_version" not in inspect(engine).get_table_names()
    upgrade(url)
    if is_new and load_demo:
        for name in DEMO_LOADERS:
            with session_scope(url) as session:
                importlib.import_module(name).load_demo(session)
    return is_new
