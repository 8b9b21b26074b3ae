"""Shared fixtures: a throw-away PostgreSQL server, and `db_url` over both databases."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

from cradle.db import session_factory, upgrade
from cradle.testing.postgres import copy_sqlite, database_from_template, start_temp_postgres

# CI draws the same examples every run (a submission lands or not on its own code, not on luck); developers'
# runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
# The public API's per-client rate limit counts every request of "testclient"; tests of the limit set their own.
os.environ.setdefault("CRADLE_API_RATE_PER_MINUTE", "0")


def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` (half a minute or more) first: one started near the end ran on one worker while the
    other had nothing left to do. A stable sort, so every xdist worker collects the same order."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if config.getoption("loadgroup", default=False):
        _xdist_groups(items)


def _xdist_groups(items) -> None:
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker by the `@group` its node ids end with.
    pytest-xdist 3.8 adds it to `item._nodeid`, which pytest 9 no longer reads (the id is `item._id`): without
    this every group was split across the workers, each doing the group's setup (a browser, a Spark JVM)."""
    from _pytest.nodeid import NodeId  # deferred: pytest's own, needed only with --dist loadgroup

    for item in items:
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):  # (a later xdist may add it itself)
            item._id = NodeId.parse(item.nodeid + suffix)


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
def migrated_db_url(request, db_url) -> str:
    """`db_url`, at the newest schema: under `db_url`'s own name, a copy of the database migrated once per session
    (each of some 300 tests migrating its own took half a second or more)."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        return copy_sqlite(request.getfixturevalue("_migrated_sqlite_template"), path.parent, path.name)
    server, template = request.getfixturevalue("pg_server"), request.getfixturevalue("_svc_pg_template")
    return database_from_template(server, template, name=db_url.rsplit("/", 1)[1])


# Migrated databases copied from a template made once per session (services, payments, childcare, auth).
@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory):
    """One SQLite database migrated once per test session (migrating takes over a second); tests get copies."""
    path = tmp_path_factory.mktemp("migrated_template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _svc_pg_template(pg_server):
    from cradle.db import get_engine

    name = "tmpl_" + uuid.uuid4().hex[:10]
    url = pg_server.create_database(name)
    upgrade(url)
    get_engine(url).dispose()  # a template database must have no open connections
    return name


@pytest.fixture
def migrated_sqlite_url(_migrated_sqlite_template, tmp_path) -> str:
    """`sqlite_url` (the same file), migrated: a copy of the session's migrated SQLite."""
    return copy_sqlite(_migrated_sqlite_template, tmp_path)


@pytest.fixture
def svc_sqlite_url(_migrated_sqlite_template, tmp_path) -> str:
    return copy_sqlite(_migrated_sqlite_template, tmp_path, "svc.db")


@pytest.fixture
def svc_pg_url(request) -> str:
    return database_from_template(
        request.getfixturevalue("pg_server"), request.getfixturevalue("_svc_pg_template")
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def svc_url(request) -> str:
    """A migrated database: SQLite (copied from a template) and PostgreSQL (CREATE DATABASE … TEMPLATE)."""
    return request.getfixturevalue("svc_sqlite_url" if request.param == "sqlite" else "svc_pg_url")


@pytest.fixture
def session(svc_sqlite_url):
    """A session on migrated SQLite; most service tests run here, the database-specific ones on both."""
    s = session_factory(svc_sqlite_url)()
    yield s
    s.close()


@pytest.fixture
def any_session(svc_url):
    s = session_factory(svc_url)()
    yield s
    s.close()
