from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app


@pytest.fixture
def auth_url(_migrated_sqlite_template, tmp_path, monkeypatch) -> str:
    url = copy_sqlite(_migrated_sqlite_template, tmp_path, "auth.db")
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    return url


@pytest.fixture
def client(auth_url) -> TestClient:
    """The whole app over https (session cookies are Secure)."""
    with TestClient(create_app(), base_url="https://testserver") as c:
        yield c
