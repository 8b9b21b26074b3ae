"""The JSON API under /api/v1/health: who may call what, refusals naming the field in the request's language,
masked lists for officials, exports without names for officials, and the indicators of a region."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from fastapi.testclient import TestClient

from cradle.auth.testing import bearer_for, citizen_bearer
from cradle.db import session_scope
from cradle.health.models import Offer
from cradle.idcard import make_id_number
from cradle.web.app import create_app

from .conftest import WOMAN, seed_institutions


@pytest.fixture
def api(lite, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", lite)
    with TestClient(create_app(), base_url="https://testserver") as client:
        yield client


@pytest.fixture
def worker(lite):
    with session_scope(lite) as s:
        from cradle.health import institutions

        inst = institutions.register(s, "cli", "HAPI01", "测试妇幼保健院", "370303", "mch", True)
        inst_id = inst.id
    return bearer_for(lite, "health_worker", "370303", institution_id=inst_id)


def test_pregnancy_case_and_refusals_through_the_api(api, lite, worker):
    assert api.get("/api/v1/health/pregnancies").status_code == 401
    body = {"pregnancy_no": "A1", "id_number": WOMAN, "name": "王丽", "filed_on": "2025-01-10", "weeks": 9}
    r = api.post("/api/v1/health/pregnancies", json=body, headers=worker)
    assert r.status_code == 201, r.text
    assert r.json()["checks"] == 1 and r.json()["case"] is None
    r = api.post("/api/v1/health/pregnancies", json={**body, "colour": "red"}, headers=worker)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "colour"
    r = api.post(
        "/api/v1/health/pregnancies/A1/assessments",
        json={"grade": "crimson", "assessed_on": "2025-01-10"},
        headers={**worker, "Accept-Language": "en"},
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "grade",
            "code": "invalid",
            "message": "Choose one of the five colours: green, yellow, orange, red or purple.",
        }
    ]
    r = api.post(
        "/api/v1/health/pregnancies/A1/assessments",
        json={"grade": "red", "assessed_on": "2025-01-10"},
        headers=worker,
    )
    assert r.status_code == 201 and r.json()["case"]["grade"] == "red"
    case_id = r.json()["case"]["id"]
    r = api.post(
        "/api/v1/health/pregnancies/A1/rescues",
        json={"started_on": "2025-01-12", "condition": "子痫抽搐", "outcome": "transferred"},
        headers=worker,
    )
    assert r.status_code == 201
    detail = api.get("/api/v1/health/pregnancies/A1", headers=worker).json()
    assert [(x["condition"], x["outcome"]) for x in detail["rescues"]] == [("子痫抽搐", "transferred")]
    r = api.post(
        f"/api/v1/health/cases/{case_id}/close",
        json={"reason": "moved", "closed_on": "2025-01-20"},
        headers=worker,
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = api.post(f"/api/v1/health/cases/{case_id}/followups", json={"done_on": "2025-01-21"}, headers=worker)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "case_id"
    # officials: masked lists, no record, no export names; another county sees nothing
    own = bearer_for(lite, "county_official", "370303")
    other = bearer_for(lite, "county_official", "370304")
    rows = api.get("/api/v1/health/pregnancies", headers=own).json()["pregnancies"]
    assert [(p["name"], p["masked"], p["grade"]) for p in rows] == [("王*", True, "red")]
    assert api.get("/api/v1/health/pregnancies", headers=other).json() == {"pregnancies": []}
    assert api.get("/api/v1/health/pregnancies/A1", headers=own).status_code == 403
    exported = list(csv.reader(io.StringIO(api.get("/api/v1/health/export.csv", headers=own).text)))
    assert exported[0][0] == "id_number" and "name" not in exported[0] and exported[1][0] != WOMAN
    mine = list(csv.reader(io.StringIO(api.get("/api/v1/health/export.csv", headers=worker).text)))
    assert mine[0][:2] == ["name", "id_number"] and mine[1][:2] == ["王丽", WOMAN]
    assert api.get("/api/v1/health/export.csv", params={"kind": "x"}, headers=worker).status_code == 422
    assert (
        api.get(
            "/api/v1/health/indicators", params={"region": "370303", "year": 2025}, headers=other
        ).status_code
        == 403
    )


def test_a_death_reported_and_reviewed_through_the_api_lists_its_hospital(api, lite, worker):
    r = api.post(
        "/api/v1/health/deaths",
        json={
            "kind": "maternal",
            "id_number": WOMAN,
            "name": "王丽",
            "died_on": "2025-02-01",
            "cause": "O72.1",
        },
        headers=worker,
    )
    assert r.status_code == 201 and r.json()["review_status"] == "pending"
    death_id = r.json()["id"]
    review = {
        "classification": "direct",
        "avoidable": "unavoidable",
        "causes": "羊水栓塞",
        "measures": "加强监测",
        "reviewed_on": "2025-03-01",
    }
    assert (
        api.post(f"/api/v1/health/deaths/{death_id}/review", json=review, headers=worker).status_code == 403
    )
    county = bearer_for(lite, "county_official", "370303")
    r = api.post(f"/api/v1/health/deaths/{death_id}/review", json=review, headers=county)
    assert r.status_code == 200 and r.json()["review_status"] == "reviewed"
    listed = api.get("/api/v1/health/interviews", params={"year": 2025}, headers=county).json()
    assert listed["institutions"][0]["institution_code"] == "HAPI01"
    assert listed["institutions"][0]["reasons"] == {"maternal_death": 1}


def test_a_citizen_sees_and_books_only_her_own_offers(api, lite, worker):
    seed_institutions(lite)
    with session_scope(lite) as s:
        s.add(
            Offer(
                marriage_ref=7,
                id_number=WOMAN,
                name="王丽",
                sex="F",
                birth_date=dt.date(1992, 5, 6),
                spouse_name="张强",
                region="370303",
                married_on=dt.date.today(),
                kind="preconception",
                status="offered",
                offered_on=dt.date.today(),
                institution_code="H37030301",
            )
        )
    her = citizen_bearer(lite, WOMAN, "王丽")
    offers = api.get("/api/v1/health/offers", headers=her).json()["offers"]
    assert [(o["kind"], o["status"]) for o in offers] == [("preconception", "offered")]
    stranger = citizen_bearer(lite, make_id_number("370303", dt.date(1992, 3, 3), 77, "F"), "路人")
    assert api.get("/api/v1/health/offers", headers=stranger).json() == {"offers": []}
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert (
        api.post(
            f"/api/v1/health/offers/{offers[0]['id']}/book", json={"appointment_on": day}, headers=stranger
        ).status_code
        == 403
    )
    r = api.post(f"/api/v1/health/offers/{offers[0]['id']}/book", json={"appointment_on": day}, headers=her)
    assert r.status_code == 200 and r.json()["status"] == "booked"
