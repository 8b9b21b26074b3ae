"""An uploaded feed file is stored and ingested in the background: the page and the API answer at once with the
upload (the API 202 with its id), the page refreshes while the ingest runs and then shows the run (its counts and
quarantine) or the refusal beside its field; a resubmitted form or a repeated Idempotency-Key answers with the same
upload and never ingests twice."""

import datetime as dt
import io
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cradle.auth import roles
from cradle.auth.actor import from_account
from cradle.auth.testing import bearer_for, make_account
from cradle.db import session_scope
from cradle.idcard import make_id_number
from cradle.registry import models as m
from cradle.registry import upload_jobs
from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app

HEAD = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region,household_no,relation_to_head\n"
NEW_ID = make_id_number("370303", dt.date(1990, 2, 3), 9, "F")
GOOD = HEAD + f"B1,{NEW_ID},后台测试甲,2,1990-02-03,register,1990-02-03,370303,H1,02\n"


@pytest.fixture
def client(sqlite_url, monkeypatch, tmp_path, _migrated_sqlite_template):
    copy_sqlite(_migrated_sqlite_template, tmp_path)  # sqlite_url's file, migrated
    monkeypatch.setenv("CRADLE_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CRADLE_DATA_DIR", str(tmp_path / "data"))
    with TestClient(create_app(), follow_redirects=False) as c:
        yield c, sqlite_url


def _runs(url: str) -> int:
    with session_scope(url) as s:
        return s.execute(select(func.count()).select_from(m.IngestRun)).scalar_one()


def test_the_page_answers_at_once_shows_progress_and_then_the_run(client, tmp_path):
    c, url = client
    clerk = bearer_for(url, roles.DEPT, "370303", department="gongan")
    token = c.get("/registry/uploads", headers=clerk).text.split('name="upload_token" value="', 1)[1][:32]
    hold = threading.Event()
    upload_jobs._EXECUTOR.submit(hold.wait)  # the worker busy: the upload waits its turn
    try:
        sent = {"dept": "gongan", "upload_token": token}
        r = c.post("/registry/uploads", data=sent, files={"file": ("g.csv", GOOD.encode())}, headers=clerk)
        assert r.status_code == 303 and r.headers["location"].startswith("/registry/uploads/")
        status = c.get(r.headers["location"], headers=clerk)
        assert status.status_code == 200 and 'http-equiv="refresh"' in status.text
        assert 'data-status="queued"' in status.text and _runs(url) == 0
        stored = list((tmp_path / "data" / "uploads").rglob("g.csv"))
        assert len(stored) == 1 and stored[0].read_text() == GOOD  # the file is kept until ingested
        again = c.post(
            "/registry/uploads", data=sent, files={"file": ("g.csv", GOOD.encode())}, headers=clerk
        )
        assert again.headers["location"] == r.headers["location"]  # the resubmitted form: the same upload
    finally:
        hold.set()
    upload_jobs.drain()
    done = c.get(r.headers["location"], headers=clerk)
    assert done.status_code == 303 and done.headers["location"].startswith("/registry/runs/")
    assert "g.csv" in c.get(done.headers["location"], headers=clerk).text
    with session_scope(url) as s:
        assert (
            s.execute(select(m.Person.name).where(m.Person.id_number == NEW_ID)).scalar_one() == "后台测试甲"
        )
    assert _runs(url) == 1 and not list((tmp_path / "data" / "uploads").rglob("g.csv"))
    with session_scope(url) as s:
        assert s.execute(select(func.count()).select_from(m.Upload)).scalar_one() == 1


def test_the_api_answers_202_with_the_upload_and_a_bad_file_names_its_line(client):
    c, url = client
    clerk = bearer_for(url, roles.DEPT, "370303", department="gongan")
    key = {"Idempotency-Key": "feed-2025-01", **clerk}
    r = c.post("/api/v1/registry/uploads", files={"file": ("g.csv", GOOD.encode())}, headers=key)
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running", "done")
    first = r.json()["id"]
    r = c.post("/api/v1/registry/uploads", files={"file": ("g.csv", GOOD.encode())}, headers=key)
    assert r.status_code == 202 and r.json()["id"] == first
    upload_jobs.drain()
    shown = c.get(f"/api/v1/registry/uploads/{first}", headers=clerk).json()
    assert shown["status"] == "done" and shown["rows_read"] == 1 and shown["problems"] == []
    assert c.get(f"/api/v1/registry/runs/{shown['run_id']}", headers=clerk).status_code == 200
    assert _runs(url) == 1
    # a row outside the county: refused naming the line, in the request's language; nothing stored
    other = HEAD + f"B2,{make_id_number('370304', dt.date(1990, 2, 3), 5, 'F')},乙,2,1990-02-03,register,"
    other += "1990-02-03,370304,H1,02\n"
    county = bearer_for(url, roles.COUNTY, "370303")
    r = c.post(
        "/api/v1/registry/uploads",
        data={"dept": "gongan"},
        files={"file": ("o.csv", other.encode())},
        headers=county,
    )
    assert r.status_code == 202
    upload_jobs.drain()
    refused = c.get(
        f"/api/v1/registry/uploads/{r.json()['id']}", params={"lang": "en"}, headers=county
    ).json()
    assert refused["status"] == "refused" and refused["run_id"] is None
    assert refused["problems"][0]["field"] == "file" and "Line 2" in refused["problems"][0]["message"]
    # another account sees nothing of the clerk's upload; a bad file type is refused in the request
    assert c.get(f"/api/v1/registry/uploads/{first}", headers=county).status_code == 404
    r = c.post("/api/v1/registry/uploads", files={"file": ("g.doc", b"x")}, headers=clerk)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"


def test_an_upload_left_behind_is_started_again_and_ingested_once(client):
    c, url = client
    account = make_account(url, roles.DEPT, "370303", department="gongan")
    with session_scope(url) as s:  # stored, but its process went away before it ran
        row = upload_jobs.store(
            s, from_account(account, "session"), "gongan", "g.csv", io.BytesIO(GOOD.encode())
        )
        upload_id = row.id
    with session_scope(url) as s:
        upload_jobs.resume(s.get(m.Upload, upload_id), url)
    upload_jobs.drain()
    upload_jobs._run(upload_id, url)  # a second worker finds it ingested: nothing runs twice
    with session_scope(url) as s:
        row = s.get(m.Upload, upload_id)
        assert row.status == "done" and row.run_id is not None
    assert _runs(url) == 1
    # running, and not abandoned: left to its worker; abandoned: claimed again
    with session_scope(url) as s:
        row = s.get(m.Upload, upload_id)
        row.status, row.started_at = "running", upload_jobs.utcnow()
    assert not _claimed(url, upload_id)
    with session_scope(url) as s:
        s.get(m.Upload, upload_id).started_at = upload_jobs.utcnow() - upload_jobs.ABANDONED * 2
    assert _claimed(url, upload_id)


def _claimed(url: str, upload_id: int) -> bool:
    with session_scope(url) as s:
        return upload_jobs._claim(s, upload_id)


def test_the_uploads_job_ingests_what_a_worker_left_and_leaves_a_fresh_one_to_its_worker(client):
    from cradle.jobs import runner

    c, url = client
    account = make_account(url, roles.DEPT, "370303", department="gongan")
    actor = from_account(account, "session")
    with session_scope(url) as s:  # two stored uploads whose worker went away, one just queued
        left = upload_jobs.store(s, actor, "gongan", "g.csv", io.BytesIO(GOOD.encode()))
        bad = upload_jobs.store(s, actor, "gongan", "b.csv", io.BytesIO(b"record_no,name\nX1,nobody\n"))
        fresh = upload_jobs.store(s, actor, "gongan", "f.csv", io.BytesIO(GOOD.encode()))
        s.flush()
        long_ago = upload_jobs.utcnow() - upload_jobs.ABANDONED * 2
        left.created_at, bad.status, bad.started_at = long_ago, "running", long_ago
        ids = left.id, bad.id, fresh.id
    run = runner.run("uploads", url)
    assert run.result == "ok" and run.summary == {"resumed": 2, "ingested": 1, "refused": 1}
    with session_scope(url) as s:
        statuses = [s.get(m.Upload, i).status for i in ids]
        assert statuses == ["done", "refused", "queued"]
        assert s.get(m.Upload, ids[0]).run_id is not None and s.get(m.Upload, ids[1]).problems[0]["field"]
    runs = _runs(url)
    assert runner.run("uploads", url).summary == {"resumed": 0, "ingested": 0, "refused": 0}
    assert _runs(url) == runs  # nothing ingested twice
