"""Scope and privacy of the registry API: a 370304 official gets nothing of 370303's runs, quarantine, identity
queue or merges; department clerks see their own feeds; only case-handling roles write; ID numbers are masked
for the other roles, and every unmasked list and export is audited."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.auth.seed import REG_BAD_ID, REG_NAMES, seed_registry

from cradle.audit import AuditEntry
from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.db import session_scope
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


def _unmasked_audits(url) -> list[AuditEntry]:
    with session_scope(url) as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "view_unmasked")))
        s.expunge_all()
    return rows


def test_own_county_sees_and_handles_its_rows_unmasked_and_audited(reg):
    client, url, ids = reg
    own = bearer_for(url, roles.COUNTY, "370303")
    (run,) = client.get(f"{API}/runs", headers=own).json()["runs"]
    assert run["id"] == ids["run_id"] and run["region"] == "370303" and run["quarantined"] == 1
    (row,) = client.get(f"{API}/quarantine", headers=own).json()["rows"]
    assert row["raw"]["id_number"] == REG_BAD_ID and row["region"] == "370303"
    csv = client.get(f"{API}/quarantine.csv", headers=own).text
    assert REG_BAD_ID in csv
    audits = _unmasked_audits(url)
    assert [a.detail["purpose"] for a in audits] == ["registry quarantine", "registry quarantine.csv"]
    assert all(a.detail["rows"] == [ids["row_id"]] and a.detail["fields"] == ["id_number"] for a in audits)
    (pair,) = client.get(f"{API}/identity/pending", headers=own).json()["pending"]
    assert pair["record"]["name"] == REG_NAMES[2]
    r = client.post(
        f"{API}/quarantine/{ids['row_id']}/correct", headers=own, json={"changes": {"name": "改名"}}
    )
    assert r.status_code == 200 and r.json()["corrected"] == {"name": "改名"}
    r = client.post(
        f"{API}/identity/candidates/{ids['candidate_id']}/decide",
        headers=own,
        json={"confirm": False, "reason": "不是同一人"},
    )
    assert r.json()["status"] == "rejected"
    r = client.post(f"{API}/identity/merges/{ids['merge_id']}/split", headers=own, json={"reason": "误合并"})
    assert r.status_code == 200 and r.json()["action"] == "split"


def test_other_county_gets_nothing_and_changes_nothing(reg):
    client, url, ids = reg
    other = bearer_for(url, roles.COUNTY, "370304")
    assert client.get(f"{API}/runs", headers=other).json()["runs"] == []
    assert client.get(f"{API}/runs/{ids['run_id']}", headers=other).status_code == 404
    assert client.get(f"{API}/quarantine", headers=other).json() == {"total": 0, "rows": []}
    assert client.get(f"{API}/quarantine", params={"status": "all"}, headers=other).json()["rows"] == []
    csv = client.get(f"{API}/quarantine.csv", headers=other).text
    assert REG_BAD_ID not in csv and REG_NAMES[1] not in csv
    assert client.get(f"{API}/identity/pending", headers=other).json()["pending"] == []
    r = client.post(
        f"{API}/quarantine/{ids['row_id']}/correct", headers=other, json={"changes": {"name": "x"}}
    )
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "row_id"
    r = client.post(f"{API}/quarantine/resubmit", headers=other, json={"ids": [ids["row_id"]]})
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "ids[0]"
    r = client.post(
        f"{API}/identity/candidates/{ids['candidate_id']}/decide", headers=other, json={"confirm": True}
    )
    assert r.status_code == 404
    assert (
        client.post(
            f"{API}/identity/merges/{ids['merge_id']}/split", headers=other, json={"reason": "x"}
        ).status_code
        == 404
    )
    # an empty list would re-submit every corrected row everywhere: refused
    own = bearer_for(url, roles.COUNTY, "370303")
    assert client.post(f"{API}/quarantine/resubmit", headers=own, json={"ids": []}).status_code == 422
    assert _unmasked_audits(url) == []


def test_roles_mask_and_write_by_the_rules(reg):
    client, url, ids = reg
    city = bearer_for(url, roles.CITY, "370300")
    (row,) = client.get(f"{API}/quarantine", headers=city).json()["rows"]
    assert row["raw"]["id_number"] != REG_BAD_ID and row["raw"]["id_number"].startswith("370303")
    assert REG_BAD_ID not in client.get(f"{API}/quarantine.csv", headers=city).text
    assert (
        client.post(
            f"{API}/quarantine/{ids['row_id']}/correct", headers=city, json={"changes": {"name": "x"}}
        ).status_code
        == 403
    )
    assert _unmasked_audits(url) == []
    weijian = bearer_for(url, roles.DEPT, "370303", department="weijian")
    assert client.get(f"{API}/quarantine", headers=weijian).json()["rows"] == []
    assert client.get(f"{API}/runs", headers=weijian).json()["runs"] == []
    gongan = bearer_for(url, roles.DEPT, "370303", department="gongan")
    assert client.get(f"{API}/quarantine", headers=gongan).json()["rows"][0]["raw"]["id_number"] == REG_BAD_ID
    assert (
        client.post(
            f"{API}/quarantine/{ids['row_id']}/correct",
            headers=gongan,
            json={"changes": {"id_number": REG_BAD_ID}},
        ).status_code
        == 200
    )
    auditor = bearer_for(url, roles.AUDITOR, "cn")
    (row,) = client.get(f"{API}/quarantine", headers=auditor).json()["rows"]
    assert row["raw"]["id_number"] != REG_BAD_ID
    assert (
        client.post(f"{API}/quarantine/resubmit", headers=auditor, json={"ids": [ids["row_id"]]}).status_code
        == 403
    )
