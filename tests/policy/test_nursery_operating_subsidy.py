"""Nursery operating subsidies the documents leave to counties (issue 20): 山西 二（三）9 “鼓励各地通过发放运营补贴、
托育费用补助等措施，支持托育机构发展” and 二（三）10; 白银 二、10 “有能力的县区探索建立托育机构运营补贴、建设补贴和
托位补助等制度” (with 二、8, 二、9). A registered facility is told of it, with no amount: the county sets it."""

import datetime as dt

import pytest

from cradle.policy.facility import calc_facility

ON = dt.date(2025, 7, 1)


def _ent(result: dict, program: str) -> dict | None:
    return next((e for e in result["entitlements"] if e["program"] == program), None)


@pytest.mark.parametrize(
    "county, program, clauses",
    [
        ("140105", "sx.nursery_operating_subsidy", ["二（三）9", "二（三）10"]),
        ("620402", "baiyin.nursery_operating_subsidy", ["二、10", "二、8", "二、9"]),
    ],
)
def test_a_registered_nursery_is_told_of_the_county_subsidy_with_no_amount(county, program, clauses):
    ent = _ent(calc_facility({"jurisdiction": county, "registered": True}, ON), program)
    assert (
        ent["amount"] is None and ent["note"] == "amount set by county" and ent["beneficiary"] == "facility"
    )
    assert [c["clause"] for c in ent["citations"] if c["clause"] in clauses] == clauses
    assert "是否发放由" in ent["explanation"]
    unregistered = calc_facility({"jurisdiction": county, "registered": False}, ON, explain=True)
    assert _ent(unregistered, program) is None
    reason = next(s["reason"] for s in unregistered["not_applicable"] if s["program"] == program)
    assert reason == "不满足：已备案"


def test_shanxi_start_is_a_guess_and_says_so_baiyin_starts_on_its_issue():
    sx = _ent(
        calc_facility({"jurisdiction": "140105", "registered": True}, ON), "sx.nursery_operating_subsidy"
    )
    assert sx["verified"] is False and "待核实" in sx["explanation"]
    assert sx["period"]["start"] == "2021-09-29"
    before = calc_facility({"jurisdiction": "620402", "registered": True}, dt.date(2024, 5, 16), explain=True)
    assert _ent(before, "baiyin.nursery_operating_subsidy") is None
    on_issue = calc_facility({"jurisdiction": "620402", "registered": True}, dt.date(2024, 5, 17))
    ent = _ent(on_issue, "baiyin.nursery_operating_subsidy")
    assert ent["period"]["start"] == "2024-05-17" and "verified" not in ent


def test_a_nursery_elsewhere_gets_neither():
    r = calc_facility({"jurisdiction": "370303", "registered": True}, ON)
    assert (
        _ent(r, "sx.nursery_operating_subsidy") is None
        and _ent(r, "baiyin.nursery_operating_subsidy") is None
    )
