"""Builders for childcare tests: valid credit codes, facility records, a facility taken through 备案."""

from __future__ import annotations

import datetime as dt

from stdnum.cn import uscc

from cradle.childcare import filing
from cradle.childcare.facilities import register_facility
from cradle.childcare.standards import CHECKLIST
from cradle.idcard import make_id_number


def credit_code(region: str = "370303", n: int = 1) -> str:
    body = f"52{region}MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def facility_data(n: int = 1, region: str = "370303", **overrides) -> dict:
    data = {
        "credit_code": credit_code(region, n),
        "name": f"测试托育园{n}",
        "type": "inclusive_private",
        "address": f"测试路{n}号",
        "region_code": region,
        "floor_area_m2": 600,
        "outdoor_area_m2": 200,
        "rooms": 6,
        "opening_date": "2024-01-01",
        "slots": [
            {"age_group": "infant", "slots": 10, "classes": 1, "fee_monthly": 1800},
            {"age_group": "toddler", "slots": 30, "classes": 2, "fee_monthly": 1500},
            {"age_group": "older", "slots": 40, "classes": 2, "fee_monthly": 1200},
        ],
        "staff": [
            {
                "name": "王园长",
                "role": "director",
                "education": "bachelor",
                "years_experience": 5,
                "qualification": "育婴员一级",
            }
        ]
        + [{"name": f"保育员{i}", "role": "caregiver", "qualification": "保育师"} for i in range(16)]
        + [
            {"name": "李医生", "role": "health", "qualification": "护士"},
            {"name": "张保安", "role": "security"},
        ],
    }
    data.update(overrides)
    return data


SITE_ITEMS = {k: "pass" for k, v in CHECKLIST.items() if not v["auto"]}


def filed_facility(
    session, n: int = 1, region: str = "370303", on: dt.date = dt.date(2024, 2, 1), **overrides
):
    """A facility registered and taken through submit → complete → accept."""
    facility = register_facility(session, facility_data(n, region, **overrides))
    f = filing.open_filing(session, facility.id, actor="operator", on=on)
    filing.transition(session, f.id, "complete", actor="county", on=on)
    filing.record_checks(session, f.id, SITE_ITEMS)
    filing.transition(session, f.id, "accept", actor="county", on=on)
    return facility


def child_id(n: int, birth: dt.date, region: str = "370303") -> str:
    return make_id_number(region, birth, n, "F" if n % 2 else "M")
