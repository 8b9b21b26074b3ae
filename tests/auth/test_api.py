"""/api/v1/auth: login by session (cookie flags, CSRF) or token (hashed at rest, shown once), me, logout,
tokens, registration; every error in the one shape."""

from __future__ import annotations

from sqlalchemy import select

from cradle.auth.models import ApiToken, WebSession
from cradle.auth.testing import PASSWORD
from cradle.db import session_scope

from .helpers import CITIZEN_ID, login, official

BAD_ID = CITIZEN_ID[:-1] + ("0" if CITIZEN_ID[-1] != "0" else "1")  # wrong check digit


def test_session_login_sets_a_secure_http_only_cookie(client, auth_url):
    a = official(auth_url)
    r = client.post("/api/v1/auth/login", json={"username": a.username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"]
    assert "cradle_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "samesite=lax" in cookie.lower()
    me = client.get("/api/v1/auth/me").json()
    assert (me["role"], me["region"], me["via"]) == ("county_official", "370303", "session")
    with session_scope(auth_url) as s:  # the cookie's key is not stored, only its hash
        row = s.scalars(select(WebSession)).one()
        assert row.key_hash not in client.cookies.get("cradle_session")


def test_unsafe_requests_with_the_session_need_the_csrf_token(client, auth_url):
    a = official(auth_url)
    csrf = login(client, a.username)
    r = client.post("/api/v1/auth/tokens", json={"name": "etl"})
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "csrf"
    r = client.post("/api/v1/auth/tokens", json={"name": "etl"}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    r = client.post("/api/v1/auth/tokens", json={"name": "etl"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text


def test_tokens_are_shown_once_and_stored_hashed(client, auth_url):
    a = official(auth_url)
    r = client.post(
        "/api/v1/auth/login",
        json={"username": a.username, "password": PASSWORD, "mode": "token", "token_name": "统计系统"},
    )
    assert r.status_code == 200 and "set-cookie" not in r.headers
    token = r.json()["token"]
    assert token.startswith("cradle_")
    with session_scope(auth_url) as s:
        row = s.scalars(select(ApiToken)).one()
        assert row.secret_hash not in token and token.split("_", 2)[2] not in row.secret_hash
    bearer = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/auth/tokens", headers=bearer).json()["tokens"]
    assert [t["name"] for t in listed] == ["统计系统"] and token not in str(listed)
    assert client.get("/api/v1/auth/me", headers=bearer).json()["via"] == "token"
    # a bearer request needs no CSRF token; logging out with a token revokes it
    new = client.post("/api/v1/auth/tokens", json={"name": "second"}, headers=bearer)
    assert new.status_code == 201 and new.json()["token"].startswith("cradle_")
    assert client.post("/api/v1/auth/logout", headers=bearer).status_code == 200
    r = client.get("/api/v1/auth/me", headers=bearer)
    assert r.status_code == 401 and r.json()["errors"][0]["code"] == "unauthenticated"
    second = {"Authorization": f"Bearer {new.json()['token']}"}
    assert client.delete(f"/api/v1/auth/tokens/{new.json()['id']}", headers=second).json()["revoked"] is True
    assert client.get("/api/v1/auth/me", headers=second).status_code == 401
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": "Bearer cradle_nope_nope"}).status_code == 401
    )


def test_logout_ends_the_session(client, auth_url):
    a = official(auth_url)
    csrf = login(client, a.username)
    cookie = client.cookies.get("cradle_session")
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    client.cookies.set(
        "cradle_session", cookie, domain="testserver"
    )  # a stolen copy of the cookie is dead too
    assert client.get("/api/v1/auth/me").status_code == 401


def test_errors_come_in_the_one_shape(client, auth_url):
    r = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert r.status_code == 401
    assert r.json() == {
        "errors": [{"field": "password", "code": "invalid_credentials", "message": "用户名或密码错误。"}]
    }
    r = client.post("/api/v1/auth/login?lang=en", json={"username": "nobody", "password": "x"})
    assert r.json()["errors"][0]["message"] == "Wrong user name or password."
    r = client.post("/api/v1/auth/login", json={"username": "nobody"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"
    r = client.post("/api/v1/auth/register", json={"id_number": BAD_ID, "name": "王", "password": PASSWORD})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id_number"


def test_register_then_sign_in_masks_nothing_of_ones_own(client, auth_url):
    r = client.post(
        "/api/v1/auth/register",
        json={"id_number": CITIZEN_ID, "name": "王芳", "phone": "13800138000", "password": PASSWORD},
    )
    assert r.status_code == 201, r.text
    assert (
        r.json()["id_number"] != CITIZEN_ID and "*" in r.json()["id_number"]
    )  # the anonymous answer is masked
    assert r.json()["registry_status"] == "pending"
    login(client, CITIZEN_ID)
    me = client.get("/api/v1/auth/me").json()
    assert (me["id_number"], me["phone"], me["role"]) == (CITIZEN_ID, "13800138000", "citizen")


def test_administrator_creates_accounts_in_scope(client, auth_url):
    from cradle.auth.testing import bearer_for

    admin = bearer_for(auth_url, "administrator", "370300")
    body = {
        "username": "zd-1",
        "role": "county_official",
        "region": "370303",
        "name": "张",
        "password": PASSWORD,
        "phone": "13900139000",
    }
    r = client.post("/api/v1/auth/accounts", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["phone"] == "139****9000"  # administrators see masked numbers
    r = client.post(
        "/api/v1/auth/accounts", json={**body, "username": "by-1", "region": "620402"}, headers=admin
    )
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "region"
    county = bearer_for(auth_url, "county_official", "370303")
    assert (
        client.post("/api/v1/auth/accounts", json={**body, "username": "x-2"}, headers=county).status_code
        == 403
    )
    listed = [a["username"] for a in client.get("/api/v1/auth/accounts", headers=admin).json()["accounts"]]
    assert "zd-1" in listed and "by-1" not in listed
