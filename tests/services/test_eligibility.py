"""The engine asked for one program gives exactly what `cradle calc` gives for that program, refusals too."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cradle.policy.calc import calc_household
from cradle.services import eligibility

from .helpers import household

ON = dt.date(2025, 7, 1)
ZIBO = json.loads((Path(__file__).resolve().parents[2] / "docs" / "family.json").read_text(encoding="utf-8"))
RATE = {"baiyin.childcare_allowance.monthly": 200.0}


@pytest.mark.parametrize(
    "hh,program,beneficiary,overrides",
    [
        (ZIBO, "zibo.nursery_fee_subsidy", "c2", None),
        (ZIBO, "zibo.employee_delivery_reimbursement", None, None),
        (household(), "baiyin.childcare_allowance", "c2", RATE),
        (household(), "baiyin.childcare_allowance", "c2", None),
    ],
)
def test_one_program_as_calc_gives_it(hh, program, beneficiary, overrides):
    full = calc_household(hh, ON, explain=True, overrides=overrides)
    expected = next(
        e for e in full["entitlements"] if e["program"] == program and beneficiary in (None, e["beneficiary"])
    )
    verdict = eligibility.check(hh, program, beneficiary, ON, overrides)
    assert verdict["eligible"] and verdict["entitlement"] == expected


def test_refusal_reason_is_calcs_first_failed_condition():
    hh = json.loads(json.dumps(ZIBO))
    next(m for m in hh["members"] if m["id"] == "c2")["care"] = {"type": "home"}
    full = calc_household(hh, ON, explain=True)
    reason = next(n["reason"] for n in full["not_applicable"] if n["program"] == "zibo.nursery_fee_subsidy")
    verdict = eligibility.check(hh, "zibo.nursery_fee_subsidy", "c2", ON)
    assert not verdict["eligible"] and verdict["reason"] == reason
    assert (
        eligibility.check(ZIBO, "baiyin.childcare_allowance", "c2", ON)["reason"]
        == "该项目不适用于此户籍地/居住地"
    )
    with pytest.raises(Exception, match="household.members"):
        eligibility.check({**ZIBO, "members": [{"id": "m"}]}, "zibo.nursery_fee_subsidy", None, ON)
