"""A synthetic 白银区 for the assistance cycle: the actors of each level, and the families whose year the tests
walk (cradle.assistance.sample builds the households)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cradle.assistance import cycle, sample
from cradle.assistance.models import Cycle
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.db import session_scope

COUNTY = "620402"  # 白银区
TOWN = "620402001"
town = Actor(id="t1", role=roles.TOWN, region=TOWN, name="镇计生办")
county = Actor(id="c1", role=roles.COUNTY, region=COUNTY, name="区卫健局")
other_county = Actor(id="c2", role=roles.COUNTY, region="620403")
city = Actor(id="ci", role=roles.CITY, region="620400")
province = Actor(id="pr", role=roles.PROVINCE, region="620000")
finance = Actor(id="fin", role=roles.DEPT, region=COUNTY, dept="caizheng")
# the 卫健 feed's desk (family-doctor contracts) and a hospital's account (the priority question)
weijian = Actor(id="h1", role=roles.DEPT, region=COUNTY, dept="weijian")
hospital = Actor(id="h2", role=roles.HEALTH, region=COUNTY, institution_id=1, name="区人民医院")
VILLAGE, OTHER_VILLAGE = f"{TOWN}001", f"{TOWN}002"
village = Actor(id="v1", role=roles.VILLAGE, region=VILLAGE, name="一村村委")
other_village = Actor(id="v2", role=roles.VILLAGE, region=OTHER_VILLAGE, name="二村村委")
civil = Actor(id="mz", role=roles.DEPT, region=COUNTY, dept="minzheng")

SPECIAL = "baiyin.special_assistance_bereaved"
DISABLED = "baiyin.special_assistance_disabled"
REWARD = "baiyin.reward_assistance"

# family number -> its kind in 2025
FAMILIES = {
    0: "bereaved",
    1: "reward",
    2: "reward",
    3: "disabled",
    4: "reward",
    5: "reward",
    6: "reward",
    7: "reward",
}


def mother(n: int) -> str:
    return sample.family(COUNTY, n, "reward")["members"][0]["id_number"]


def father(n: int) -> str:
    return sample.family(COUNTY, n, "reward")["members"][1]["id_number"]


def year_2025() -> list[dict]:
    return [sample.family(COUNTY, n, kind) for n, kind in FAMILIES.items()]


def year_2026() -> list[dict]:
    """During 2025: family 0's mother and family 4's mother died, family 5 moved away, family 6 had a child (its
    certificate revoked), family 7's only child died (now 失独); family 8 qualifies anew."""
    out = []
    for n, kind in FAMILIES.items():
        if n == 5:
            continue
        if n == 6:
            kids = [{"birth_date": "1985-06-01", "sex": "F"}, {"birth_date": "2025-08-01", "sex": "M"}]
            out.append(sample.family(COUNTY, n, "none", children=kids))
            continue
        h = sample.family(COUNTY, n, "bereaved" if n == 7 else kind)
        if n in (0, 4):
            h["members"][0]["deceased"] = True
        out.append(h)
    out.append(sample.family(COUNTY, 8, "reward"))
    return out


def accounts(ids: list[str], town: str = TOWN, villages: dict[str, str] | None = None) -> list[dict]:
    """The account check's rows; `villages` gives a person's 村/社区 code."""
    return [
        {"id_number": n, "account_no": f"6217000{i:012d}", "bank_code": "GSBANK", "town": town}
        | ({"village": villages[n]} if villages and n in villages else {})
        for i, n in enumerate(ids)
    ]


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def entries_2025(url: str) -> dict[str, int]:
    """ID number -> entry id of the county's 2025 list (one program per person in 2025)."""
    with session_scope(url) as s:
        c = s.execute(select(Cycle).where(Cycle.county == COUNTY, Cycle.year == 2025)).scalar_one()
        return {e.id_number: e.id for e in cycle.entries(s, c)}
