"""Twins and triplets in every served jurisdiction: one delivery is one birth event. Each per-delivery program
(entity "birth") gives its beneficiary one entitlement, each per-newborn program (entity "newborn") one per
child, whether the delivery is entered as one event naming its children or, in the older form, as an event per
child."""

import datetime as dt
from collections import Counter

import pytest

from cradle.policy.calc import calc_household
from cradle.policy.packs import find_program

ON = dt.date(2025, 7, 1)
BORN = "2025-03-10"
COUNTIES = ["370303", "620402", "330602", "441523", "140105"]


def _household(county: str, babies: int, one_event: bool) -> dict:
    kids = [f"t{i}" for i in range(babies)]
    members = [
        {
            "id": "m",
            "relation": "mother",
            "sex": "F",
            "birth_date": "1992-01-01",
            "hukou": county,
            "employment": "employee",
            "medical_insurance": "employee",
            "maternity_insurance": True,
            "employer_avg_monthly_wage": 8000,
            "social_insurance": "enterprise",
        },
        {
            "id": "f",
            "relation": "father",
            "sex": "M",
            "birth_date": "1990-01-01",
            "hukou": county,
            "employment": "employee",
            "medical_insurance": "employee",
        },
        {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2020-01-05", "hukou": county},
    ] + [
        {
            "id": k,
            "relation": "child",
            "sex": "M",
            "birth_date": BORN,
            "hukou": county,
            "medical_insurance": "none",
            "care": {"type": "nursery", "registered": True},
        }
        for k in kids
    ]
    if one_event:
        events = [{"type": "birth", "children": kids, "date": BORN, "in_policy_delivery_cost": 5000}]
    else:
        events = [{"type": "birth", "child": k, "date": BORN, "in_policy_delivery_cost": 5000} for k in kids]
    return {"jurisdiction": county, "members": members, "events": events}


@pytest.mark.parametrize("babies", [2, 3])
@pytest.mark.parametrize("county", COUNTIES)
def test_a_multiple_birth_is_one_delivery_with_a_newborn_each(county, babies):
    one = calc_household(_household(county, babies, one_event=True), ON)["entitlements"]
    per_child = calc_household(_household(county, babies, one_event=False), ON)["entitlements"]
    canon = lambda es: sorted(repr(sorted(e.items())) for e in es)  # noqa: E731
    assert canon(one) == canon(per_child)
    count = Counter((e["program"], e["beneficiary"]) for e in one)
    delivery = {k: n for k, n in count.items() if find_program(k[0]).entity == "birth"}
    newborn = {k: n for k, n in count.items() if find_program(k[0]).entity == "newborn"}
    assert delivery and set(delivery.values()) == {1}, delivery
    kids = {f"t{i}" for i in range(babies)}
    for program in {p for p, _ in newborn}:
        assert {b for p, b in newborn if p == program} == kids, program
        assert all(newborn[(program, k)] == 1 for k in kids)
    if county == "441523":
        assert newborn  # 陆河's enrolment window reaches every child
    leave = next(e for e in one if e["program"] == "cn.maternity_leave")
    assert leave["amount"] == 98 + 15 * (
        babies - 1
    )  # 女职工劳动保护特别规定 第七条: 多胞胎每多1个婴儿增加15天
