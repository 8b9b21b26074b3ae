from __future__ import annotations

import pytest

from cradle.db import session_scope, upgrade


@pytest.fixture
def cc_url(sqlite_url) -> str:
    """A migrated SQLite database (most childcare tests; `migrated_db_url` covers PostgreSQL too)."""
    upgrade(sqlite_url)
    return sqlite_url


@pytest.fixture
def session(cc_url):
    with session_scope(cc_url) as s:
        yield s
