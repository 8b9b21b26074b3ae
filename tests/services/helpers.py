"""Shared test data for the services and payments tests: actors, a Baiyin second-child household, databases."""

from __future__ import annotations

import datetime as dt

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.idcard import make_id_number

COUNTY = "620402"  # 白银区
TOWN = "620402001"
OTHER_TOWN = "620402002"

MOTHER = make_id_number("620402", dt.date(1993, 4, 2), 11, "F")
FATHER = make_id_number("620402", dt.date(1991, 1, 1), 12, "M")
CHILD1 = make_id_number("620402", dt.date(2020, 5, 1), 13, "F")
CHILD2 = make_id_number("620402", dt.date(2025, 3, 10), 14, "M")
AUNT = make_id_number("620421", dt.date(1992, 2, 2), 15, "F")
OUTSIDER = make_id_number("620423", dt.date(1990, 8, 8), 16, "F")

mother = Actor(id="m", role=roles.CITIZEN, id_number=MOTHER, name="李梅")
father = Actor(id="f", role=roles.CITIZEN, id_number=FATHER, name="王强")
aunt = Actor(id="a", role=roles.CITIZEN, id_number=AUNT, name="李芳")
outsider = Actor(id="o", role=roles.CITIZEN, id_number=OUTSIDER, name="赵敏")
town = Actor(id="t1", role=roles.TOWN, region=TOWN, name="乡镇专干")
other_town = Actor(id="t2", role=roles.TOWN, region=OTHER_TOWN)
county = Actor(id="c1", role=roles.COUNTY, region=COUNTY, name="县卫健局")
other_county = Actor(id="c2", role=roles.COUNTY, region="620403")
finance = Actor(id="fin", role=roles.DEPT, region=COUNTY, dept="caizheng")


def household(child2_birth: str = "2025-03-10", jurisdiction: str = COUNTY) -> dict:
    return {
        "jurisdiction": jurisdiction,
        "members": [
            {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1993-04-02", "hukou": jurisdiction},
            {"id": "f", "relation": "father", "sex": "M", "birth_date": "1991-01-01", "hukou": jurisdiction},
            {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2020-05-01", "birth_order": 1},
            {"id": "c2", "relation": "child", "sex": "M", "birth_date": child2_birth, "birth_order": 2},
        ],
        "events": [{"type": "birth", "child": "c2", "date": child2_birth}],
    }


IDENTITIES = {
    "m": {"id_number": MOTHER, "name": "李梅"},
    "f": {"id_number": FATHER, "name": "王强"},
    "c1": {"id_number": CHILD1, "name": "王一"},
    "c2": {"id_number": CHILD2, "name": "王二"},
}


def application(**over) -> dict:
    data = {
        "program": "baiyin.childcare_allowance",
        "household": household(),
        "identities": IDENTITIES,
        "beneficiary": "c2",
        "town": TOWN,
        "account_no": "6217000000000000001",
        "bank_code": "GSBANK",
        "phone": "13800000001",
    }
    data.update(over)
    return data
