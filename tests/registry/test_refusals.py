"""Refusals of the registry are `cradle.errors`, answered once: the API as `{"errors": [...]}` naming the field,
in the reader's language (Chinese by default, with the Chinese the registry always said); the CLI in one line
naming the field, exit 2 for bad input and 1 for a record that is not there; stored data stay as they were."""

import pytest
from fastapi.testclient import TestClient
from tests.auth.seed import REG_ID, seed_registry
from typer.testing import CliRunner

from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.cli import app
from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app

API = "/api/v1/registry"


@pytest.fixture
def reg(tmp_path, monkeypatch, _migrated_sqlite_template):
    url = copy_sqlite(_migrated_sqlite_template, tmp_path)  # migrated
    ids = seed_registry(url)
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    with TestClient(create_app(["cradle.registry.api"])) as client:
        yield client, url, ids


def _errors(answer) -> list[dict]:
    return answer.json()["errors"]


def test_api_refusals_name_the_field_in_the_readers_language(reg):
    client, url, ids = reg
    own = bearer_for(url, roles.COUNTY, "370303")
    english = {**own, "accept-language": "en"}
    r = client.get(f"{API}/persons", headers=own)
    assert r.status_code == 422
    assert _errors(r) == [
        {"field": "id_number", "code": "missing", "message": "请至少提供身份证号码、姓名或出生日期之一"}
    ]
    r = client.get(f"{API}/persons", headers=english)
    assert _errors(r)[0]["message"] == "Give at least an ID number, a name or a date of birth"

    row = f"{API}/quarantine/{ids['row_id']}/correct"
    r = client.post(row, headers=own, json={"changes": {"no_such_column": "x"}})
    assert r.status_code == 422
    assert _errors(r) == [
        {"field": "changes", "code": "invalid", "message": "gongan 没有字段：no_such_column"}
    ]
    r = client.post(row, headers=english, json={"changes": {"hukou_region": "370304"}})
    assert r.status_code == 403
    assert _errors(r) == [
        {"field": "changes.region", "code": "out_of_scope", "message": "370304 is outside your jurisdiction"}
    ]
    assert client.get(f"{API}/quarantine", headers=own).json()["rows"][0]["corrected"] is None  # left alone

    (pair,) = client.get(f"{API}/identity/pending", headers=own).json()["pending"]
    r = client.get(f"{API}/persons/{pair['record']['id']}/household", headers=own)
    assert r.status_code == 422 and _errors(r)[0]["field"] == "person_id"
    assert _errors(r)[0]["code"] == "no_id_number"

    decide = f"{API}/identity/candidates/{ids['candidate_id']}/decide"
    assert client.post(decide, headers=own, json={"confirm": False}).json()["status"] == "rejected"
    r = client.post(decide, headers=english, json={"confirm": True})
    assert r.status_code == 422
    assert _errors(r) == [
        {
            "field": "candidate_id",
            "code": "invalid",
            "message": f"Pending match {ids['candidate_id']} already handled (rejected)",
        }
    ]
    r = client.post(f"{API}/identity/merges/{ids['merge_id']}/split", headers=own, json={"why": "x"})
    assert r.status_code == 422
    assert {e["field"] for e in _errors(r)} == {"reason", "why"}  # the body's model names each field


def test_cli_refusals_in_one_line(reg, tmp_path):
    client, url, ids = reg
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", "nosuch", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "dept: 未知的部门 nosuch；可用：gongan" in r.output
    r = runner.invoke(app, ["ingest", "gongan", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and f"file: 文件不存在：{tmp_path / 'x.csv'}" in r.output
    r = runner.invoke(app, ["household", REG_ID, "--on", "1990-01-01"])
    assert r.exit_code == 2 and "on: 1990-01-01 时该人员尚未出生" in r.output
    r = runner.invoke(app, ["household", REG_ID, "--on", "2025-13-01"])
    assert r.exit_code == 2 and "--on: 日期格式应为 YYYY-MM-DD：2025-13-01" in r.output
    r = runner.invoke(app, ["quarantine", "correct", str(ids["row_id"]), "--set", "nope"])
    assert r.exit_code == 2 and "--set: 应为 FIELD=VALUE：nope" in r.output
    r = runner.invoke(app, ["identity", "decide", "987654", "--confirm", "--by", "official-1"])
    assert r.exit_code == 1 and "candidate_id: 待确认记录不存在：987654" in r.output
    r = runner.invoke(
        app, ["identity", "split", str(ids["merge_id"]), "--by", "official-1", "--reason", "误合并"]
    )
    assert r.exit_code == 0
    r = runner.invoke(
        app, ["identity", "split", str(ids["merge_id"]), "--by", "official-1", "--reason", "again"]
    )
    assert r.exit_code == 2 and f"merge_id: 合并 {ids['merge_id']} 已撤销" in r.output
