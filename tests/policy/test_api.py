import pytest
from fastapi.testclient import TestClient

from cradle.web.app import create_app


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def test_calc_returns_entitlements_with_citations(client, household):
    r = client.post("/api/v1/calc?on=2025-07-01", json=household)
    assert r.status_code == 200
    body = r.json()
    assert body["as_of"] == "2025-07-01" and body["jurisdiction"] == "370303"
    deduction = next(e for e in body["entitlements"] if e["program"] == "cn.infant_care_tax_deduction")
    assert deduction["beneficiary"] == "c2" and deduction["amount"] == 2000
    assert deduction["period"] == {"start": "2025-03-10", "end": "2028-03-10"}
    assert all(e["citations"] and e["explanation"] for e in body["entitlements"])


def test_calc_explain_lists_programs_that_did_not_apply(client, household):
    household["events"] = [e for e in household["events"] if e["type"] != "birth"]
    body = client.post("/api/v1/calc?on=2025-07-01&explain=true", json=household).json()
    reasons = {s["program"]: s["reason"] for s in body["not_applicable"]}
    assert reasons["cn.maternity_leave"] == "没有生育事件"


def test_calc_refusal_is_422_with_field_paths(client, household):
    household["members"][2]["birth_date"] = "1980-01-01"
    household["bogus"] = True
    r = client.post("/api/v1/calc?on=2025-07-01", json=household)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert {e["field"] for e in errors} == {"bogus"}  # shape errors first; fact checks need a valid shape
    del household["bogus"]
    errors = client.post("/api/v1/calc?on=2025-07-01", json=household).json()["errors"]
    assert errors == [
        {"field": "members[2].birth_date", "code": "before_mother", "message": "子女出生日期早于母亲出生日期"}
    ]


def test_programs_and_unknown_jurisdiction(client):
    progs = client.get("/api/v1/programs?jurisdiction=370303").json()
    ids = {p["id"] for p in progs}
    assert "cn.childcare_subsidy" in ids
    p = next(p for p in progs if p["id"] == "cn.infant_care_tax_deduction")
    assert p["parameters"][0]["verified"] is False and p["citations"]
    r = client.get("/api/v1/programs?jurisdiction=370399")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "jurisdiction"


def test_regions_lists_served_counties_with_parents(client):
    regions = {r["code"]: r for r in client.get("/api/v1/regions").json()}
    assert regions["370303"]["parent"] == "370300" and regions["370300"]["parent"] == "370000"


def test_unknown_clause_is_404_in_the_error_shape(client):
    r = client.get("/api/v1/documents/nothing.txt/clauses/一")
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == "not_found"
