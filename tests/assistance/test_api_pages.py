"""The API and the pages over one county's list: each level sees its steps, the 公示 with its countdown and
objections, ID numbers masked; another county's official gets nothing; the hospital's question answers yes or
no; the family sees its own entitlements, payments and contact persons."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from cradle.assistance import cycle, families, payment
from cradle.assistance.models import Family
from cradle.auth.testing import bearer_for, citizen_bearer
from cradle.db import session_scope
from cradle.health import institutions
from cradle.web.app import create_app

from .helpers import COUNTY, TOWN, accounts, county, day, father, mother, town, year_2025
from .test_cycle import run_2025


@pytest.fixture
def client(url):
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        yield c


def test_the_posted_list_its_objections_and_the_steps_over_the_api(client, url):
    year = dt.date.today().year
    with session_scope(url) as s:
        cycle.find_candidates(s, county, COUNTY, year, year_2025(), as_of=dt.date(2025, 1, 1))
        cycle.set_accounts(s, county, COUNTY, year, accounts([mother(1)]))
    town_h = bearer_for(url, "town_official", TOWN)
    county_h = bearer_for(url, "county_official", COUNTY)
    other_h = bearer_for(url, "county_official", "620403")
    # the county opens the 公示 (its dates hold for every town); a town may not
    r = client.post(f"/api/v1/assistance/cycles/{COUNTY}/{year}/publicize", json={"days": 7}, headers=town_h)
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "actor.role"
    r = client.post(
        f"/api/v1/assistance/cycles/{COUNTY}/{year}/publicize", json={"days": 7}, headers=county_h
    )
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["status"] == "publicized" and shown["days_left"] == 7
    assert mother(1) not in r.text and mother(1)[:6] + "*" in r.text
    entry = next(e for e in shown["entries"] if e["name"] == "母1")
    r = client.post(
        f"/api/v1/assistance/entries/{entry['id']}/objections",
        json={"grounds": "户籍不在本村"},
        headers=town_h,
    )
    assert r.status_code == 201 and r.json()["status"] == "open"
    # approving now: the 公示 is still running, refused naming the state; nothing changes
    r = client.post(f"/api/v1/assistance/cycles/{COUNTY}/{year}/approve", headers=county_h)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "status"
    # a town may not approve; another county sees nothing
    assert (
        client.post(f"/api/v1/assistance/cycles/{COUNTY}/{year}/approve", headers=town_h).status_code == 403
    )
    r = client.get(f"/api/v1/assistance/cycles/{COUNTY}/{year}", headers=other_h)
    assert r.status_code == 403 and "母1" not in r.text
    r = client.post(
        f"/api/v1/assistance/objections/{shown['objections'][0]['id'] if shown['objections'] else 1}/decision",
        json={"upheld": False, "decision": "经核实户籍在本村"},
        headers=other_h,
    )
    assert r.status_code in (403, 404)
    # the pages: the county's list with the countdown and the objection; English through the catalogue
    page = client.get(f"/assistance/{COUNTY}/{year}", headers=county_h)
    assert page.status_code == 200 and "户籍不在本村" in page.text and 'id="countdown"' in page.text
    assert "公示" in page.text and mother(1) not in page.text
    english = client.get(f"/assistance/{COUNTY}/{year}", params={"lang": "en"}, headers=county_h)
    assert "Posted for public comment" in english.text and "Objections" in english.text
    assert client.get(f"/assistance/{COUNTY}/{year}", headers=other_h).status_code == 403


def test_the_hospital_the_families_page_and_the_familys_own_view(client, url, tmp_path):
    run_2025(url, tmp_path)
    with session_scope(url) as s:
        payment.pay(s, county, COUNTY, 2025, "2025-01")
        fam = s.query(Family).filter(Family.household == mother(0)).one()
        families.set_contact(s, town, fam.id, "doctor", "李医生", since=day("2025-03-10"))
    with session_scope(url) as s:
        inst = institutions.register(s, "cli", "HASST1", "白银区人民医院", COUNTY, "hospital", False)
        inst_id = inst.id
    hospital_h = bearer_for(url, "health_worker", COUNTY, institution_id=inst_id)
    r = client.post("/api/v1/assistance/priority", json={"id_number": father(0)}, headers=hospital_h)
    assert r.status_code == 200 and r.json() == {"priority": True}
    assert (
        client.post("/api/v1/assistance/priority", json={"id_number": "1"}, headers=hospital_h).json()[
            "errors"
        ][0]["field"]
        == "id_number"
    )
    county_h = bearer_for(url, "county_official", COUNTY)
    weijian_h = bearer_for(url, "dept_clerk", COUNTY, department="weijian")
    for other in (county_h, weijian_h):
        r = client.post("/api/v1/assistance/priority", json={"id_number": father(0)}, headers=other)
        assert r.status_code == 403
    # the hospital's page: yes or no, and nothing else of assistance opens for it
    page = client.get("/assistance/priority", headers=hospital_h)
    assert page.status_code == 200
    asked = client.post("/assistance/priority", data={"id_number": father(0)}, headers=hospital_h)
    assert asked.status_code == 200 and 'data-answer="yes"' in asked.text and father(0) not in asked.text
    asked = client.post("/assistance/priority", data={"id_number": mother(1)}, headers=hospital_h)
    assert 'data-answer="no"' in asked.text
    for path in (f"/assistance/{COUNTY}/2025", f"/assistance/{COUNTY}/families", "/assistance"):
        assert client.get(path, headers=hospital_h).status_code == 403, path
    for path in (f"/api/v1/assistance/cycles/{COUNTY}/2025", f"/api/v1/assistance/families/{COUNTY}"):
        assert client.get(path, headers=hospital_h).status_code == 403, path
    assert client.get("/assistance/priority", headers=county_h).status_code == 403
    page = client.get(f"/assistance/{COUNTY}/families", headers=county_h)
    assert page.status_code == 200 and "李医生" in page.text and mother(0) not in page.text
    own = citizen_bearer(url, mother(0), "母0")
    mine = client.get("/api/v1/assistance/mine", headers=own).json()
    assert [p["period"] for p in mine["payments"]] == ["2025-01"] and mine["contacts"][0]["name"] == "李医生"
    page = client.get("/assistance/mine", headers=own)
    assert page.status_code == 200 and "李医生" in page.text and "1000.00" in page.text
