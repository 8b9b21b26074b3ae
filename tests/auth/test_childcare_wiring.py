"""The childcare API's scope hook is now real: an operator reaches only their facility, an auditor only reads,
citizens and other departments are refused, and X-Region-Scope narrows but never grants."""

from __future__ import annotations

from cradle.auth.testing import bearer_for

from .seed import CHILD_NAME, seed


def test_roles_on_the_childcare_api(client, auth_url):
    ids = seed(auth_url)
    fac, other = ids["facility_id"], ids["other_facility_id"]
    operator = bearer_for(auth_url, "facility_operator", "370303", facility_id=fac)
    assert client.get(f"/api/v1/childcare/facilities/{fac}/roster", headers=operator).status_code == 200
    r = client.get(f"/api/v1/childcare/facilities/{other}", headers=operator)
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "facility_id"
    assert client.get("/api/v1/childcare/filings", headers=operator).status_code == 403

    auditor = bearer_for(auth_url, "auditor", "370300")
    assert CHILD_NAME in client.get(f"/api/v1/childcare/facilities/{fac}/roster", headers=auditor).text
    r = client.post(f"/api/v1/childcare/facilities/{fac}/grades", json={"grade": "A"}, headers=auditor)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "read_only"

    tongji = bearer_for(auth_url, "dept_clerk", "370303", department="tongji")
    assert client.get(f"/api/v1/childcare/facilities/{fac}", headers=tongji).status_code == 403
    weijian = bearer_for(auth_url, "dept_clerk", "370303", department="weijian")
    assert client.get(f"/api/v1/childcare/facilities/{fac}", headers=weijian).status_code == 200

    city = bearer_for(auth_url, "city_official", "370300")
    listed = client.get("/api/v1/childcare/facilities", headers=city).json()["facilities"]
    assert {f["id"] for f in listed} == {fac, other}
    narrowed = client.get("/api/v1/childcare/facilities", headers={**city, "X-Region-Scope": "370304"}).json()
    assert {f["id"] for f in narrowed["facilities"]} == {other}
    county = bearer_for(auth_url, "county_official", "370304")
    widened = client.get(
        "/api/v1/childcare/facilities", headers={**county, "X-Region-Scope": "370300"}
    ).json()
    assert {f["id"] for f in widened["facilities"]} == {other}  # the header cannot widen a scope
    assert client.get("/api/v1/childcare/facilities", headers={"X-Region-Scope": "370303"}).status_code == 401


def test_citizens_are_refused_the_officials_childcare_api(client, auth_url):
    from cradle.auth import accounts, tokens
    from cradle.auth.actor import from_account
    from cradle.auth.testing import PASSWORD
    from cradle.db import session_scope

    from .helpers import CITIZEN_ID

    ids = seed(auth_url)
    with session_scope(auth_url) as s:
        account = accounts.register_citizen(s, CITIZEN_ID, "王芳", None, PASSWORD)
        token, _ = tokens.issue(s, from_account(account, "token"), "app")
    r = client.get(
        f"/api/v1/childcare/facilities/{ids['facility_id']}/roster",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "forbidden_role"
