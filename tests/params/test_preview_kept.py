"""The cost preview is computed once for what it read (the day, the desk, the registry) and kept: the page starts
it in the background and shows it when done; a publication or a new registry record makes it be computed again,
and the page's approval keeps only the preview the approver could have seen."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cradle.auth import roles
from cradle.auth.testing import PASSWORD, make_account
from cradle.db import make_engine, session_scope
from cradle.params import desk, preview
from cradle.params.models import CostPreview, Proposal
from cradle.registry.ingest import ingest_directory
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate
from cradle.web.app import create_app

from .conftest import LUHE, LUHE_CLAUSE, LUHE_DOC, REWARD, official


def _signed_in(username: str) -> TestClient:
    c = TestClient(create_app(), base_url="https://testserver")
    r = c.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.csrf = r.json()["csrf_token"]
    return c


def _propose(url: str, proposer, value: str = "1440", start: dt.date = dt.date(2026, 1, 1)) -> int:
    with session_scope(url) as s:
        p = desk.propose(
            s,
            proposer,
            REWARD,
            value=value,
            unit="CNY",
            effective_from=start,
            document=LUHE_DOC,
            clause=LUHE_CLAUSE,
        )
        return p.id


@pytest.fixture
def counted(monkeypatch):
    """Counts the previews computed (the real computation underneath)."""
    calls = []
    real = preview.preview

    def counting(session, p, today=None):
        calls.append(p.id)
        return real(session, p, today)

    monkeypatch.setattr(preview, "preview", counting)
    return calls


def test_a_kept_preview_is_reused_until_the_desk_or_the_registry_moves(desk_url, counted):
    a, b = official(desk_url), official(desk_url)
    pid = _propose(desk_url, a)
    with session_scope(desk_url) as s:
        first = preview.current(s, s.get(Proposal, pid))
    with session_scope(desk_url) as s:
        assert preview.current(s, s.get(Proposal, pid)) == first
        assert s.get(CostPreview, pid).result == first
    assert counted == [pid]  # the second asked the kept one
    # a new registry record moves the key: computed again
    with tempfile.TemporaryDirectory() as d:
        write_feeds(generate(LUHE, 60, 3, dt.date(2026, 6, 30)), Path(d), seed=3)
        ingest_directory(d, engine=make_engine(desk_url))
    with session_scope(desk_url) as s:
        p = s.get(Proposal, pid)
        assert preview.kept(s, p) is None
        again = preview.current(s, p)
    assert counted == [pid, pid] and again["households"] >= first["households"]
    # a publication moves the desk's version: another proposal's kept preview is outdated
    other = _propose(desk_url, a, "1500", dt.date(2027, 1, 1))
    with session_scope(desk_url) as s:
        preview.current(s, s.get(Proposal, other))
        desk.approve(s, b, pid, again)
    with session_scope(desk_url) as s:
        assert preview.kept(s, s.get(Proposal, other)) is None


def test_the_page_computes_in_the_background_and_shows_it_when_done(desk_url, monkeypatch):
    release = threading.Event()
    real = preview.preview

    def slow(session, p, today=None):
        assert release.wait(30)
        return real(session, p, today)

    monkeypatch.setattr(preview, "preview", slow)
    approver = make_account(desk_url, roles.COUNTY, LUHE).username
    pid = _propose(desk_url, official(desk_url))
    b = _signed_in(approver)
    page = b.get(f"/params/proposals/{pid}")
    assert page.status_code == 200
    assert 'id="preview-computing"' in page.text and 'http-equiv="refresh"' in page.text
    assert 'id="approve"' not in page.text and 'id="return"' in page.text  # nothing to approve on yet
    # approving before the preview is shown is refused, naming it, and publishes nothing
    refused = b.post(f"/params/proposals/{pid}/approve", data={"csrf_token": b.csrf}, follow_redirects=True)
    assert "成本测算正在重新计算" in refused.text
    with session_scope(desk_url) as s:
        assert s.get(Proposal, pid).state == "proposed"
    release.set()
    deadline = time.monotonic() + 30
    while 'id="preview"' not in (page := b.get(f"/params/proposals/{pid}")).text:
        assert time.monotonic() < deadline, page.text
        time.sleep(0.1)
    assert 'id="approve"' in page.text and 'http-equiv="refresh"' not in page.text
    approved = b.post(f"/params/proposals/{pid}/approve", data={"csrf_token": b.csrf}, follow_redirects=True)
    assert approved.status_code == 200 and "已发布" in approved.text
    with session_scope(desk_url) as s:
        p = s.get(Proposal, pid)
        assert p.state == "approved" and p.preview == s.get(CostPreview, pid).result


def test_a_failed_computation_is_said_and_tried_again(desk_url, monkeypatch):
    real = preview.preview
    failing = [True]

    def flaky(session, p, today=None):
        if failing[0]:
            raise RuntimeError("registry unreachable")
        return real(session, p, today)

    monkeypatch.setattr(preview, "preview", flaky)
    approver = make_account(desk_url, roles.COUNTY, LUHE).username
    pid = _propose(desk_url, official(desk_url))
    b = _signed_in(approver)
    page = b.get(f"/params/proposals/{pid}")
    assert "成本测算未能算出" in page.text and 'http-equiv="refresh"' not in page.text
    failing[0] = False
    assert 'id="preview"' in b.get(f"/params/proposals/{pid}").text
