"""投诉与申诉 and decision documents through the pages: the mother appeals the town's rejection, the town
upholds it and the application is back in town review; every refusal on the way (bad grounds, a second appeal,
wrong role or level, another town, a missing outcome, a decision before there is one)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cradle.db import session_scope
from cradle.services.models import Appeal, Case, IssuedDocument
from cradle.web.app import create_app

from .page_client import Signed, rejected_by_town, submitted
from .pages_helpers import COUNTY, MOTHER, OTHER_TOWN, TOWN, field_error, official


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def _count(url, model) -> int:
    with session_scope(url) as s:
        return s.query(model).count()


def _status(url, case_no) -> str:
    with session_scope(url) as s:
        return s.query(Case).filter_by(case_no=case_no).one().status


def test_appeal_upheld_reopens_the_rejected_application(url):
    me, town, case_no = rejected_by_town(url, MOTHER)
    page = me.get(f"/applications/{case_no}").text
    assert 'id="appeal-rejection"' in page

    r = me.post(f"/applications/{case_no}/appeal", {"kind": "rejection", "grounds": ""})
    assert r.status_code == 422 and field_error(r.text, "grounds") and _count(url, Appeal) == 0
    r = me.post(
        f"/applications/{case_no}/appeal", {"kind": "rejection", "grounds": "孩子九月已入托，证明附后"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/services/appeals?filed=SS")
    appeal_no = r.headers["location"].split("=")[1]
    mine = me.get("/services/appeals").text
    assert f'data-appeal="{appeal_no}"' in mine and f'href="/applications/{case_no}"' in mine
    again = me.post(f"/applications/{case_no}/appeal", {"kind": "rejection", "grounds": "再次申诉"})
    assert again.status_code == 409 and _count(url, Appeal) == 1

    # The county did not decide this rejection and another town may not see it.
    county = Signed(official(url, "county_official", COUNTY))
    assert appeal_no not in county.get("/staff/appeals").text
    r = county.post(f"/staff/appeals/{appeal_no}/decide", {"upheld": "1", f"outcome_{appeal_no}": "成立"})
    assert r.status_code == 403
    other = Signed(official(url, "town_official", OTHER_TOWN))
    assert appeal_no not in other.get("/staff/appeals").text
    assert (
        other.post(
            f"/staff/appeals/{appeal_no}/decide", {"upheld": "1", f"outcome_{appeal_no}": "成立"}
        ).status_code
        == 403
    )
    assert me.get("/staff/appeals").status_code == 403  # citizens have no queue
    assert (
        me.post(
            f"/staff/appeals/{appeal_no}/decide", {"upheld": "1", f"outcome_{appeal_no}": "成立"}
        ).status_code
        == 403
    )

    queue = town.get("/staff/appeals").text
    assert f'data-appeal="{appeal_no}"' in queue and "孩子九月已入托" in queue
    r = town.post(f"/staff/appeals/{appeal_no}/decide", {"upheld": "1", f"outcome_{appeal_no}": ""})
    assert (
        r.status_code == 422
        and field_error(r.text, f"outcome_{appeal_no}")
        and _status(url, case_no) == "rejected"
    )
    r = town.post(
        f"/staff/appeals/{appeal_no}/decide", {"upheld": "1", f"outcome_{appeal_no}": "材料已补齐，重新审核"}
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"{appeal_no}:upheld")
    assert _status(url, case_no) == "town_review"
    assert (
        town.post(
            f"/staff/appeals/{appeal_no}/decide", {"upheld": "0", f"outcome_{appeal_no}": "改判"}
        ).status_code
        == 409
    )
    assert 'id="no-appeals"' in town.get("/staff/appeals").text
    case_page = me.get(f"/applications/{case_no}").text
    assert 'data-status="upheld"' in case_page and "材料已补齐，重新审核" in case_page
    assert "申诉" in me.get("/services/messages").text


def test_dismissed_appeal_leaves_the_rejection(url):
    me, town, case_no = rejected_by_town(url, MOTHER)
    appeal_no = (
        me.post(f"/applications/{case_no}/appeal", {"kind": "rejection", "grounds": "不服"})
        .headers["location"]
        .split("=")[1]
    )
    r = town.post(f"/staff/appeals/{appeal_no}/decide", {"upheld": "0", f"outcome_{appeal_no}": "仍未入托"})
    assert r.status_code == 303 and r.headers["location"].endswith(":dismissed")
    assert _status(url, case_no) == "rejected"


def test_appeal_refusals_before_a_decision(url):
    me, case_no = submitted(url, MOTHER)
    assert 'id="appeal-rejection"' not in me.get(f"/applications/{case_no}").text
    r = me.post(f"/applications/{case_no}/appeal", {"kind": "rejection", "grounds": "x"})
    assert r.status_code == 409 and _count(url, Appeal) == 0
    r = me.post(f"/applications/{case_no}/appeal", {"kind": "nonsense", "grounds": "x"})
    assert r.status_code == 422 and _count(url, Appeal) == 0
    assert me.post("/applications/SQ-NOPE/appeal", {"kind": "rejection", "grounds": "x"}).status_code == 404
    assert me.post(f"/services/cases/{case_no}/decision").status_code == 409  # no decision yet
    assert _count(url, IssuedDocument) == 0
    anon = TestClient(create_app(), base_url="https://testserver")
    for path in ("/services/appeals", "/staff/appeals"):
        assert anon.get(path, follow_redirects=False).headers["location"].startswith("/auth/login")


def test_decision_pdf_verifies_and_only_readers_get_it(url):
    me, town, case_no = rejected_by_town(url, MOTHER)
    r = me.post(f"/services/cases/{case_no}/decision")
    assert r.status_code == 303
    page = me.get(r.headers["location"].split("#")[0]).text
    pdf_path = re.search(r'href="(/services/documents/[^"]+\.pdf)"', page).group(1)
    got = me.get(pdf_path)
    assert got.headers["content-type"] == "application/pdf" and got.content.startswith(b"%PDF")
    with session_scope(url) as s:
        doc = s.query(IssuedDocument).filter_by(subject=f"case:{case_no}").one()
        doc_no, sig, payload = doc.doc_no, doc.signature, doc.payload
    assert payload["decision"] == "rejected" and payload["reason"] == "未见入托证明"
    check = me.get(f"/api/v1/services/verify/{doc_no}", params={"s": sig}).json()
    assert check["genuine"] and check["valid"]
    assert me.get(f"/api/v1/services/verify/{doc_no}", params={"s": "0" * 64}).json()["genuine"] is False
    assert doc_no in town.get(f"/staff/cases/{case_no}").text  # the reviewer sees it too

    stranger = Signed(official(url, "town_official", OTHER_TOWN))
    assert stranger.get(pdf_path).status_code == 404
    assert stranger.post(f"/services/cases/{case_no}/decision").status_code == 404

    assert _count(url, IssuedDocument) == 1


def test_missing_payment_goes_to_the_county(url):
    from .page_client import act

    me, case_no = submitted(url, MOTHER)
    town = Signed(official(url, "town_official", TOWN))
    county = Signed(official(url, "county_official", COUNTY))
    for who, action in ((town, "town_accept"), (town, "town_pass"), (county, "county_approve")):
        assert act(who, case_no, action).status_code == 303
    assert 'id="appeal-payment"' in me.get(f"/applications/{case_no}").text
    r = me.post(
        f"/applications/{case_no}/appeal", {"kind": "missing_payment", "period": "", "grounds": "没收到"}
    )
    assert r.status_code == 422 and field_error(r.text, "period") and _count(url, Appeal) == 0
    r = me.post(
        f"/applications/{case_no}/appeal",
        {"kind": "missing_payment", "period": "2025-07", "grounds": "没收到"},
    )
    assert r.status_code == 303
    appeal_no = r.headers["location"].split("=")[1]
    assert appeal_no not in town.get("/staff/appeals").text
    assert appeal_no in county.get("/staff/appeals").text
    r = county.post(
        f"/staff/appeals/{appeal_no}/decide", {"upheld": "0", f"outcome_{appeal_no}": "该月尚未到发放期"}
    )
    assert r.status_code == 303 and r.headers["location"].endswith(":dismissed")
    assert _status(url, case_no) == "approved"
