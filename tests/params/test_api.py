"""/api/v1/params and POST /api/v1/documents: the same rules as the desk, refusals naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.policy.calc import calc_household
from cradle.web.app import create_app

from .conftest import LUHE, LUHE_CLAUSE, LUHE_DOC, REWARD


@pytest.fixture
def client(desk_url):
    with TestClient(create_app(), base_url="https://testserver") as c:
        yield c


BODY = {
    "parameter": REWARD,
    "value": "1440",
    "unit": "CNY",
    "effective_from": "2026-01-01",
    "document": LUHE_DOC,
    "clause": LUHE_CLAUSE,
}


def test_propose_preview_approve_over_the_api(client, desk_url, luhe_household):
    a, b = bearer_for(desk_url, roles.COUNTY, LUHE), bearer_for(desk_url, roles.COUNTY, LUHE)
    listed = client.get("/api/v1/params", headers=a)
    assert listed.status_code == 200
    assert REWARD in {p["name"] for p in listed.json()["parameters"]}
    r = client.post("/api/v1/params/proposals", json={**BODY, "unit": "元"}, headers=a)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "unit"
    r = client.post("/api/v1/params/proposals", json={**BODY, "extra": 1}, headers=a)
    assert r.status_code == 422
    r = client.post("/api/v1/params/proposals", json=BODY, headers=a)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["state"] == "proposed" and r.json()["title"].startswith("陆河县关于优化生育政策")
    pending = client.get("/api/v1/params/proposals", headers=b).json()["proposals"]
    assert [p["id"] for p in pending] == [pid]
    preview = client.get(f"/api/v1/params/proposals/{pid}/preview", headers=b)
    assert preview.status_code == 200 and len(preview.json()["years"]) == 3
    own = client.post(f"/api/v1/params/proposals/{pid}/approve", json={}, headers=a)
    assert own.status_code == 403 and own.json()["errors"][0]["field"] == "proposal"
    other = bearer_for(desk_url, roles.COUNTY, "441521")
    assert client.post(f"/api/v1/params/proposals/{pid}/approve", json={}, headers=other).status_code == 404
    ok = client.post(f"/api/v1/params/proposals/{pid}/approve", json={"reason": "经费已落实"}, headers=b)
    assert ok.status_code == 200, ok.text
    assert (
        ok.json()["state"] == "approved" and ok.json()["preview"]["years"][0]["year"] == dt.date.today().year
    )
    history = client.get(f"/api/v1/params/{REWARD}", headers=a).json()["history"]
    assert [(h["value"], h["source"]) for h in history] == [(None, "release"), (1440, "desk")]
    (ent,) = [
        e
        for e in calc_household(luhe_household, dt.date(2026, 6, 1))["entitlements"]
        if e["program"] == "luhe.reward_assistance"
    ]
    assert ent["amount"] == 1440


def test_citizens_and_other_roles_cannot_use_the_desk(client, desk_url):
    town = bearer_for(desk_url, roles.TOWN, LUHE + "100")
    assert client.get("/api/v1/params", headers=town).status_code == 403
    assert client.post("/api/v1/params/proposals", json=BODY).status_code == 401


def test_register_a_document_over_the_api(client, desk_url):
    a = bearer_for(desk_url, roles.COUNTY, LUHE)
    body = {
        "title": "陆河县关于调整奖励扶助标准的通知",
        "jurisdiction": LUHE,
        "text": "一、标准提高到每户每年1800元。\n二、自印发之日起施行。",
        "clauses": {"一": {"starts": "一、标准"}, "二": {"starts": "二、自印发"}},
        "doc_number": "陆卫〔2026〕7号",
        "issued": "2026-02-20",
    }
    r = client.post("/api/v1/documents", json={**body, "text": ""}, headers=a)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "text"
    r = client.post("/api/v1/documents", json=body, headers=a)
    assert r.status_code == 201, r.text
    key = r.json()["document"]
    docs = {d["document"]: d for d in client.get("/api/v1/documents").json()}
    assert docs[key]["title"] == body["title"] and docs[key]["doc_number"] == "陆卫〔2026〕7号"
    clause = client.get(f"/api/v1/documents/{key}/clauses/一")
    assert clause.status_code == 200 and "1800元" in clause.json()["text"]
