"""Every pack's worked cases (tests.yaml), taken from the documents' own words."""

import pytest

from cradle.policy.cases import check_case, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_worked_case(case):
    assert check_case(case) == []
