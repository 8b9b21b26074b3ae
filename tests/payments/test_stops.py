"""Stopping payments on death or moving away, through the service (SQLite and PostgreSQL), the page, the API
and `cradle payments stop`; every refusal leaves the entitlement being paid."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cradle.auth.testing import PASSWORD, bearer_for, make_account
from cradle.db import session_scope
from cradle.errors import Forbidden, Invalid, NotFound
from cradle.payments import batches, stops
from cradle.payments.models import Entitlement, Payment
from cradle.web.app import create_app
from services.helpers import county, finance, mother, other_county, town

from .helpers import COUNTY, add_entitlements

PROGRAM = "baiyin.childcare_allowance"
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def _status(session, beneficiary) -> str:
    return session.execute(
        select(Entitlement.status).where(Entitlement.beneficiary_id_number == beneficiary)
    ).scalar_one()


def test_stop_on_death_cancels_what_is_not_sent_and_refusals_change_nothing(any_session):
    s = any_session
    ents = add_entitlements(s, 2)
    child, other = ents[0].beneficiary_id_number, ents[1].beneficiary_id_number
    s.commit()
    good = {"beneficiary_id_number": child, "reason": "death", "effective": "2025-07-20"}
    refusals = [
        (town, good, Forbidden, "actor.role"),
        (mother, good, Forbidden, "actor.role"),
        (other_county, good, Forbidden, "actor.scope"),
        (county, {**good, "reason": "declined"}, Invalid, "reason"),
        (
            county,
            {**good, "effective": (dt.date.today() + dt.timedelta(days=1)).isoformat()},
            Invalid,
            "effective",
        ),
        (county, {**good, "effective": "1999-12-31"}, Invalid, "effective"),
        (county, {**good, "beneficiary_id_number": child[:-1] + "X"}, Invalid, "beneficiary_id_number"),
        (county, {**good, "program": "nowhere.nothing"}, Invalid, "program"),
    ]
    for actor, data, error, field in refusals:
        with pytest.raises(error) as exc:
            stops.stop_for(s, actor, data)
        assert exc.value.field == field
        s.rollback()
        assert _status(s, child) == "active"

    batches.generate(s, finance, PROGRAM, "2025-08", COUNTY)  # a draft batch: August is not sent yet
    s.commit()
    rows = stops.stop_for(s, county, good)
    s.commit()
    assert [(e.status, e.stop_reason, e.stop_date) for e in rows] == [
        ("stopped", "death", dt.date(2025, 7, 20))
    ]
    august = (
        s.execute(
            select(Payment.status)
            .join(Entitlement, Entitlement.id == Payment.entitlement_id)
            .where(Entitlement.beneficiary_id_number == child)
        )
        .scalars()
        .all()
    )
    assert august == ["cancelled"] and _status(s, other) == "active"
    with pytest.raises(NotFound):  # nothing left being paid
        stops.stop_for(s, county, good)
    moved = stops.stop_for(
        s,
        finance,
        {
            "beneficiary_id_number": other,
            "reason": "moved_away",
            "effective": "2025-09-01",
            "program": PROGRAM,
        },
    )
    assert moved[0].stop_reason == "moved_away"


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def _beneficiaries(url, n: int = 1) -> list[str]:
    with session_scope(url) as s:
        return [e.beneficiary_id_number for e in add_entitlements(s, n, county="370303")]


def test_stop_from_the_payments_page(url):
    (child,) = _beneficiaries(url)
    c = TestClient(create_app(), base_url="https://testserver")
    user = make_account(url, "county_official", "370303").username
    csrf = c.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD}).json()["csrf_token"]
    assert 'id="stop-form"' in c.get("/payments").text

    def post(**data):
        return c.post("/payments/stops", data={"csrf_token": csrf, **data}, follow_redirects=False)

    r = post(beneficiary_id_number=child, reason="death", effective="")
    assert r.status_code == 422 and re.search(r'id="e-effective">[^<]+<', r.text)
    r = post(beneficiary_id_number=child, reason="death", effective=YESTERDAY, stop_program="nowhere.x")
    assert r.status_code == 422 and 'id="e-stop_program"' in r.text
    with session_scope(url) as s:
        assert _status(s, child) == "active"
    r = post(beneficiary_id_number=child.lower(), reason="moved_away", effective=YESTERDAY)
    assert r.status_code == 303 and r.headers["location"] == "/payments?stopped=1"
    r = post(beneficiary_id_number=child, reason="moved_away", effective=YESTERDAY)
    assert r.status_code == 404 and 'id="e-beneficiary_id_number"' in r.text
    with session_scope(url) as s:
        assert _status(s, child) == "stopped"

    townie = TestClient(create_app(), base_url="https://testserver")
    tuser = make_account(url, "town_official", "370303001").username
    tcsrf = townie.post("/api/v1/auth/login", json={"username": tuser, "password": PASSWORD}).json()[
        "csrf_token"
    ]
    assert (
        townie.post(
            "/payments/stops",
            data={
                "csrf_token": tcsrf,
                "beneficiary_id_number": child,
                "reason": "death",
                "effective": YESTERDAY,
            },
        ).status_code
        == 403
    )


def test_stop_through_the_api_and_the_cli(url, monkeypatch):
    from cradle.cli import app

    child, second = _beneficiaries(url, 2)
    c = TestClient(create_app(["cradle.payments.api"]))
    c.app.state.database_url = url
    body = {"beneficiary_id_number": child, "reason": "death", "effective": YESTERDAY}
    auth = {**bearer_for(url, "county_official", "370303"), "Idempotency-Key": "stop-1"}
    assert (
        c.post(
            "/api/v1/services/payments/stops",
            json=body,
            headers=bearer_for(url, "town_official", "370303001"),
        ).status_code
        == 403
    )
    first = c.post("/api/v1/services/payments/stops", json=body, headers=auth)
    again = c.post("/api/v1/services/payments/stops", json=body, headers=auth)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert first.json()[0]["status"] == "stopped" and "*" in first.json()[0]["beneficiary"]
    assert again.headers["Idempotent-Replayed"] == "true"

    runner = CliRunner()
    bad = runner.invoke(app, ["payments", "stop", second, "bored", YESTERDAY, "370303"])
    assert bad.exit_code == 2 and "reason" in bad.output
    ok = runner.invoke(app, ["payments", "stop", second, "moved_away", YESTERDAY, "370303"])
    assert ok.exit_code == 0 and '"stopped"' in ok.output
