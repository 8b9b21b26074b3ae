from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cradle.db import upgrade
from cradle.web.app import create_app


@pytest.fixture(scope="session")
def _auth_template(tmp_path_factory) -> Path:
    """One migrated SQLite database per session; each test gets a copy."""
    path = tmp_path_factory.mktemp("auth_template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def auth_url(_auth_template, tmp_path, monkeypatch) -> str:
    target = tmp_path / "auth.db"
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(_auth_template) + suffix)
        if src.exists():
            shutil.copy(src, str(target) + suffix)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    return url


@pytest.fixture
def client(auth_url) -> TestClient:
    """The whole app over https (session cookies are Secure)."""
    with TestClient(create_app(), base_url="https://testserver") as c:
        yield c
