"""The menu at phone width (375px): folded behind one button that opens and closes it; a visitor and a citizen
find nothing of the staff side in it, a county official the desks of the office; the pages are in Chinese though
the browser asks for English, and in English once the person picks it."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STAFF = ("/staff", "/childcare/official", "/registry", "/payments")


@pytest.fixture(scope="module")
def people(base_url):
    from cradle.auth.accounts import register_citizen
    from cradle.auth.testing import PASSWORD, make_account
    from cradle.db import session_scope
    from cradle.idcard import make_id_number

    url = os.environ["CRADLE_DATABASE_URL"]  # the served database (set by base_url)
    make_account(url, "county_official", "370303", username="menu-official", name="张店区经办人")
    number = make_id_number("370303", dt.date(1992, 3, 4), 31, "F")
    with session_scope(url) as s:
        register_citizen(s, number, "刘芳", None, PASSWORD, "menu-test")
    return {"official": "menu-official", "citizen": number, "password": PASSWORD}


def _sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/auth/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#signed-in-as")).to_be_visible()


def _menu_paths(page) -> set[str]:
    return {a.get_attribute("href") for a in page.locator("#site-menu a").all()}


def test_a_visitor_opens_and_closes_the_folded_menu(phone, base_url):
    page = phone
    page.goto(f"{base_url}/childcare")
    expect(page.locator("html")).to_have_attribute(
        "lang", "zh-CN"
    )  # Chinese though the browser is zh-CN or en
    toggle = page.get_by_role("button", name="菜单")
    expect(toggle).to_be_visible()
    expect(page.locator("#site-menu")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-menu").get_by_role("link", name="注册")).to_be_visible()
    assert not _menu_paths(page) & set(STAFF)
    box = page.locator("#site-menu").bounding_box()
    assert box["width"] <= 375  # nothing wider than the phone
    toggle.click()
    expect(page.locator("#site-menu")).to_be_hidden()


def test_a_citizen_sees_her_services_and_no_staff_desk(phone, base_url, people):
    page = phone
    _sign_in(page, base_url, people["citizen"], people["password"])
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#site-menu").get_by_role("link", name="我的申请")).to_be_visible()
    assert not _menu_paths(page) & set(STAFF)


def test_an_official_sees_the_desks_of_the_office_in_either_language(phone, base_url, people):
    page = phone
    _sign_in(page, base_url, people["official"], people["password"])
    page.get_by_role("button", name="菜单").click()
    assert {"/staff", "/childcare/official", "/registry", "/payments"} <= _menu_paths(page)
    assert "/applications" not in _menu_paths(page) and "/auth/admin/accounts" not in _menu_paths(page)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Menu").click()
    page.locator("#site-menu").get_by_role("link", name="Childcare supervision").click()
    expect(page).to_have_url(f"{base_url}/childcare/official")
    expect(page.locator("h1")).to_contain_text("Childcare supervision")
