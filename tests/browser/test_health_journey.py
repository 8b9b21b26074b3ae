"""The 妇幼保健院's pages in chromium: a doctor signs in on a phone, files a pregnancy (a refused field shown beside
it first), grades it red, finds its 高危专案 with the follow-up form and records a follow-up; the same pages in
English; the county reviews a maternal death and sees the hospital on the 约谈通报 list."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def people(base_url):
    from cradle.auth.testing import PASSWORD, make_account
    from cradle.db import session_scope
    from cradle.health import institutions

    url = os.environ["CRADLE_DATABASE_URL"]
    with session_scope(url) as s:
        mch = institutions.register(s, "cli", "HBROWSER01", "浏览器测试妇幼保健院", "370303", "mch", True)
        inst_id = mch.id
    make_account(
        url, "health_worker", "370303", username="fuyou-doctor", name="产科李医生", institution_id=inst_id
    )
    make_account(url, "county_official", "370303", username="fuyou-county", name="张店区卫健局")
    return {"password": PASSWORD}


def _sign_in(page, base_url, username, password, next_path):
    page.goto(f"{base_url}/auth/login?next={next_path}")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base_url}{next_path}")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone


def test_doctor_files_a_red_pregnancy_and_follows_its_case_up_on_a_phone(
    phone, base_url, people, screenshot_dir
):
    from cradle.idcard import make_id_number

    page, today = phone, dt.date.today()
    _sign_in(page, base_url, "fuyou-doctor", people["password"], "/health")
    expect(page.locator("h1")).to_contain_text("浏览器测试妇幼保健院")
    _fits(page)
    page.goto(f"{base_url}/health/pregnancies/new")
    page.fill("#f-pregnancy_no", "BR-001")
    page.fill("#f-id_number", make_id_number("370303", dt.date(1994, 2, 2), 71, "M"))  # a man's number
    page.fill("#f-name", "赵敏")
    page.fill("#f-filed_on", (today - dt.timedelta(days=14)).isoformat())
    page.fill("#f-weeks", "10")
    page.get_by_role("button", name="建册").click()
    expect(page.locator("#e-id_number")).to_have_text("该身份证号码为男性。")
    expect(page.locator("#f-pregnancy_no")).to_have_value("BR-001")
    page.fill("#f-id_number", make_id_number("370303", dt.date(1994, 2, 2), 72, "F"))
    page.get_by_role("button", name="建册").click()
    expect(page).to_have_url(f"{base_url}/health/pregnancies/BR-001")
    page.locator("#assessments summary").click()
    page.select_option("#f-assessments-grade", "red")
    page.fill("#f-assessments-assessed_on", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#f-assessments-factors", "重度子痫前期")
    page.locator("#assessments").get_by_role("button", name="保存").click()
    expect(page.locator("#current-grade")).to_contain_text("红色（高风险）")
    page.locator("#case-link").click()
    expect(page.locator("#next-due")).to_contain_text("已逾期3天")
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "health-case-phone.png"), full_page=True)
    page.goto(f"{base_url}/health")
    expect(page.locator("#warnings")).to_contain_text("随访已逾期3天")
    page.locator("#warnings a").first.click()
    page.fill("#f-followups-done_on", today.isoformat())
    page.fill("#f-followups-note", "血压平稳")
    page.locator("#followups").get_by_role("button", name="保存").click()
    expect(page.locator("#history")).to_contain_text("血压平稳")
    expect(page.locator("#next-due")).not_to_contain_text("逾期")
    # the case list in English (here, where the red case exists: the tests of a module run in random order)
    page.goto(f"{base_url}/health/cases?lang=en")
    expect(page.locator("h1")).to_have_text("High-risk cases")
    expect(page.locator("#cases")).to_contain_text("Red (high risk)")
    page.goto(f"{base_url}/health?lang=zh")


def test_the_pages_in_english(desktop, base_url, people, screenshot_dir):
    page = desktop
    _sign_in(page, base_url, "fuyou-doctor", people["password"], "/health")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Maternal and child health")
    page.get_by_role("link", name="High-risk cases").click()
    expect(page.locator("h1")).to_have_text("High-risk cases")
    page.goto(f"{base_url}/health/pregnancies/new")
    page.get_by_role("button", name="File the pregnancy").click()
    expect(page.locator("#e-pregnancy_no")).to_have_text("Required.")
    page.screenshot(path=str(screenshot_dir / "health-form-en.png"), full_page=True)
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_county_reviews_a_maternal_death_and_lists_the_hospital(desktop, base_url, people):
    from cradle.idcard import make_id_number

    page, year = desktop, dt.date.today().year
    _sign_in(page, base_url, "fuyou-doctor", people["password"], "/health/deaths")
    page.locator("#report summary").click()
    page.select_option("#f-kind", "maternal")
    page.fill("#f-id_number", make_id_number("370303", dt.date(1990, 6, 6), 73, "F"))
    page.fill("#f-name", "钱红")
    page.fill("#f-died_on", dt.date(year, 1, 5).isoformat())
    page.fill("#f-cause", "O72.1")
    page.get_by_role("button", name="报告").click()
    expect(page.locator("#review-status")).to_have_text("待评审")
    death_url = page.url
    page.get_by_role("button", name="退出登录").click()
    _sign_in(page, base_url, "fuyou-county", people["password"], "/health")
    page.goto(death_url)
    page.select_option("#f-classification", "direct")
    page.select_option("#f-avoidable", "conditional")
    page.fill("#f-causes", "产后出血识别延迟")
    page.fill("#f-measures", "产后出血演练")
    page.fill("#f-reviewed_on", dt.date(year, 1, 5).isoformat())
    page.get_by_role("button", name="保存评审结论").click()
    expect(page.locator("#review-status")).to_have_text("已评审")
    page.goto(f"{base_url}/health/interviews?year={year}")
    expect(page.locator("#interviews")).to_contain_text("浏览器测试妇幼保健院")
    expect(page.locator("#interviews")).to_contain_text("孕产妇死亡: 1")
