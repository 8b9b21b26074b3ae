"""Pages: registration and sign-in forms with their CSRF token, my account, the administrators' page, a home
per audience, and a forged form getting no authority."""

from __future__ import annotations

import re

from cradle.auth.testing import PASSWORD, make_account

from .helpers import CITIZEN_ID


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_citizen_registers_signs_out_and_in(client, auth_url):
    page = client.get("/auth/register")
    assert page.status_code == 200 and "群众注册" in page.text
    token = _csrf(page.text)
    form = {
        "id_number": CITIZEN_ID,
        "name": "王芳",
        "phone": "13800138000",
        "password": PASSWORD,
        "password2": PASSWORD + "x",
        "csrf_token": token,
    }
    r = client.post("/auth/register", data=form)
    assert r.status_code == 422 and 'id="e-password2"' in r.text and 'value="王芳"' in r.text
    r = client.post("/auth/register", data={**form, "password2": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/auth/account"
    account = client.get("/auth/account")
    assert CITIZEN_ID in account.text and "待核验" in account.text and 'id="signed-in-as"' in account.text
    home = client.get("/home")
    assert 'data-audience="citizen"' in home.text and "欢迎，王芳" in home.text
    r = client.post("/auth/logout", data={"csrf_token": _csrf(account.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/auth/account", follow_redirects=False).headers["location"].startswith("/auth/login")
    login = client.get("/auth/login?next=/auth/account")
    r = client.post(
        "/auth/login",
        data={
            "username": CITIZEN_ID.lower(),
            "password": "wrong-pass-1",
            "csrf_token": _csrf(login.text),
            "next": "/auth/account",
        },
    )
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = client.post(
        "/auth/login",
        data={
            "username": CITIZEN_ID,
            "password": PASSWORD,
            "csrf_token": _csrf(login.text),
            "next": "/auth/account",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/auth/account"


def test_forms_without_the_token_are_refused(client, auth_url):
    client.get("/auth/login")
    r = client.post("/auth/login", data={"username": "x", "password": "y", "csrf_token": "forged"})
    assert r.status_code == 403 and "表单已过期" in r.text
    r = client.post(
        "/auth/login",
        data={"username": "x", "password": "y", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert r.status_code == 403


def test_a_forged_form_from_a_signed_in_browser_has_no_authority(client, auth_url):
    make_account(auth_url, "administrator", "cn", username="root")
    login = client.get("/auth/login")
    client.post(
        "/auth/login", data={"username": "root", "password": PASSWORD, "csrf_token": _csrf(login.text)}
    )
    form = {
        "username": "zd-2",
        "role": "county_official",
        "name": "张",
        "region": "370303",
        "password": PASSWORD,
    }
    r = client.post("/auth/admin/accounts", data=form)  # no token: as if another site posted it
    assert r.status_code == 403 and "zd-2" not in client.get("/auth/admin/accounts").text
    page = client.get("/auth/admin/accounts")
    r = client.post("/auth/admin/accounts", data={**form, "csrf_token": _csrf(page.text)})
    assert r.status_code == 201 and "账户 zd-2 已创建" in r.text
    r = client.post(
        "/auth/admin/accounts",
        data={**form, "username": "zd-3", "region": "370300", "csrf_token": _csrf(page.text)},
    )
    assert r.status_code == 422 and 'id="e-region"' in r.text


def test_home_per_audience_and_english(client, auth_url):
    home = client.get("/home")
    assert 'data-audience="public"' in home.text and 'href="/auth/register"' in home.text
    assert "Register as a citizen" in client.get("/home?lang=en").text
    make_account(auth_url, "county_official", "370303", username="zd-county", name="张店区干部")
    login = client.get("/auth/login")
    client.post(
        "/auth/login", data={"username": "zd-county", "password": PASSWORD, "csrf_token": _csrf(login.text)}
    )
    home = client.get("/home?lang=zh")
    assert (
        'data-audience="staff"' in home.text
        and "县（区）工作人员" in home.text
        and "/childcare/official" in home.text
    )
    assert "/auth/admin/accounts" not in re.search(r'<ul class="home-links">.*?</ul>', home.text, re.S).group(
        0
    )
    assert client.get("/auth/admin/accounts").status_code == 403


def test_sign_in_returns_only_to_this_site(client, auth_url):
    from cradle.auth.pages import _safe_next

    assert _safe_next("/childcare/official") == "/childcare/official"
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        None,
    ):
        assert _safe_next(target) == "/home"
