"""淄博 facility programs (003_9583e153e8ef1680.txt 二（三）1): “对符合条件的普惠性托育机构，按照每个托位1500元标准给予
一次性建设补贴。市财政对市级具有示范引领作用的托育服务机构按每个5万元给予一次性奖励补助。”"""

import datetime as dt

import pytest

from cradle.errors import Problems
from cradle.policy.facility import calc_facility

ON = dt.date(2025, 7, 1)


def _ents(result):
    return {e["program"]: e for e in result["entitlements"]}


def test_inclusive_registered_nursery_gets_1500_per_slot_once():
    r = calc_facility(
        {"jurisdiction": "370303", "inclusive": True, "registered": True, "inclusive_slots": 40}, ON
    )
    ent = _ents(r)["zibo.nursery_construction_subsidy"]
    assert ent["amount"] == 60000 and ent["unit"] == "CNY" and ent["beneficiary"] == "facility"
    assert {
        "document": "003_9583e153e8ef1680.txt",
        "title": "淄博市优化生育政策促进人口长期均衡发展实施方案",
        "clause": "二（三）1",
    } in ent["citations"]
    assert "40" in ent["explanation"] and "1500" in ent["explanation"]
    assert "zibo.demo_nursery_award" not in _ents(r)


def test_demonstration_facility_gets_50000_award_and_slot_subsidy():
    r = calc_facility(
        {
            "jurisdiction": "370305",
            "inclusive": True,
            "registered": True,
            "inclusive_slots": 1,
            "demonstration": True,
        },
        ON,
    )
    ents = _ents(r)
    assert ents["zibo.demo_nursery_award"]["amount"] == 50000
    assert ents["zibo.nursery_construction_subsidy"]["amount"] == 1500


def test_non_inclusive_or_unregistered_or_no_slots_get_no_construction_subsidy():
    for facility, reason in [
        ({"inclusive": False, "registered": True, "inclusive_slots": 30}, "普惠性托育机构"),
        ({"inclusive": True, "registered": False, "inclusive_slots": 30}, "已备案"),
        ({"inclusive": True, "registered": True, "inclusive_slots": 0}, "有普惠托位"),
    ]:
        r = calc_facility({"jurisdiction": "370303", **facility}, ON, explain=True)
        assert "zibo.nursery_construction_subsidy" not in _ents(r)
        skipped = {s["program"]: s["reason"] for s in r["not_applicable"]}
        assert skipped["zibo.nursery_construction_subsidy"] == "不满足：" + reason


def test_before_the_plan_and_outside_zibo_nothing():
    facility = {
        "jurisdiction": "370303",
        "inclusive": True,
        "registered": True,
        "inclusive_slots": 10,
        "demonstration": True,
    }
    assert _ents(calc_facility(facility, dt.date(2023, 9, 19))) == {}
    assert set(_ents(calc_facility(facility, dt.date(2023, 9, 20)))) == {
        "zibo.nursery_construction_subsidy",
        "zibo.demo_nursery_award",
    }
    assert not any(
        p.startswith("zibo.") for p in _ents(calc_facility({**facility, "jurisdiction": "370102"}, ON))
    )


def test_unknown_fields_are_refused():
    with pytest.raises(Problems):
        calc_facility({"jurisdiction": "370303", "slots": 10}, ON)
