from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cradle.auth.testing import bearer_for, citizen_bearer
from cradle.web.app import create_app

from .helpers import COUNTY, MOTHER, application, county, mother, town


@pytest.fixture
def svc_sqlite_url(svc_sqlite_url, monkeypatch):
    """The auth middleware finds bearer tokens in the configured database: point it at the test's."""
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def client(url):
    _url[0] = url
    app = create_app(["cradle.services.api"])
    app.state.database_url = url
    return TestClient(app)


_bearers: dict[tuple[str, str], dict] = {}


def sign_in(url, actor) -> dict:
    """A bearer token for an account matching the services `actor` (made once per database)."""
    if (url, actor.ref) not in _bearers:
        if actor.role == "citizen":
            header = citizen_bearer(url, actor.id_number, actor.name)
        else:
            header = bearer_for(url, actor.role, actor.region)
        _bearers[(url, actor.ref)] = header
    return _bearers[(url, actor.ref)]


def h(actor, key=None, url=None):
    out = dict(sign_in(url or _url[0], actor))
    if key:
        out["Idempotency-Key"] = key
    return out


_url = [""]


def test_walk_and_idempotent_replay(svc_sqlite_url):
    c = client(svc_sqlite_url)
    reg = {
        "mother_id_number": MOTHER,
        "mother_name": "李梅",
        "hukou_region": COUNTY,
        "residence_region": COUNTY,
        "expected_birth": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        "child_order": 2,
    }
    r1 = c.post("/api/v1/services/registrations", json=reg, headers=h(mother, "k1"))
    r2 = c.post("/api/v1/services/registrations", json=reg, headers=h(mother, "k1"))
    assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
    assert r2.headers["Idempotent-Replayed"] == "true" and "*" in r1.json()["mother"]
    r3 = c.post("/api/v1/services/registrations", json={**reg, "child_order": 3}, headers=h(mother, "k1"))
    assert r3.status_code == 409 and r3.json()["errors"][0]["field"] == "Idempotency-Key"
    dup = c.post("/api/v1/services/registrations", json=reg, headers=h(mother, "k2"))
    assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "expected_birth"

    cert = c.post(
        f"/api/v1/services/registrations/{r1.json()['reg_no']}/certificate", headers=h(mother, "c1")
    )
    assert cert.status_code == 201
    pdf = c.get(cert.json()["pdf"], headers=h(mother))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    doc_no, sig = cert.json()["doc_no"], cert.json()["verify_url"].split("s=")[1]
    assert c.get(f"/api/v1/services/verify/{doc_no}", params={"s": sig}).json()["valid"] is True

    case = c.post("/api/v1/services/cases", json=application(), headers=h(mother, "a1"))
    assert case.status_code == 201, case.text
    no = case.json()["case_no"]
    assert (
        c.post(f"/api/v1/services/cases/{no}/actions/town_accept", json={}, headers=h(county)).status_code
        == 409
    )
    ok = c.post(
        f"/api/v1/services/cases/{no}/actions/town_accept", json={"version": 1}, headers=h(town, "t1")
    )
    again = c.post(
        f"/api/v1/services/cases/{no}/actions/town_accept", json={"version": 1}, headers=h(town, "t1")
    )
    assert ok.json()["status"] == again.json()["status"] == "town_review" and ok.json()["version"] == 2
    queue = c.get("/api/v1/services/queue", headers=h(town)).json()
    assert [x["case_no"] for x in queue] == [no]
    me = c.get("/api/v1/services/me", headers=h(mother)).json()
    assert me["cases"][0]["status"] == "town_review" and me["registrations"] and me["messages"]


def test_refusals(svc_sqlite_url):
    c = client(svc_sqlite_url)
    assert c.post("/api/v1/services/cases", json=application()).status_code == 401  # nobody signed in
    bad = c.post("/api/v1/services/cases", json=application(town="x"), headers=h(mother))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "town"
    forged = {"Authorization": h(mother)["Authorization"][:-2] + "xx"}
    assert c.get("/api/v1/services/me", headers=forged).status_code == 401
    # The retired X-Cradle-Actor header names nobody: only a session or an API token is an identity.
    legacy = {"X-Cradle-Actor": "eyJpZCI6Im0iLCJyb2xlIjoiY2l0aXplbiJ9.sig"}
    assert c.get("/api/v1/services/me", headers=legacy).status_code == 401


def test_cli_audit_verify(svc_sqlite_url, monkeypatch):
    from cradle.cli import app

    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    from cradle.db import session_scope
    from cradle.services import registration

    with session_scope(svc_sqlite_url) as s:
        registration.register(
            s,
            mother,
            {
                "mother_id_number": MOTHER,
                "mother_name": "李梅",
                "hukou_region": COUNTY,
                "residence_region": COUNTY,
                "expected_birth": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
                "child_order": 1,
            },
        )
    result = CliRunner().invoke(app, ["audit", "verify"])
    # the registration and the 生育咨询指导 follow-up it opens (cradle.health)
    assert result.exit_code == 0 and "2 条" in result.output


def test_attachments_appeals_and_consents_through_the_api(svc_sqlite_url):
    from .helpers import AUNT, aunt, other_town

    c = client(svc_sqlite_url)
    no = c.post("/api/v1/services/cases", json=application(), headers=h(mother, "a1")).json()["case_no"]
    pdf = b"%PDF-1.4\n%%EOF\n"
    up = c.post(
        f"/api/v1/services/cases/{no}/attachments",
        files={"file": ("证明.pdf", pdf, "application/pdf")},
        headers=h(mother, "up1"),
    )
    assert up.status_code == 201, up.text
    listed = c.get(f"/api/v1/services/cases/{no}/attachments", headers=h(town)).json()
    assert [x["name"] for x in listed] == ["证明.pdf"]
    assert c.get(listed[0]["url"], headers=h(town)).content == pdf
    assert c.get(listed[0]["url"], headers=h(other_town)).status_code == 404
    assert c.get(f"/api/v1/services/cases/{no}/attachments", headers=h(aunt)).status_code == 404
    bad = c.post(
        f"/api/v1/services/cases/{no}/attachments",
        files={"file": ("a.exe", b"MZ", "application/x-msdownload")},
        headers=h(mother, "up2"),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "content_type"

    for action, body in (("town_accept", {}), ("town_reject", {"reason": "材料不全"})):
        assert (
            c.post(f"/api/v1/services/cases/{no}/actions/{action}", json=body, headers=h(town)).status_code
            == 200
        )
    filed = c.post(
        "/api/v1/services/appeals",
        json={"case_no": no, "kind": "rejection", "grounds": "已补齐"},
        headers=h(mother, "ap1"),
    )
    assert filed.status_code == 201 and filed.json()["level"] == "town"
    appeal_no = filed.json()["appeal_no"]
    assert [x["appeal_no"] for x in c.get("/api/v1/services/appeals", headers=h(town)).json()] == [appeal_no]
    assert c.get("/api/v1/services/appeals", headers=h(other_town)).json() == []
    assert c.get("/api/v1/services/appeals", headers=h(mother)).json()[0]["status"] == "open"
    wrong = c.post(
        f"/api/v1/services/appeals/{appeal_no}/decision",
        json={"upheld": True, "outcome": "成立"},
        headers=h(county),
    )
    assert wrong.status_code == 403
    ok = c.post(
        f"/api/v1/services/appeals/{appeal_no}/decision",
        json={"upheld": True, "outcome": "成立"},
        headers=h(town, "d1"),
    )
    assert ok.status_code == 200 and ok.json()["status"] == "upheld"
    assert c.get(f"/api/v1/services/cases/{no}", headers=h(mother)).json()["status"] == "town_review"

    consent = {
        "proxy_id_number": AUNT,
        "proxy_name": "李芳",
        "relation": "sibling",
        "scope": "appeal",
        "valid_until": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "evidence": "当面签字",
    }
    assert c.post("/api/v1/services/consents", json=consent, headers=h(mother, "cs1")).status_code == 201
    mine = c.get("/api/v1/services/consents", headers=h(mother)).json()
    held = c.get("/api/v1/services/consents", headers=h(aunt)).json()
    assert mine[0]["mine"] is True and held[0]["mine"] is False and "*" in held[0]["grantor"]
    assert c.get("/api/v1/services/consents", headers=h(town)).status_code == 422


def test_the_services_api_checks_a_bearer_token_in_its_own_thread(svc_sqlite_url):
    """The auth middleware leaves a services API bearer token to the endpoint (no thread hop of its own): a valid
    token acts and is stamped; a revoked, forged or malformed one is refused 401 with nothing stored."""
    from sqlalchemy import func, select, update

    from cradle.auth import tokens
    from cradle.auth.models import ApiToken
    from cradle.db import session_scope
    from cradle.services.models import Case

    c = client(svc_sqlite_url)
    headers = citizen_bearer(svc_sqlite_url, MOTHER, "李梅")
    prefix = headers["Authorization"].split("_")[1]
    tokens._cache.clear()  # the token is checked by the endpoint, not served from this process's memory
    ok = c.post("/api/v1/services/cases", json=application(), headers={**headers, "Idempotency-Key": "t1"})
    assert ok.status_code == 201, ok.text
    with session_scope(svc_sqlite_url) as s:
        assert s.scalar(select(ApiToken.last_used_at).where(ApiToken.prefix == prefix)) is not None
        s.execute(
            update(ApiToken).where(ApiToken.prefix == prefix).values(revoked_at=dt.datetime(2026, 1, 1))
        )
    tokens._cache.clear()
    other = application(beneficiary="c1")
    revoked = c.post("/api/v1/services/cases", json=other, headers={**headers, "Idempotency-Key": "t2"})
    assert revoked.status_code == 401 and revoked.json()["errors"][0]["code"] == "unauthenticated"
    forged = {"Authorization": headers["Authorization"][:-3] + "xyz", "Idempotency-Key": "t3"}
    assert c.post("/api/v1/services/cases", json=other, headers=forged).status_code == 401
    malformed = {
        "Authorization": "Bearer nope",
        "Idempotency-Key": "t4",
    }  # not a token: refused by the middleware
    assert c.post("/api/v1/services/cases", json=other, headers=malformed).status_code == 401
    with session_scope(svc_sqlite_url) as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
