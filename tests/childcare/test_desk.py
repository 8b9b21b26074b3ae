"""The officials' desk for facility subsidies and the 备案/inspection steps: who acted is the signed-in account;
registering an approved subsidy for payment through the API (roles, scope, idempotency), the review page (CSRF)
and the CLI."""

from __future__ import annotations

import re

import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cradle import audit
from cradle.auth.testing import PASSWORD, bearer_for, make_account
from cradle.childcare import cli, subsidies
from cradle.cli import _Commands as Commands
from cradle.db import session_scope
from cradle.payments.models import Entitlement
from cradle.web.app import create_app

from .helpers import SITE_ITEMS, facility_data, filed_facility
from .test_subsidies import ON, zibo_rule

ACCOUNT = {"account_no": "622700001234567890", "bank_code": "ZBBANK", "account_name": "测试托育园（对公）"}


@pytest.fixture
def client(cc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    with TestClient(
        create_app(["cradle.auth.api", "cradle.childcare.api", "cradle.childcare.pages"]),
        base_url="https://testserver",
    ) as c:  # session cookies are Secure
        yield c


def approved(url, n=1):
    with session_scope(url) as s:
        fid = filed_facility(s, n).id
        app = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        subsidies.transition(s, app.id, "approve", ON)
        return fid, app.id


def test_steps_record_the_signed_in_account(client, cc_url):
    admin = bearer_for(cc_url, "administrator", "cn")
    fid = client.post("/api/v1/childcare/facilities", json=facility_data(1), headers=admin).json()["id"]
    operator = bearer_for(cc_url, "facility_operator", "370303", facility_id=fid)
    county = bearer_for(cc_url, "county_official", "370303")
    # a body naming another actor is ignored: the step is the operator's own
    r = client.post(f"/api/v1/childcare/facilities/{fid}/filings", json={"actor": "county"}, headers=operator)
    assert r.status_code == 201, r.text
    filing_id = r.json()["id"]
    for body in ({"action": "complete"}, None, {"action": "accept", "actor": "someone"}):
        if body is None:
            client.post(f"/api/v1/childcare/filings/{filing_id}/checks", json=SITE_ITEMS, headers=county)
        else:
            assert (
                client.post(
                    f"/api/v1/childcare/filings/{filing_id}/transitions", json=body, headers=county
                ).status_code
                == 200
            )
    history = client.get(f"/api/v1/childcare/filings/{filing_id}", headers=county).json()["history"]
    assert [(h["action"], h["actor_role"]) for h in history] == [
        ("submit", "facility_operator"),
        ("complete", "county_official"),
        ("accept", "county_official"),
    ]
    assert re.fullmatch(r"facility_operator:account:\d+@370303", history[0]["actor"])
    assert re.fullmatch(r"county_official:account:\d+@370303", history[2]["actor"])
    r = client.post(
        f"/api/v1/childcare/facilities/{fid}/inspections",
        headers=county,
        json={
            "visited_on": "2025-04-01",
            "inspector": "刘",
            "result": "corrections",
            "findings": [{"item": "fire_safety", "description": "灭火器过期", "deadline": "2025-04-10"}],
        },
    )
    finding = r.json()["findings"][0]["id"]
    client.post(
        f"/api/v1/childcare/findings/{finding}/followups",
        headers=county,
        json={"visited_on": "2025-04-09", "inspector": "刘", "resolved": True},
    )
    listed = client.get(f"/api/v1/childcare/facilities/{fid}/inspections", headers=county).json()[
        "inspections"
    ]
    assert listed[0]["inspector"] == "刘" and listed[0]["recorded_by"].startswith("county_official:account:")
    from cradle.childcare.models import FollowUp

    with session_scope(cc_url) as s:
        assert s.scalar(select(FollowUp.recorded_by)).startswith("county_official:account:")


def test_register_payment_through_the_api(client, cc_url):
    _fid, app_id = approved(cc_url)
    url = f"/api/v1/childcare/subsidies/{app_id}/payment"
    # the facility's operator, a town office, an auditor and an official of another county are refused
    for role, region in (
        ("town_official", "370303001"),
        ("auditor", "370303"),
        ("county_official", "370302"),
    ):
        r = client.post(url, json=ACCOUNT, headers=bearer_for(cc_url, role, region))
        assert r.status_code == 403, (role, r.text)
    county = bearer_for(cc_url, "county_official", "370303")
    r = client.post(url, json={**ACCOUNT, "account_no": "12-34"}, headers={**county, "Idempotency-Key": "k0"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "account_no"
    with session_scope(cc_url) as s:
        assert s.scalar(select(Entitlement.id)) is None
    r = client.post(url, json=ACCOUNT, headers={**county, "Idempotency-Key": "k1"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["entitlement"]["amount"] == "120000.00" and body["entitlement"]["account"] == "…7890"
    assert body["entitlement"]["claim"] == f"cc-subsidy:{app_id}"
    assert body["batch_command"] == f"cradle payments generate {subsidies.CONSTRUCTION} once 370303"
    again = client.post(url, json=ACCOUNT, headers={**county, "Idempotency-Key": "k1"})
    assert again.json() == body and again.headers["Idempotent-Replayed"] == "true"
    other = client.post(url, json={**ACCOUNT, "bank_code": "X"}, headers={**county, "Idempotency-Key": "k1"})
    assert other.status_code == 409 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert client.get(url, headers=county).json()["entitlement"]["id"] == body["entitlement"]["id"]
    with session_scope(cc_url) as s:
        assert len(s.scalars(select(Entitlement)).all()) == 1
        steps = [(e.action, e.actor.split(":")[0]) for e in audit.history(s, f"cc_subsidy:{app_id}")]
        assert ("subsidy.register_payment", "county_official") in steps
    # marking paid by hand is refused: only the bank's return does it
    r = client.post(
        f"/api/v1/childcare/subsidies/{app_id}/transitions",
        json={"action": "pay", "payment_ref": "x"},
        headers=county,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "action"


def test_review_page_registers_payment_with_csrf(client, cc_url):
    _fid, app_id = approved(cc_url)
    account = make_account(cc_url, "county_official", "370303")
    r = client.post("/api/v1/auth/login", json={"username": account.username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    page = client.get(f"/childcare/official/subsidies/{app_id}")
    assert page.status_code == 200 and "120,000" in page.text and 'value="register_payment"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    forged = client.post(
        f"/childcare/official/subsidies/{app_id}", data={**ACCOUNT, "action": "register_payment"}
    )
    assert forged.status_code == 403
    with session_scope(cc_url) as s:
        assert s.scalar(select(Entitlement.id)) is None
    r = client.post(
        f"/childcare/official/subsidies/{app_id}",
        data={**ACCOUNT, "action": "register_payment", "csrf_token": token},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "…7890" in r.text and "cradle payments generate" in r.text
    with session_scope(cc_url) as s:
        ent = s.scalars(select(Entitlement)).one()
        assert ent.account_no == ACCOUNT["account_no"] and ent.payee_name == ACCOUNT["account_name"]


def _app():
    app = typer.Typer(cls=Commands)  # the `cradle` command's group: its one catch answers refusals

    @app.command("version")
    def version() -> None:
        pass

    cli.register(app)
    return app


def test_cli_subsidy_pay(cc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    _fid, app_id = approved(cc_url)
    runner = CliRunner()
    args = ["facilities", "subsidy-pay", str(app_id), "--bank-code", "ZBBANK"]
    r = runner.invoke(_app(), [*args, "--account-no", "1234"])
    assert r.exit_code == 2 and "account_no" in r.output
    r = runner.invoke(_app(), [*args, "--account-no", ACCOUNT["account_no"]])
    assert r.exit_code == 0, r.output
    assert (
        "120000.00" in r.output
        and f"cradle payments generate {subsidies.CONSTRUCTION} once 370303" in r.output
    )
    with session_scope(cc_url) as s:
        assert s.scalars(select(Entitlement)).one().payee_name == "测试托育园1"
        actors = {
            e.actor
            for e in audit.history(s, f"cc_subsidy:{app_id}")
            if e.action == "subsidy.register_payment"
        }
        assert actors == {"county:cli@370303"}


def test_inspection_page_records_inspection_and_follow_up(client, cc_url):
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1).id
        other = filed_facility(s, 2, region="370302").id
    county = bearer_for(cc_url, "county_official", "370303")
    page = client.get(f"/childcare/official/facilities/{fid}", headers=county)
    assert page.status_code == 200 and 'name="inspector"' in page.text
    assert client.get(f"/childcare/official/facilities/{other}", headers=county).status_code == 404
    url = f"/childcare/official/facilities/{fid}/inspections"
    form = {"visited_on": "2025-04-01", "kind": "routine", "inspector": "刘", "result": "corrections"}
    r = client.post(url, data=form, headers=county, follow_redirects=True)  # corrections need a finding
    assert "findings" in r.text
    finding = {
        "item": "fire_safety",
        "description": "灭火器过期",
        "severity": "major",
        "deadline": "2025-04-10",
    }
    r = client.post(url, data={**form, **finding}, headers=county, follow_redirects=True)
    assert r.status_code == 200 and "灭火器过期" in r.text and "张店区 区县经办人" in r.text
    from cradle.childcare.models import Finding, FollowUp, Inspection

    with session_scope(cc_url) as s:
        assert s.scalar(select(Inspection.recorded_by)).startswith("county_official:account:")
        finding_id = s.scalar(select(Finding.id))
    r = client.post(
        f"/childcare/official/findings/{finding_id}/followups",
        headers=county,
        follow_redirects=True,
        data={"visited_on": "2025-04-09", "inspector": "刘", "resolved": "yes"},
    )
    assert r.status_code == 200
    with session_scope(cc_url) as s:
        assert s.get(Finding, finding_id).resolved_on.isoformat() == "2025-04-09"
        assert s.scalar(select(FollowUp.recorded_by)).startswith("county_official:account:")


def test_operator_applies_from_the_desk_and_it_is_audited(client, cc_url):
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1).id
    operator = bearer_for(cc_url, "facility_operator", "370303", facility_id=fid)
    page = client.get(f"/childcare/operator/{fid}", headers=operator).text
    assert f'action="/childcare/operator/{fid}/subsidies"' in page and subsidies.CONSTRUCTION in page
    r = client.post(
        f"/childcare/operator/{fid}/subsidies",
        data={"program": "nonsense"},
        headers=operator,
        follow_redirects=False,
    )
    assert r.status_code == 303 and "error=program" in r.headers["location"]
    r = client.post(
        f"/childcare/operator/{fid}/subsidies",
        data={"program": subsidies.CONSTRUCTION},
        headers=operator,
        follow_redirects=False,
    )
    assert r.status_code == 303
    if "error=" in r.headers["location"]:
        pytest.skip("the Zibo pack with the facility programs is not loaded")
    with session_scope(cc_url) as s:
        (app,) = subsidies.applications(s, facility_id=fid)
        assert (app.units, app.amount, app.status) == (80, 120000, "applied")
        (entry,) = audit.history(s, f"cc_subsidy:{app.id}")
        assert entry.action == "subsidy.apply" and entry.actor.startswith("facility_operator:account:")
