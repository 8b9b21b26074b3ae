"""The desk's pages: an official proposes, a second one sees the cost and approves; the calculator's next
answer has the figure. Chinese by default, English through the catalogues; another county's official sees none
of it."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from cradle.auth import roles
from cradle.auth.testing import PASSWORD, make_account
from cradle.policy.calc import calc_household
from cradle.web.app import create_app

from .conftest import LUHE, LUHE_CLAUSE, LUHE_DOC, REWARD


def _signed_in(username: str) -> TestClient:
    c = TestClient(create_app(), base_url="https://testserver")
    r = c.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.csrf = r.json()["csrf_token"]
    return c


@pytest.fixture
def officials(desk_url):
    return [make_account(desk_url, roles.COUNTY, LUHE).username for _ in range(2)]


def test_propose_then_approve_on_the_pages(desk_url, officials, luhe_household):
    a, b = (_signed_in(u) for u in officials)
    page = a.get("/params")
    assert page.status_code == 200 and "参数台" in page.text and "陆河县" in page.text
    assert f'data-parameter="{REWARD}"' in page.text and "baiyin." not in page.text
    form = {
        "csrf_token": a.csrf,
        "parameter": REWARD,
        "value": "1440",
        "unit": "CNY",
        "effective_from": "2026-01-01",
        "document": LUHE_DOC,
        "clause": LUHE_CLAUSE,
    }
    bad = a.post("/params/propose", data={**form, "effective_from": "2026-13-01"}, follow_redirects=True)
    assert "effective_from" in bad.text and 'id="desk-error"' in bad.text
    done = a.post("/params/propose", data=form, follow_redirects=True)
    assert done.status_code == 200 and "等待审批" in done.text
    assert 'id="approve"' not in done.text  # the proposer cannot approve
    pid = int(str(done.url).rsplit("/", 1)[1])
    seen = b.get(f"/params/proposals/{pid}")
    assert 'id="preview"' in seen.text and 'id="approve"' in seen.text
    english = b.get(f"/params/proposals/{pid}?lang=en")
    assert "Cost preview" in english.text and "Approve and publish" in english.text
    assert "成本测算" in b.get(f"/params/proposals/{pid}?lang=zh").text
    approved = b.post(f"/params/proposals/{pid}/approve", data={"csrf_token": b.csrf}, follow_redirects=True)
    assert approved.status_code == 200 and "已发布" in approved.text
    (ent,) = [
        e
        for e in calc_household(luhe_household, dt.date(2026, 6, 1))["entitlements"]
        if e["program"] == "luhe.reward_assistance"
    ]
    assert ent["amount"] == 1440
    history = a.get(f"/params/history/{REWARD}")
    assert "陆河县于" in history.text and "在参数台发布" in history.text and "随版本发布" in history.text


def test_another_county_and_a_citizen_see_nothing(desk_url, officials):
    other = make_account(desk_url, roles.COUNTY, "441521").username
    c = _signed_in(other)
    assert REWARD not in c.get("/params").text
    anonymous = TestClient(create_app(), base_url="https://testserver")
    r = anonymous.get("/params", follow_redirects=False)
    assert r.status_code in (303, 307) and "/auth/login" in r.headers["location"]
