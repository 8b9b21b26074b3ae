"""Shared fixtures: a throw-away PostgreSQL server, and `db_url` over both databases."""

from __future__ import annotations

import uuid

import pytest

from cradle.testing.postgres import start_temp_postgres


@pytest.fixture(scope="session")
def pg_server():
    server = start_temp_postgres()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A new, empty PostgreSQL database for one test."""
    return pg_server.create_database("t_" + uuid.uuid4().hex[:12])


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cradle.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """Runs the test once on SQLite and once on PostgreSQL; the database is empty and not migrated."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cradle.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def migrated_db_url(db_url) -> str:
    """`db_url`, upgraded to the newest schema."""
    from cradle.db import upgrade

    upgrade(db_url)
    return db_url
