"""`/admin/jobs`: administrators see every job's schedule, last run, result and next run, in Chinese by default
and in English; nobody else sees it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from cradle.auth.testing import PASSWORD, make_account
from cradle.db import session_scope
from cradle.jobs.models import JobRun
from cradle.jobs.registry import JOBS
from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app


@pytest.fixture
def client(_migrated_sqlite_template, tmp_path, monkeypatch):
    url = copy_sqlite(_migrated_sqlite_template, tmp_path, "jobs.db")
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        c.url = url
        yield c


def _sign_in(client, role: str, region: str, username: str) -> None:
    make_account(client.url, role, region, username=username)
    login = client.get("/auth/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    r = client.post("/auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303


def _row(html: str, job: str) -> str:
    return re.search(rf'<tr data-job="{job}">.*?</tr>', html, re.S).group(0)


def test_administrators_see_last_run_result_and_next_run(client):
    start = dt.datetime(2026, 12, 6, 1, 30)
    with session_scope(client.url) as s:
        s.add(
            JobRun(
                name="dispatch",
                started_at=start,
                finished_at=start + dt.timedelta(seconds=2),
                result="ok",
                summary={"sent": 4, "failed": 1},
                host="app-1:77",
            )
        )
        s.add(
            JobRun(
                name="backup",
                started_at=start,
                finished_at=start,
                result="failed",
                host="app-2:88",
                error="BackupKeyError: CRADLE_BACKUP_KEY is not set",
            )
        )
    _sign_in(client, "administrator", "cn", "root")
    page = client.get("/admin/jobs")
    assert page.status_code == 200 and "<h1>定时任务</h1>" in page.text
    assert [m for m in re.findall(r'<tr data-job="([^"]+)">', page.text)] == [j.name for j in JOBS]
    dispatch = _row(page.text, "dispatch")
    assert "成功" in dispatch and "已发送: 4" in dispatch and "2.0 秒" in dispatch
    assert "*-*-* *:0/10" in dispatch and "发送待发短信" in dispatch
    backup = _row(page.text, "backup")
    assert "运行失败" in backup and "CRADLE_BACKUP_KEY is not set" in backup
    assert "从未运行" in _row(page.text, "proactive")
    assert 'data-run="1"' in page.text and "app-1:77" in page.text
    english = client.get("/admin/jobs?lang=en").text
    assert "<h1>Scheduled jobs</h1>" in english and "Succeeded" in _row(english, "dispatch")
    assert "sent: 4" in _row(english, "dispatch") and "never" in _row(english, "proactive")
    home = client.get("/home")
    assert 'href="/admin/jobs"' in re.search(r'<ul class="home-links">.*?</ul>', home.text, re.S).group(0)


def test_only_administrators(client):
    r = client.get("/admin/jobs")
    assert r.status_code == 303 and r.headers["location"] == "/auth/login?next=/admin/jobs"
    _sign_in(client, "county_official", "370303", "zd-county")
    r = client.get("/admin/jobs")
    assert r.status_code == 403 and "定时任务" not in r.text
    home = client.get("/home")
    assert "/admin/jobs" not in re.search(r'<ul class="home-links">.*?</ul>', home.text, re.S).group(0)
