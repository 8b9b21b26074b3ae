"""Attachments through the pages: the mother uploads a PDF to her application; she and the town and county
reviewers of its area download it, nobody else does (another town, a department clerk, another citizen,
anonymous); a wrong type, an empty file, one over 5 MB and an upload after the decision are refused, naming the
file field, with nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from cradle.audit import AuditEntry
from cradle.db import session_scope
from cradle.idcard import make_id_number
from cradle.services.applications import MAX_ATTACHMENT
from cradle.services.models import Attachment
from cradle.web.app import create_app

from .page_client import Signed, act, submitted
from .pages_helpers import COUNTY, MOTHER, OTHER_TOWN, TOWN, citizen_account, field_error, official

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def _count(url) -> int:
    with session_scope(url) as s:
        return s.query(Attachment).count()


def test_upload_and_who_may_download(url):
    me, case_no = submitted(url, MOTHER)
    r = me.upload(f"/applications/{case_no}/attachments", "入托证明.pdf", PDF, "application/pdf")
    assert r.status_code == 303, r.text
    page = me.get(f"/applications/{case_no}").text
    link = f"/services/cases/{case_no}/attachments/"
    att_id = page.split(link, 1)[1].split('"', 1)[0]
    path = link + att_id
    got = me.get(path)
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"

    town = Signed(official(url, "town_official", TOWN))
    county = Signed(official(url, "county_official", COUNTY))
    assert path in town.get(f"/staff/cases/{case_no}").text
    assert town.get(path).content == PDF and county.get(path).content == PDF
    with session_scope(url) as s:
        assert (
            s.query(AuditEntry).filter_by(action="case.attachment_read", subject=f"case:{case_no}").count()
            == 3
        )

    other_town = Signed(official(url, "town_official", OTHER_TOWN))
    clerk = Signed(official(url, "dept_clerk", COUNTY, department="weijian"))
    neighbour_id = make_id_number(COUNTY, dt.date(1988, 6, 1), 32, "F")
    citizen_account(url, neighbour_id, "赵敏")
    for stranger in (other_town, clerk, Signed(neighbour_id)):
        assert stranger.get(path).status_code == 404
    assert me.get(f"{link}999999").status_code == 404
    anon = TestClient(create_app(), base_url="https://testserver")
    assert anon.get(path, follow_redirects=False).headers["location"].startswith("/auth/login")
    # Town staff do not upload on the family's behalf.
    assert (
        town.upload(f"/applications/{case_no}/attachments", "x.pdf", PDF, "application/pdf").status_code
        == 403
    )
    # A forged upload (no CSRF token in the URL) is refused before anything is read.
    forged = me.c.post(
        f"/applications/{case_no}/attachments",
        files={"file": ("x.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert forged.status_code == 403 and _count(url) == 1


def test_bad_uploads_are_refused_naming_the_file(url):
    me, case_no = submitted(url, MOTHER)
    for name, content, ctype, status in (
        ("a.txt", b"hello", "text/plain", 422),
        ("a.pdf", b"", "application/pdf", 422),
        ("big.pdf", b"0" * (MAX_ATTACHMENT + 1), "application/pdf", 422),
        ("", PDF, "application/pdf", 422),
    ):
        r = me.upload(f"/applications/{case_no}/attachments", name, content, ctype)
        assert r.status_code == status and field_error(r.text, "file"), (name, r.status_code)
    assert _count(url) == 0

    town = Signed(official(url, "town_official", TOWN))
    act(town, case_no, "town_accept")
    act(town, case_no, "town_reject", "不符合")
    r = me.upload(f"/applications/{case_no}/attachments", "late.pdf", PDF, "application/pdf")
    assert r.status_code == 409 and _count(url) == 0
