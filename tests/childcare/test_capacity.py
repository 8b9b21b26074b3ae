"""Capacity indicators against a hand count."""

import datetime as dt

import pytest

from cradle.childcare import filing
from cradle.childcare.capacity import capacity_report, coverage, residential_requirement, station_coverage
from cradle.childcare.facilities import register_facility
from cradle.childcare.population import from_census, population
from cradle.childcare.targets import required_slots
from cradle.errors import Invalid, OutOfScope

from .helpers import facility_data, filed_facility

ON = dt.date(2025, 6, 30)


def _slots(n):
    return [{"age_group": "older", "slots": n, "classes": -(-n // 20), "fee_monthly": 1000}]


def test_census_denominators():
    assert from_census("370300").value == 4704138 and from_census("370300").source == "census2020"
    county = from_census("370303")  # 淄博 has 8 county-level units: equal split
    assert county.value == round(4704138 / 8) and county.source == "census2020_equal_split"
    assert from_census("140000").value == 34915616
    assert from_census("330000").value is None and from_census("330000").source == "none"


def test_slots_per_1000_and_inclusive_share_by_hand(session):
    # 张店区: inclusive 80 + private 60 (not inclusive); 淄川区: public 40; a filed-but-closed one and an
    # unfiled one do not count.
    filed_facility(session, 1, region="370303")  # 80 inclusive slots
    filed_facility(session, 2, region="370303", type="private", inclusive=False, slots=_slots(60))
    filed_facility(session, 3, region="370302", type="public", slots=_slots(40))
    filed_facility(session, 4, region="370302", type="public", slots=_slots(100), closed_on="2025-01-31")
    register_facility(session, facility_data(5, region="370302", slots=_slots(100)))
    report = capacity_report(session, "370300", ON)
    city = report["region"]
    assert (city["slots"], city["inclusive_slots"], city["facilities"]) == (180, 120, 3)
    assert city["population"]["value"] == 4704138
    assert city["slots_per_1000"] == round(180 / 4704138 * 1000, 2) == 0.04
    assert city["inclusive_share"] == round(120 / 180, 4)
    assert city["target"]["slots_per_1000"] == 4.7 and city["target"]["document"].startswith("003_")
    assert city["slots_needed"] == 22110 and city["shortfall"] == 22110 - 180  # ceil(4704138 × 4.7 / 1000)
    assert city["meets_target"] is False
    units = {u["region"]: u for u in report["units"]}
    assert len(units) == 8
    assert (units["370303"]["slots"], units["370303"]["inclusive_slots"]) == (140, 80)
    assert units["370303"]["population"]["source"] == "census2020_equal_split"
    assert units["370302"]["slots"] == 40 and units["370304"]["slots"] == 0
    assert units["370303"]["target"]["jurisdiction"] == "370300"


def test_target_met_and_shanxi_inclusive_share(session, monkeypatch):
    # A small registry population makes the target reachable: 100 slots for 20 000 people = 5.0 per 1000.
    import cradle.childcare.population as pop

    monkeypatch.setattr(pop, "from_registry", lambda s, code, on: 20000 if code == "140105" else None)
    filed_facility(session, 1, region="140105", type="private", inclusive=False, slots=_slots(60))
    filed_facility(session, 2, region="140105", type="public", slots=_slots(40))
    row = capacity_report(session, "140105", ON)["region"]
    assert row["population"] == {
        "region": "140105",
        "value": 20000,
        "source": "registry",
        "note": "人口登记库 2025-06-30 常住人口",
    }
    assert row["slots_per_1000"] == 5.0 and row["inclusive_share"] == 0.4
    assert row["target"]["inclusive_share"] == 0.6
    assert row["meets_target"] is False  # enough slots, but only 40% 普惠 (山西 requires 60%)
    filed_facility(session, 3, region="140105", type="public", slots=_slots(40))
    row = capacity_report(session, "140105", ON)["region"]
    assert row["inclusive_share"] == round(80 / 140, 4) and row["meets_target"] is False
    filed_facility(session, 4, region="140105", type="public", slots=_slots(20))
    row = capacity_report(session, "140105", ON)["region"]
    assert row["inclusive_share"] == 0.625 and row["meets_target"] is True


def test_registry_count_preferred_when_present(monkeypatch):
    import cradle.childcare.population as pop

    monkeypatch.setattr(pop, "from_registry", lambda s, code, on: 123456)
    assert population(object(), "441523", ON).source == "registry"
    monkeypatch.setattr(pop, "from_registry", lambda s, code, on: None)
    p = population(object(), "441523", ON)
    assert p.source == "census2020_equal_split" and p.value == round(2672819 / 4)


def test_residential_requirement():
    assert required_slots(3001, 5) == 16 and required_slots(2000, 5) == 10
    new = residential_requirement("620402", 3001)
    assert new["required_slots"] == 16 and new["clause"] == "二、(三)8"
    assert residential_requirement("620402", 3001, existing=True)["required_slots"] == 14  # 13.5045 → 14
    assert residential_requirement("370303", 3001)["required_slots"] is None
    with pytest.raises(Invalid) as err:
        residential_requirement("620402", -1)
    assert err.value.field == "planned_population"


def test_public_nursery_per_county_and_centre_per_city(session):
    filed_facility(session, 1, region="140105", type="public", guidance_role=True)
    filed_facility(session, 2, region="140106", type="public", guidance_role=False)  # no guidance role
    filed_facility(session, 3, region="140107", type="inclusive_private", comprehensive_centre=True)
    cov = coverage(session, "140100", ON)
    counties = {c["region"]: c for c in cov["counties"]}
    assert counties["140105"]["meets"] is True
    assert counties["140106"]["meets"] is False and counties["140107"]["meets"] is False
    assert [c["region"] for c in cov["counties"] if c["meets"]] == ["140105"]
    assert cov["cities"] == [
        {
            "region": "140100",
            "name": "太原市",
            "centres": [{"id": 3, "name": "测试托育园3", "type": "inclusive_private"}],
            "meets": True,
            "rule": cov["cities"][0]["rule"],
        }
    ]
    assert cov["cities"][0]["rule"]["clause"] == "二、(三)10"
    # 淄博: each 区县 needs a public nursery and a comprehensive guidance centre
    filed_facility(session, 4, region="370303", type="public")
    zibo = {c["region"]: c for c in coverage(session, "370300", ON)["counties"]}
    assert zibo["370303"]["public_nurseries"][0]["name"] == "测试托育园4" and zibo["370303"]["meets"] is False
    assert coverage(session, "370300", ON)["cities"] == []
    with pytest.raises(OutOfScope):
        coverage(session, "370300", ON, scope="140000")


def test_station_share_and_small_sites(session):
    for n, community in enumerate(["府山社区", "塔山社区", "府山社区"], start=1):
        filed_facility(
            session, n, region="330602", type="community_station", community=community, slots=_slots(20)
        )
    got = station_coverage(session, "330600", 4, ON)
    assert (got["communities_with_station"], got["share"], got["meets"]) == (2, 0.5, True)
    assert station_coverage(session, "330600", 5, ON)["meets"] is False
    filed_facility(
        session,
        9,
        region="620402",
        type="community_station",
        community="x",
        floor_area_m2=150,
        slots=_slots(20),
    )
    small = capacity_report(session, "620400", ON)["community_sites_below_minimum"]
    assert [(s["name"], s["min_m2"]) for s in small] == [("测试托育园9", 200)]


def test_unfiled_do_not_count(session):
    fac = register_facility(session, facility_data(1))
    f = filing.open_filing(session, fac.id)
    assert capacity_report(session, "370303", ON)["region"]["slots"] == 0
    filing.transition(session, f.id, "return", note="x")
    assert capacity_report(session, "370303", ON)["region"]["slots"] == 0
