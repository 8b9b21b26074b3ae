"""One source for each indicator: where the platform holds the data (the 托育 register's filed facilities, the
registry's population and births) the value is computed and typed entry is closed; elsewhere it stays open."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from cradle.childcare.models import Facility
from cradle.db import session_scope
from cradle.errors import DomainError
from cradle.monitoring import catalogue, refresh, sources, values
from cradle.monitoring.childcare_source import residents

SEED = Path(__file__).resolve().parents[1] / "auth" / "seed.py"
AS_OF = dt.date(2025, 6, 30)


def _seed(url: str) -> dict:
    """A filed 370303 facility of 30 places and a 370303 registry (the route inventory's seed)."""
    spec = importlib.util.spec_from_file_location("auth_seed", SEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.seed(url)


def entry(indicator: str, region: str) -> dict:
    return {
        "indicator_id": indicator,
        "region": region,
        "year": "2025",
        "value": "4.2",
        "source": "年报",
        "source_date": "2025-07-01",
    }


def test_the_childcare_and_registry_indicators_are_computed_where_the_platform_holds_them(svc_url):
    ids = _seed(svc_url)
    with session_scope(svc_url) as s:
        facility = s.get(Facility, ids["facility_id"])
        rows = {r.indicator_id: r for r in refresh.refresh(s, ["370303", "620400"], 2025, AS_OF)}
        people = residents(sources.context(s, AS_OF), "370303")
    assert people >= 1
    places = rows["childcare_places_per_1000"]
    assert (places.region, places.method, places.department) == ("370303", "computed", "childcare")
    assert (places.numerator, places.denominator) == (30, people)
    assert places.value == pytest.approx(30 / people * 1000)
    share = rows["inclusive_places_share"]
    assert share.value == (100.0 if facility.inclusive else 0.0) and share.denominator == 30
    assert all(r.region == "370303" for r in rows.values())  # 白银 has no facility and nobody in the registry
    with session_scope(svc_url) as s:  # computed again with nothing new: nothing stored twice
        assert refresh.refresh(s, ["370303"], 2025, AS_OF) == []


@pytest.mark.parametrize("indicator", ["childcare_places_per_1000", "births"])
def test_typed_entry_is_closed_where_computed_and_open_elsewhere(svc_url, indicator):
    _seed(svc_url)
    with pytest.raises(DomainError) as exc, session_scope(svc_url) as s:
        values.enter(s, entry(indicator, "370303"), "张店区卫生健康局", "u1")
    assert [(p.field, p.code) for p in exc.value.items()] == [("indicator_id", "computed")]
    assert "由平台根据其掌握的数据计算" in str(exc.value)
    problem = exc.value.items()[0]  # the indicator said by its name in the reader's language
    name = catalogue.load().indicator(indicator)
    assert problem.text("zh").startswith(f"{name.name}由平台")
    assert problem.text("en") == f"{name.en.name} is computed by the platform and cannot be typed in"
    with session_scope(svc_url) as s:
        row = values.enter(s, {**entry(indicator, "620400"), "value": "4"}, "白银市卫生健康委", "u1")
        assert row.method == "entered"
        assert values.current(s, indicator, "370303", 2025) is None


def test_a_second_computation_for_an_indicator_is_refused(monkeypatch):
    sources.computations.cache_clear()
    monkeypatch.setattr(
        sources, "COMPUTATION_MODULES", ["cradle.monitoring.compute", "cradle.monitoring.compute"]
    )
    with pytest.raises(ValueError, match="a second computation for 'births'"):
        sources.computations()
    sources.computations.cache_clear()
