"""The menu fits the signed-in person (issue 23, item 5): each role sees the desks it can use and no other, and
every desk it sees opens for it while every staff desk it does not see refuses it. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.auth.helpers import CITIZEN_ID
from tests.childcare.helpers import facility_data

from cradle.auth.testing import bearer_for, citizen_bearer
from cradle.childcare.facilities import register_facility
from cradle.db import session_scope
from cradle.web.app import create_app

STAFF_DESKS = {
    "/staff",
    "/childcare/official",
    "/registry",
    "/payments",
    "/auth/admin/accounts",
    "/admin/jobs",
    "/params",
    "/whatif",
    "/health",
    "/assistance",
    "/assistance/priority",
}
HOME_DESKS = STAFF_DESKS - {"/params", "/whatif"}  # the staff home lists every desk but these two
PUBLIC = {"/", "/programs", "/documents", "/monitoring", "/childcare", "/home"}


def menu(html: str) -> set[str]:
    block = html[html.index('id="site-menu"') :]
    return set(re.findall(r'href="([^"]+)"', block[: block.index("</nav>")]))


@pytest.fixture
def client(migrated_db_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        yield c


def _facility(url: str) -> int:
    with session_scope(url) as s:
        return register_facility(s, facility_data(1)).id


def _sees(client, headers) -> set[str]:
    r = client.get("/childcare", headers=headers)
    assert r.status_code == 200
    return menu(r.text)


def test_a_visitor_sees_the_public_pages_and_how_to_register_nothing_of_the_staff(client):
    seen = _sees(client, {})
    assert seen == PUBLIC | {"/services", "/auth/register"}


def test_a_citizen_sees_her_services_and_nothing_of_the_staff(client, migrated_db_url):
    seen = _sees(client, citizen_bearer(migrated_db_url, CITIZEN_ID, "刘芳"))
    assert seen == PUBLIC | {"/services", "/applications", "/health/my"}


ROLES = [
    ("village_official", "370303001001", {}, {"/assistance"}),
    (
        "town_official",
        "370303001",
        {},
        {"/staff", "/childcare/official", "/registry", "/health", "/assistance"},
    ),
    (
        "county_official",
        "370303",
        {},
        {
            "/staff",
            "/childcare/official",
            "/registry",
            "/payments",
            "/params",
            "/whatif",
            "/health",
            "/assistance",
        },
    ),
    ("city_official", "370300", {}, {"/childcare/official", "/registry", "/params", "/whatif", "/health"}),
    ("dept_clerk", "370303", {"department": "jiaoyu"}, {"/childcare/official", "/registry", "/whatif"}),
    ("dept_clerk", "370303", {"department": "caizheng"}, {"/staff", "/registry", "/payments", "/whatif"}),
    (
        "dept_clerk",
        "370303",
        {"department": "weijian"},
        {"/staff", "/childcare/official", "/registry", "/whatif", "/health"},
    ),
    ("auditor", "370303", {}, {"/childcare/official", "/registry", "/whatif", "/health"}),
    (
        "administrator",
        "cn",
        {},
        {"/childcare/official", "/registry", "/auth/admin/accounts", "/admin/jobs", "/whatif", "/health"},
    ),
]


@pytest.mark.parametrize(
    ("role", "region", "fields", "desks"), ROLES, ids=lambda v: str(sorted(v) if isinstance(v, set) else v)
)
def test_an_official_sees_the_desks_of_the_role_and_each_opens(
    client, migrated_db_url, role, region, fields, desks
):
    headers = bearer_for(migrated_db_url, role, region, **fields)
    seen = _sees(client, headers)
    assert seen == PUBLIC | desks
    home = client.get("/home", headers=headers).text
    links = re.search(r'<ul class="home-links">.*?</ul>', home, re.S).group(0)
    assert set(re.findall(r'href="([^"]+)"', links)) & STAFF_DESKS == desks & HOME_DESKS  # as the menu does
    for path in STAFF_DESKS:
        status = client.get(path, headers=headers).status_code
        assert (status == 200) == (path in desks), f"{role} {fields} GET {path}: {status}"


def test_an_operator_sees_the_own_facility(client, migrated_db_url):
    facility_id = _facility(migrated_db_url)
    headers = bearer_for(migrated_db_url, "facility_operator", "370303", facility_id=facility_id)
    seen = _sees(client, headers)
    assert seen == PUBLIC | {f"/childcare/operator/{facility_id}"}
    assert client.get(f"/childcare/operator/{facility_id}", headers=headers).status_code == 200
    assert all(client.get(p, headers=headers).status_code != 200 for p in STAFF_DESKS)


def test_the_current_page_is_marked(client):
    html = client.get("/childcare").text
    assert '<a href="/childcare" aria-current="page">' in html
