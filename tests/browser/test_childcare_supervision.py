"""A 张店区 official on the supervision pages (issue 23, item 3): registers an institution by form, finds it on the
workbench, records its quality grade and a red-list record, and reads its history, which names the office that
acted; then the same pages in English."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect
from stdnum.cn import uscc

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def official(base_url):
    from cradle.auth.testing import PASSWORD, make_account

    url = os.environ["CRADLE_DATABASE_URL"]  # the served database (set by base_url)
    make_account(url, "county_official", "370303", username="supervision-official", name="张店区卫健科")
    return {"username": "supervision-official", "password": PASSWORD}


def test_register_grade_and_history(desktop, base_url, official):
    page = desktop
    page.goto(f"{base_url}/auth/login?next=/childcare/official")
    page.fill("#f-username", official["username"])
    page.fill("#f-password", official["password"])
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base_url}/childcare/official")
    page.get_by_role("link", name="登记托育机构").click()
    body = "52370303MJ0000951"  # a number no other browser test files (they share one database)
    page.fill("input[name=credit_code]", body + uscc.calc_check_digit(body))
    page.fill("input[name=name]", "浏览器托育园")
    page.fill("input[name=address]", "测试路9号")
    page.fill("input[name=floor_area_m2]", "450")
    page.fill("input[name=rooms]", "4")
    page.fill("input[name=opening_date]", "2025-02-01")
    page.fill("input[name=slots_older]", "20")
    page.fill("input[name=fee_monthly_older]", "1200")
    page.fill("textarea[name=staff]", "赵园长，机构负责人\n钱保育，保育人员，保育师")
    page.get_by_role("button", name="登记机构").click()
    expect(page.locator("h1")).to_contain_text("浏览器托育园")
    page.fill("input[name=assessor]", "区卫健局评估组")
    page.get_by_role("button", name="登记评估结果").click()
    expect(page.locator("#quality")).to_contain_text("优秀")
    page.fill("input[name=reason]", "守信经营")
    page.get_by_role("button", name="列入名单").click()
    expect(page.locator("#quality")).to_contain_text("红名单")
    page.locator("#history-link").click()
    history = page.locator("#facility-history")
    expect(history.locator("li[data-kind=grade]")).to_contain_text("区卫健局评估组")
    expect(history.locator("li[data-kind=credit]")).to_contain_text("张店区 区县经办人")
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_contain_text("History")
    expect(history.locator("li[data-kind=credit]")).to_contain_text("Zhangdian District county officer")
    page.goto(f"{base_url}/childcare/official")
    expect(page.locator("#facilities")).to_contain_text("浏览器托育园")
