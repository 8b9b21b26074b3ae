"""The yearly review and adoption dates (民政 收养登记 in the registry): a 失独 family who adopted a child during
the year leaves 特别扶助 with the reason "had or adopted a child"; a family whose only adoption is decades old and
who leaves for another reason is not said to have adopted; an adoption with no date (a household entered by hand)
still counts. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cradle.assistance import cycle, detection, sample
from cradle.assistance.models import Cycle
from cradle.db import session_scope

from .helpers import COUNTY, FAMILIES, REWARD, SPECIAL, county, father, mother
from .test_cycle import run_2025


def _year_2026() -> list[dict]:
    out = []
    for n, kind in FAMILIES.items():
        if n == 0:  # 失独 in 2025; adopted a seven-year-old on 2025-06-01
            kid = {"birth_date": "1983-06-01", "sex": "F", "deceased": True}
            adopted = {"birth_date": "2018-02-01", "sex": "M", "adopted": True, "adopted_on": "2025-06-01"}
            out.append(sample.family(COUNTY, n, "bereaved", children=[kid, adopted]))
        elif n == 1:  # its certificate revoked in 2025; the adopted daughter came in 2005
            kid = {"birth_date": "2004-01-01", "sex": "F", "adopted": True, "adopted_on": "2005-03-01"}
            out.append(sample.family(COUNTY, n, "none", children=[kid]))
        else:
            out.append(sample.family(COUNTY, n, kind))
    return out


def test_an_adoption_in_the_year_ends_special_assistance_with_the_reason(svc_url, tmp_path):
    run_2025(svc_url, tmp_path)
    with session_scope(svc_url) as s:
        cycle.find_candidates(s, county, COUNTY, 2026, _year_2026(), as_of=dt.date(2026, 1, 1))
    with session_scope(svc_url) as s:
        c = s.execute(select(Cycle).where(Cycle.county == COUNTY, Cycle.year == 2026)).scalar_one()
        listed = {(e.program, e.id_number): e for e in cycle.entries(s, c)}
        left = {k: (e.status, e.leave_reason, e.reason) for k, e in listed.items() if e.status == "left"}
    assert left[(SPECIAL, mother(0))] == ("left", "new_child", "再生育或收养子女")
    assert left[(SPECIAL, father(0))][1] == "new_child"
    assert left[(REWARD, mother(1))][:2] == ("left", "not_eligible")  # the 2005 adoption is not this year's


def test_the_standing_of_a_parent_reads_the_adoption_date():
    h = sample.family(COUNTY, 3, "reward")
    h["members"].append(
        {"id": "c2", "relation": "child", "sex": "M", "birth_date": "2010-01-01", "adopted": True}
    )
    undated = detection.index([h])[mother(3)]
    assert undated.new_child_since(dt.date(2025, 1, 1))  # no date: cannot be placed, counted
    h["members"][-1]["adopted_on"] = "2012-05-01"
    dated = detection.index([h])[mother(3)]
    assert dated.adopted_on == dt.date(2012, 5, 1) and not dated.new_child_since(dt.date(2025, 1, 1))
    assert dated.new_child_since(dt.date(2012, 1, 1))
