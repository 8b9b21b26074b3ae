"""The assistance tests use the migrated-database fixtures of tests/conftest.py."""

import pytest

from cradle.testing.postgres import copy_sqlite


@pytest.fixture
def url(_migrated_sqlite_template, tmp_path, monkeypatch) -> str:
    """A migrated SQLite database of the test's own, which the app and the command line read too."""
    url = copy_sqlite(_migrated_sqlite_template, tmp_path, "assistance.db")
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    return url
