"""Where a document's 托育 standard (as childcare cites it) and its indicator target (as monitoring judges it)
say the same thing, the two entries of its targets.yaml give the same figure."""

from __future__ import annotations

import pytest

from cradle.policy.packs import load_packs

# childcare standard field → (indicator, scale from the standard's figure to the indicator's unit)
SAME_FIGURE = {
    ("slots", "per_1000"): ("childcare_places_per_1000", 1),
    ("slots", "inclusive_share"): ("inclusive_places_share", 100),
    ("residential", "new_per_1000"): ("new_residential_places_per_1000", 1),
    ("residential", "existing_per_1000"): ("existing_residential_places_per_1000", 1),
    ("community_site", "min_m2"): ("community_childcare_site_area", 1),
    ("stations", "share"): ("community_childcare_station_share", 100),
}
PAIRS = [
    (pack, kind, key)
    for pack in load_packs()
    for (kind, key) in SAME_FIGURE
    if key in pack.childcare.get(kind, {})
]


@pytest.mark.parametrize("pack, kind, key", PAIRS, ids=[f"{p.id}-{k}.{f}" for p, k, f in PAIRS])
def test_childcare_standard_and_indicator_target_agree(pack, kind, key):
    indicator, scale = SAME_FIGURE[(kind, key)]
    targets = [t for t in pack.targets if t.indicator == indicator and t.applies_to == "jurisdiction"]
    assert [t.value for t in targets] == [pytest.approx(pack.childcare[kind][key] * scale)]
