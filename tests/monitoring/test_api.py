"""The monitoring JSON API over a migrated SQLite database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cradle.db import upgrade
from cradle.web.app import create_app


@pytest.fixture
def client(sqlite_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    from cradle.auth.testing import bearer_for

    client = TestClient(create_app(["cradle.monitoring.api"]))
    client.headers.update(bearer_for(sqlite_url, "administrator", "cn"))
    return client


def test_entry_series_plan_warnings_projection(client):
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
    upd = client.post(
        "/api/v1/monitoring/plan/measures/baiyin.13",
        json={"region": "620400", "department": "市公安局", "status": "in_progress", "updated_by": "u"},
    )
    assert upd.status_code == 201
    board = client.get("/api/v1/monitoring/plan/620400").json()["measures"]
    assert next(m for m in board if m["id"] == "baiyin.13")["status"] == "in_progress"
    w = client.get("/api/v1/monitoring/warnings", params={"region": "441523", "year": 2024}).json()
    assert any(x["kind"] == "late" for x in w["warnings"])
    p = client.get(
        "/api/v1/monitoring/projection", params={"region": "441523", "years": 5, "base_year": 2025}
    ).json()
    assert len(p["population"]) == 6 and p["defaulted"] == ["441523"]
    assert client.get("/api/v1/monitoring/indicators", params={"region": "999999"}).status_code == 422
