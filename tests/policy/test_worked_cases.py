"""Every pack's worked cases (tests.yaml), taken from the documents' own words."""

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
