"""Every pack's worked cases (tests.yaml), taken from the documents' own words."""

from dataclasses import replace

import pytest

from cradle.policy.cases import _matches, check_case, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_worked_case(case):
    assert check_case(case) == []


def test_explains_matches_words_of_the_explanation():
    ent = {"program": "p", "amount": 3000, "explanation": "支付额不低于3000元"}
    assert _matches(ent, {"program": "p", "explains": "不低于3000元"})
    assert not _matches(ent, {"program": "p", "explains": "支付3000元"})
    assert not _matches({"program": "p"}, {"explains": "不低于"})


def test_times_counts_the_entitlements_an_entry_matches():
    triplets = next(c for c in CASES if c.pack == "sx" and c.name.startswith("三胞胎"))
    each_child = {"program": "cn.infant_care_tax_deduction"}
    assert check_case(replace(triplets, expect=[dict(each_child, times=3)], absent=[])) == []
    problems = check_case(replace(triplets, expect=[dict(each_child, times=1)], absent=[]))
    assert len(problems) == 1 and "matched 3" in problems[0]
