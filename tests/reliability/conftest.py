from __future__ import annotations

import pytest

from cradle.db import upgrade


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('reliability') / 'cradle.db'}"
    upgrade(url)
    return url
