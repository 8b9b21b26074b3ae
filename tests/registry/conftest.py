import datetime as dt
import json

import pytest

from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="session")
def county_feeds(tmp_path_factory):
    """A small synthetic 陆河县 with 3% dirty rows, written once per test session."""
    out = tmp_path_factory.mktemp("luhe")
    write_feeds(generate("441523", 1500, 11, AS_OF), out, seed=11, dirty_rate=0.03)
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))
