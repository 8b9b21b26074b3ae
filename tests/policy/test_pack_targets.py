"""A figure that is both a 托育 standard (as childcare cites it) and an indicator target (as monitoring judges
it) is kept once, as the target: the standard takes it from targets.yaml's `targets`."""

from __future__ import annotations

import pytest

from cradle.policy.errors import PackError
from cradle.policy.packs import load_packs
from cradle.policy.targets import FROM_TARGETS, load_targets

DOC = "999_not_loaded.txt"  # a document not loaded: quotes are not checked against a text


def _target(indicator: str, value, year=2025) -> dict:
    return {
        "indicator": indicator,
        "applies_to": "jurisdiction",
        "comparator": ">=",
        "value": value,
        "year": year,
        "clause": "一、总体目标",
        "quote": f"{indicator}达到{value}",
    }


def _load(targets: list[dict], childcare: dict) -> dict:
    return load_targets({"targets": targets, "childcare": childcare}, "370300", "city", [DOC], "t.yaml")[1]


def test_the_standard_takes_its_figures_and_year_from_the_targets():
    slots = {"slots": {"clause": "一、总体目标", "text": "托位"}}
    got = _load([_target("childcare_places_per_1000", 4.7)], slots)["slots"]
    assert (got["per_1000"], got["year"], got["clause"], got["document"]) == (4.7, 2025, "一、总体目标", DOC)
    assert "inclusive_share" not in got
    moved = _load(
        [_target("childcare_places_per_1000", 5, 2027), _target("inclusive_places_share", 60)], slots
    )
    assert (moved["slots"]["per_1000"], moved["slots"]["year"], moved["slots"]["inclusive_share"]) == (
        5,
        2027,
        0.6,
    )
    stations = _load(
        [_target("community_childcare_station_share", 50, None)],
        {"stations": {"clause": "（七）", "text": "驿站"}},
    )
    assert stations["stations"]["share"] == 0.5


def test_a_figure_written_under_childcare_is_refused_naming_it():
    with pytest.raises(PackError, match=r"t\.yaml: childcare\.slots\.per_1000: kept once"):
        _load(
            [_target("childcare_places_per_1000", 4.7)],
            {"slots": {"per_1000": 4.7, "clause": "x", "text": "y"}},
        )
    with pytest.raises(
        PackError, match=r"childcare\.residential\.existing_per_1000: needs .*existing_residential"
    ):
        _load([_target("new_residential_places_per_1000", 5)], {"residential": {"clause": "x", "text": "y"}})


PAIRS = [
    (pack, kind, key)
    for pack in load_packs()
    for kind, fields in FROM_TARGETS.items()
    for key in fields
    if key in pack.childcare.get(kind, {})
]


@pytest.mark.parametrize("pack, kind, key", PAIRS, ids=[f"{p.id}-{k}.{f}" for p, k, f in PAIRS])
def test_each_packs_standards_are_its_targets(pack, kind, key):
    indicator, scale = FROM_TARGETS[kind][key]
    targets = [t for t in pack.targets if t.indicator == indicator and t.applies_to == "jurisdiction"]
    assert [t.value for t in targets] == [pytest.approx(pack.childcare[kind][key] * scale)]
