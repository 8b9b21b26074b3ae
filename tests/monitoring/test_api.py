"""The monitoring JSON API over a migrated SQLite database."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cradle.cli import app
from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app


@pytest.fixture
def client(sqlite_url, monkeypatch, _migrated_sqlite_template, tmp_path):
    monkeypatch.setenv("CRADLE_DATABASE_URL", sqlite_url)
    copy_sqlite(_migrated_sqlite_template, tmp_path)  # sqlite_url's file, migrated
    from cradle.auth.testing import bearer_for

    client = TestClient(create_app(["cradle.monitoring.api"]))
    client.headers.update(bearer_for(sqlite_url, "administrator", "cn"))
    return client


def test_entry_series_plan_warnings_projection(client, sqlite_url):
    from cradle.auth.testing import bearer_for

    body = {
        "indicator_id": "newborn_hearing_screening_rate",
        "region": "441523",
        "year": 2024,
        "value": 96.0,
        "source": "县妇幼保健院",
        "source_date": "2025-01-10",
        "department": "陆河县卫生健康局",
        "entered_by": "u1",
    }
    assert client.post("/api/v1/monitoring/values", json=body).status_code == 201
    bad = client.post("/api/v1/monitoring/values", json={**body, "value": 120})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "value"
    series = client.get("/api/v1/monitoring/values/newborn_hearing_screening_rate/441523").json()
    assert series["series"] == {"2024": 96.0}
    t = client.get("/api/v1/monitoring/template.xlsx", params={"region": ["441523"], "year": 2024})
    assert t.status_code == 200 and t.content[:2] == b"PK"
    up = client.post(
        "/api/v1/monitoring/upload",
        files={"file": ("x.xlsx", t.content)},
        data={"department": "d", "entered_by": "u"},
    )
    assert up.status_code == 422 and up.json()["errors"][0]["field"] == "file"  # nothing filled in
    report = {"period": "2025", "progress": "育儿补贴申领系统上线", "reported_on": "2025-12-01"}
    # the administrator is no unit: reports come from the units' own accounts
    assert (
        client.post("/api/v1/monitoring/plan/620400/tasks/baiyin.13.1/reports", json=report).status_code
        == 403
    )
    unit = bearer_for(sqlite_url, "dept_clerk", "620400", department="weijian")
    upd = client.post(
        "/api/v1/monitoring/plan/620400/tasks/baiyin.13.1/reports",
        json={**report, "department": "gongan"},  # the department is the account's, never the body's
        headers=unit,
    )
    assert upd.status_code == 422 and upd.json()["errors"][0]["field"] == "department"
    upd = client.post("/api/v1/monitoring/plan/620400/tasks/baiyin.13.1/reports", json=report, headers=unit)
    assert upd.status_code == 201 and upd.json()["department"] == "weijian"
    review = client.post(
        f"/api/v1/monitoring/plan/620400/reports/{upd.json()['id']}/review",
        json={"action": "accept"},
        headers=unit,
    )
    assert review.status_code == 200 and review.json()["status"] == "accepted"
    board = client.get("/api/v1/monitoring/plan/620400").json()["tasks"]
    assert next(t for t in board if t["id"] == "baiyin.13.1")["items"][0]["state"] == "accepted"
    w = client.get("/api/v1/monitoring/warnings", params={"region": "441523", "year": 2024}).json()
    assert any(x["kind"] == "late" for x in w["warnings"])
    p = client.get(
        "/api/v1/monitoring/projection", params={"region": "441523", "years": 5, "base_year": 2025}
    ).json()
    assert len(p["population"]) == 6 and p["defaulted"] == ["441523"]
    assert client.get("/api/v1/monitoring/indicators", params={"region": "999999"}).status_code == 422
    listed = {i["id"]: i for i in client.get("/api/v1/monitoring/indicators").json()["indicators"]}
    mmr = listed["maternal_mortality"]  # the definitions' Chinese and their English
    assert (mmr["name"], mmr["numerator"], mmr["denominator"]) == ("孕产妇死亡率", "孕产妇死亡数", "活产数")
    assert mmr["en"] == {
        "name": "Maternal mortality ratio",
        "numerator": "Maternal deaths",
        "denominator": "Live births",
    }


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_warnings_are_said_in_the_requests_language(client):
    """A warning's reason is its message id and parameters, said in the request's language (Chinese by default,
    English under ?lang=en or Accept-Language: en), with the indicator, its department and the region named in it."""
    params = {"region": "441523", "year": 2024}
    zh = client.get("/api/v1/monitoring/warnings", params=params).json()["warnings"]
    late = [w for w in zh if w["kind"] == "late"]
    assert late and all("尚未报送" in w["reason"] for w in late)
    assert {w["region_name"] for w in late} == {"陆河县"} and late[0]["kind_label"] == "数据迟报"
    for english in (
        client.get("/api/v1/monitoring/warnings", params={**params, "lang": "en"}),
        client.get("/api/v1/monitoring/warnings", params=params, headers={"Accept-Language": "en"}),
    ):
        en = english.json()["warnings"]
        assert [(w["indicator"], w["kind"]) for w in en] == [(w["indicator"], w["kind"]) for w in zh]
        for w in en:
            assert not HAN.search(w["reason"] + w["region_name"] + w["kind_label"]), w
        assert all("have not been reported" in w["reason"] for w in en if w["kind"] == "late")
        assert {w["region_name"] for w in en if w["kind"] == "late"} == {"Luhe County"}
        assert {w["message"] for w in en} == {w["message"] for w in zh}


def test_the_warnings_command_says_them_in_its_language(client, monkeypatch):
    args = ["monitoring", "warnings", "--region", "441523", "--year", "2024"]
    zh = CliRunner().invoke(app, args)
    assert zh.exit_code == 0, zh.output
    assert "陆河县" in zh.output and "尚未报送" in zh.output
    monkeypatch.setenv("CRADLE_LOCALE", "en")
    en = CliRunner().invoke(app, args)
    assert en.exit_code == 0, en.output
    assert "Luhe County" in en.output and "have not been reported" in en.output and not HAN.search(en.output)
