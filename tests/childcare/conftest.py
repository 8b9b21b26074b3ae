from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cradle.db import session_scope, upgrade


@pytest.fixture(scope="session")
def _cc_template(tmp_path_factory) -> Path:
    """One SQLite database migrated once per test session; each test gets a copy (migrating takes ~1.5 s)."""
    path = tmp_path_factory.mktemp("cc_template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def cc_url(_cc_template, tmp_path) -> str:
    """A migrated SQLite database (most childcare tests; `migrated_db_url` covers PostgreSQL too)."""
    target = tmp_path / "cc.db"
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(_cc_template) + suffix)
        if src.exists():
            shutil.copy(src, str(target) + suffix)
    return f"sqlite:///{target}"


@pytest.fixture
def session(cc_url):
    with session_scope(cc_url) as s:
        yield s
