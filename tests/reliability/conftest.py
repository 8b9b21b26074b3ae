from __future__ import annotations

import pytest

from cradle.testing.postgres import copy_sqlite


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory, _migrated_sqlite_template) -> str:
    """A migrated SQLite database shared by a module's tests: a copy of the session's."""
    return copy_sqlite(_migrated_sqlite_template, tmp_path_factory.mktemp("reliability"))
