"""The desk on both databases: officials of 陆河县 (441523) and others, and a Luhe household with a 独生子女证."""

from __future__ import annotations

import pytest

from cradle.auth import roles
from cradle.auth.actor import from_account
from cradle.auth.testing import make_account
from cradle.policy import published

LUHE, LUHE_DOC, LUHE_CLAUSE = "441523", "000_297e707e5151f0b6.txt", "维护计划生育家庭合法权益"
REWARD = "luhe.reward_assistance.amount"


@pytest.fixture
def desk_url(svc_url, monkeypatch):
    """A migrated database (`svc_url`: SQLite and PostgreSQL, copied from a template) every process of the test reads the desk from (refreshed on each answer)."""
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_url)
    monkeypatch.setenv("CRADLE_PARAMS_REFRESH_MS", "0")
    published.invalidate()
    yield svc_url
    published.invalidate()


def official(url: str, role: str = roles.COUNTY, region: str = LUHE, **fields):
    account = make_account(url, role, region, **fields)
    return from_account(account, "session")


@pytest.fixture
def luhe_household() -> dict:
    return {
        "jurisdiction": LUHE,
        "members": [
            {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1968-04-02", "hukou": LUHE},
            {"id": "f", "relation": "father", "sex": "M", "birth_date": "1960-08-20", "hukou": LUHE},
            {"id": "c1", "relation": "child", "sex": "F", "birth_date": "1995-05-01", "birth_order": 1},
        ],
        "family_planning": {
            "only_child_certificate": True,
            "rural_two_daughters": False,
            "special_family": None,
        },
    }


def amount_source(entitlement: dict) -> dict:
    """Where the entitlement's amount comes from (its provenance lists every parameter the rule read)."""
    (source,) = [p for p in entitlement["provenance"] if p["parameter"] == REWARD]
    return source
