"""Fixtures of the 妇幼 tests: a migrated database (SQLite, and PostgreSQL where `svc_url` asks for both) with a
county's 妇幼保健院 (a designated 危重孕产妇救治中心), a township health centre and a hospital of another county, and
Actors for their health workers and for officials."""

from __future__ import annotations

import datetime as dt

import pytest

from cradle.auth import roles
from cradle.auth.actor import Actor, from_account
from cradle.auth.testing import make_account
from cradle.db import session_scope
from cradle.health import institutions
from cradle.idcard import make_id_number

COUNTY, OTHER = "370303", "370304"
TODAY = dt.date(2025, 6, 30)
WOMAN = make_id_number("370303", dt.date(1992, 5, 6), 21, "F")
MAN = make_id_number("370303", dt.date(1990, 2, 3), 22, "M")


def county_official(region: str = COUNTY, role: str = roles.COUNTY) -> Actor:
    return Actor(id=f"test:{role}@{region}", role=role, region=region, account_id=1, name="测试干部")


def seed_institutions(url: str) -> dict[str, Actor]:
    """The institutions and one health worker Actor for each (accounts made through cradle.auth)."""
    workers = {}
    with session_scope(url) as s:
        made = [
            institutions.register(s, "cli", "H37030301", "张店区妇幼保健院", COUNTY, "mch", True),
            institutions.register(s, "cli", "H370303101", "张店区第1卫生院", COUNTY, "primary"),
            institutions.register(s, "cli", "H37030401", "淄川区人民医院", OTHER, "hospital"),
        ]
        ids = {i.code: (i.id, i.region) for i in made}
    for code, (inst_id, region) in ids.items():
        account = make_account(url, roles.HEALTH, region, institution_id=inst_id)
        workers[code] = from_account(account, "session")
    return workers


@pytest.fixture
def hurl(svc_url) -> str:
    """A migrated database on both engines."""
    return svc_url


@pytest.fixture
def workers(hurl) -> dict[str, Actor]:
    return seed_institutions(hurl)


@pytest.fixture
def lite(svc_sqlite_url) -> str:
    return svc_sqlite_url


@pytest.fixture
def lite_workers(lite) -> dict[str, Actor]:
    return seed_institutions(lite)


def file_pregnancy(url, worker, number="P1", id_number=WOMAN, filed_on="2025-01-10", weeks="9"):
    from cradle.health import pregnancies

    with session_scope(url) as s:
        pregnancies.file(
            s,
            worker,
            {
                "pregnancy_no": number,
                "id_number": id_number,
                "name": "王丽",
                "filed_on": filed_on,
                "weeks": weeks,
            },
        )
