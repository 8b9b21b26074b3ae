"""The villages' account check writes every row at once (COPY and one UPDATE on PostgreSQL): each listed person
gets the account given, and keeps the bank and town already held where a row leaves them out."""

from __future__ import annotations

from sqlalchemy import select

from cradle.assistance import cycle
from cradle.assistance.models import Entry
from cradle.db import session_scope

from .helpers import COUNTY, TOWN, accounts, county, town, year_2025


def _accounts(url) -> dict[str, tuple]:
    with session_scope(url) as s:
        rows = s.execute(select(Entry.id_number, Entry.account_no, Entry.bank_code, Entry.town)).all()
        return {r[0]: tuple(r[1:]) for r in rows}


def test_accounts_are_set_and_what_a_row_leaves_out_is_kept(svc_url):
    url = svc_url
    with session_scope(url) as s:
        cycle.find_candidates(s, county, COUNTY, 2025, year_2025())
    ids = sorted(_accounts(url))
    assert len(ids) > 4
    with session_scope(url) as s:  # the county places each person in a town
        cycle.set_accounts(s, county, COUNTY, 2025, accounts(ids))
    second = [{"id_number": n, "account_no": f"6228480{i:012d}"} for i, n in enumerate(ids[:3])]
    second[0]["bank_code"] = "ABC"
    with session_scope(url) as s:
        assert cycle.set_accounts(s, town, COUNTY, 2025, second) == 3
    after = _accounts(url)
    assert after[ids[0]] == ("6228480000000000000", "ABC", TOWN)
    assert after[ids[1]] == ("6228480000000000001", "GSBANK", TOWN)
    assert after[ids[3]] == ("6217000000000000003", "GSBANK", TOWN)
    with session_scope(url) as s:  # twice in one transaction: the staging table is made afresh
        cycle.set_accounts(s, town, COUNTY, 2025, second[:1])
        cycle.set_accounts(s, county, COUNTY, 2025, [{**second[1], "town": f"{COUNTY}002"}])
    assert _accounts(url)[ids[1]] == ("6228480000000000001", "GSBANK", f"{COUNTY}002")
