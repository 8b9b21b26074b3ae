"""An official of 张店区 signs in, opens a 370303 facility's desk and is refused a 370304 one; a citizen
registers, signs out and signs in again."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _seed_module():
    """tests/auth/seed.py, loaded by path (the suite imports test modules in importlib mode)."""
    name = "cradle_authtest_seed"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "auth" / "seed.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def world(base_url):
    from cradle.auth.testing import PASSWORD, make_account

    url = os.environ["CRADLE_DATABASE_URL"]  # the served database (set by base_url)
    seed = _seed_module()
    ids = seed.seed(url)
    make_account(url, "county_official", "370303", username="zhangdian-official", name="张店区卫健干部")
    return {"ids": ids, "password": PASSWORD, "seed": seed}


def test_official_sees_own_county_facility_and_is_refused_the_neighbours(desktop, base_url, world):
    page, ids = desktop, world["ids"]
    page.goto(f"{base_url}/childcare/operator/{ids['facility_id']}")
    # anonymous: sent to the sign-in page, which brings the visitor back
    expect(page).to_have_url(f"{base_url}/auth/login?next=/childcare/operator/{ids['facility_id']}")
    page.goto(f"{base_url}/auth/login?next=/childcare/operator/{ids['facility_id']}")
    page.fill("#f-username", "zhangdian-official")
    page.fill("#f-password", world["password"])
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base_url}/childcare/operator/{ids['facility_id']}")
    expect(page.locator("h1")).to_contain_text(world["seed"].FACILITY_NAME)
    expect(page.locator("#signed-in-as")).to_have_text("张店区卫健干部")
    response = page.goto(f"{base_url}/childcare/operator/{ids['other_facility_id']}")
    assert response.status in (403, 404)
    expect(page.locator("main")).not_to_contain_text("淄川测试托育园")
    expect(page.locator("main")).to_contain_text("不在")  # the out-of-scope message
    page.goto(f"{base_url}/home")
    expect(page.locator("[data-audience]")).to_have_attribute("data-audience", "staff")
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#sign-in-link")).to_be_visible()


def test_citizen_registers_and_signs_in(desktop, base_url, world):
    page = desktop
    number = world["seed"].make_id_number("370303", __import__("datetime").date(1994, 6, 1), 21, "F")
    page.goto(f"{base_url}/auth/register")
    page.fill("#f-id_number", number)
    page.fill("#f-name", "李娜")
    page.fill("#f-phone", "13912345678")
    page.fill("#f-password", "short")
    page.fill("#f-password2", "short")
    page.get_by_role("button", name="注册").click()
    expect(page.locator("#e-password")).to_be_visible()  # the field error beside the field
    page.fill("#f-password", "Guangming-2025")
    page.fill("#f-password2", "Guangming-2025")
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(f"{base_url}/auth/account")
    expect(page.locator("#registry-status")).to_contain_text("待核验")
    page.get_by_role("main").get_by_role("button", name="退出登录").click()
    # the sign-out must land before the sign-in page is fetched, or its cookie reset can race the new session
    expect(page.locator("[data-audience]")).to_have_attribute("data-audience", "public")
    page.goto(f"{base_url}/auth/login")
    page.fill("#f-username", number)
    page.fill("#f-password", "Guangming-2025")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("[data-audience]")).to_have_attribute("data-audience", "citizen")
    expect(page.locator("h1")).to_contain_text("李娜")
