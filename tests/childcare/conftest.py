from __future__ import annotations

import pytest

from cradle.db import session_scope
from cradle.testing.postgres import copy_sqlite


@pytest.fixture
def cc_url(_migrated_sqlite_template, tmp_path) -> str:
    """A migrated SQLite database (most childcare tests; `migrated_db_url` covers PostgreSQL too)."""
    return copy_sqlite(_migrated_sqlite_template, tmp_path, "cc.db")


@pytest.fixture
def session(cc_url):
    with session_scope(cc_url) as s:
        yield s
