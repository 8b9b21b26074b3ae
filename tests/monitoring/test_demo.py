"""`cradle init-db` on a new database: the monitoring demo loader computes the registry indicators from the
synthetic 张店区 population, and the dashboard shows the numbers the registry tables give."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cradle.db import session_scope
from cradle.demo import DEMO_LOADERS, init_database
from cradle.monitoring import catalogue, values
from cradle.monitoring.demo import DEMO_YEARS, demo_regions
from cradle.monitoring.report import scorecard
from cradle.web.app import create_app


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'cradle.db'}"
    assert init_database(load_demo=True, url=url)
    return url


def _registry_births(url: str, year: int) -> int:
    """Live births in 张店区 in ``year``, counted straight from the registry's birth table."""
    from cradle.registry.models import Birth

    with session_scope(url) as s:
        col = Birth.birth_date
        return s.scalar(
            select(func.count())
            .select_from(Birth)
            .where(col >= dt.date(year, 1, 1), col <= dt.date(year, 12, 31))
        )


def test_monitoring_demo_runs_after_the_registry_demo():
    assert DEMO_LOADERS.index("cradle.monitoring.demo") > DEMO_LOADERS.index("cradle.registry.demo")
    assert demo_regions() == ["370303", "370300", "370000"]


def test_fresh_demo_dashboard_shows_births_counted_from_the_registry(demo_url, monkeypatch):
    year = max(DEMO_YEARS)
    expected = _registry_births(demo_url, year)
    assert expected > 0
    with session_scope(demo_url) as s:
        for code in demo_regions():  # the county and its parents
            row = values.current(s, "births", code, year)
            assert row is not None and row.method == "computed" and row.value == expected
        assert values.current(s, "sex_ratio_at_birth", "370303", year) is not None
    monkeypatch.setenv("CRADLE_DATABASE_URL", demo_url)
    client = TestClient(create_app(["cradle.monitoring.pages"]))
    html = client.get("/monitoring/370303").text
    m = re.search(r'data-indicator="births">.*?<span class="mon-number">([^<]*)</span>', html, re.S)
    assert m, "no births card on the county dashboard"
    assert m.group(1) == scorecard.format_value(expected, catalogue.load().indicator("births").unit)
    assert f"{year}" in html
