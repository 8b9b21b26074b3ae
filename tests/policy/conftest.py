import copy
import json
from pathlib import Path

import pytest

EXAMPLE = json.loads((Path(__file__).parent / "household_370303.json").read_text(encoding="utf-8"))


@pytest.fixture
def household() -> dict:
    """The catalogue's example household (张店区, two children, a 2025 birth, a home purchase)."""
    return copy.deepcopy(EXAMPLE)
