from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

from cradle.db import session_factory, upgrade

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the services tests' shared helpers

from services.helpers import copy_sqlite, pg_from_template  # noqa: E402


@pytest.fixture(scope="session")
def _svc_sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("svc_template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _svc_pg_template(pg_server):
    name = "tmpl_" + uuid.uuid4().hex[:10]
    url = pg_server.create_database(name)
    upgrade(url)
    from cradle.db import get_engine

    get_engine(url).dispose()
    return name


@pytest.fixture
def svc_sqlite_url(_svc_sqlite_template, tmp_path) -> str:
    return copy_sqlite(_svc_sqlite_template, tmp_path)


@pytest.fixture
def svc_pg_url(request) -> str:
    server = request.getfixturevalue("pg_server")
    return pg_from_template(server, request.getfixturevalue("_svc_pg_template"))


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
