"""Ids larger than any database key answer 404 in the error shape, on SQLite and PostgreSQL."""

from fastapi.testclient import TestClient

from cradle.auth.testing import bearer_for
from cradle.web.app import create_app


def test_a_30_digit_task_id_is_not_found_not_a_crash(migrated_db_url, monkeypatch):
    db_url = migrated_db_url
    monkeypatch.setenv("CRADLE_DATABASE_URL", db_url)
    client = TestClient(create_app(), raise_server_exceptions=False)
    headers = bearer_for(db_url, "county_official", "370303")
    r = client.post("/api/v1/services/tasks/930615554564612423680/start", headers=headers)
    assert r.status_code == 404, r.text
    assert r.json()["errors"][0]["code"] == "not_found"
