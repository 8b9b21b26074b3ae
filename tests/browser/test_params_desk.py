"""The parameter desk in a browser: a 陆河县 official proposes the 奖励扶助 rate on a phone (Chinese), a second one
sees the cost preview and approves it (English), and the calculator's next answer has the figure."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REWARD = "luhe.reward_assistance.amount"


@pytest.fixture(scope="module")
def officials(base_url):
    from cradle.auth.testing import PASSWORD, make_account

    url = os.environ["CRADLE_DATABASE_URL"]  # the served database (set by base_url)
    for username in ("luhe-desk-a", "luhe-desk-b"):
        make_account(url, "county_official", "441523", username=username, name=username)
    return PASSWORD


def _sign_in(page: Page, base_url: str, username: str, password: str, button: str) -> None:
    page.goto(f"{base_url}/auth/login?next=/params")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.get_by_role("button", name=button).click()
    expect(page).to_have_url(f"{base_url}/params")


def test_propose_approve_and_the_calculator_shows_the_figure(browser, phone: Page, base_url, officials):
    _sign_in(phone, base_url, "luhe-desk-a", officials, "登录")
    expect(phone.locator("h1")).to_contain_text("参数台")
    phone.select_option("#f-parameter", REWARD)
    phone.fill("#f-value", "1440")
    phone.fill("#f-unit", "CNY")
    phone.fill("#f-from", "2026-01-01")
    phone.select_option("#f-document", "000_297e707e5151f0b6.txt")
    phone.fill("#f-clause", "维护计划生育家庭合法权益")
    phone.get_by_role("button", name="提请", exact=True).click()
    expect(phone.locator("#state")).to_have_text("等待审批")
    expect(phone.locator("#approve")).to_have_count(0)  # not the proposer's to approve
    proposal = phone.url

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    desktop = context.new_page()
    desktop.set_default_timeout(20_000)
    _sign_in(desktop, base_url, "luhe-desk-b", officials, "登录")  # pages are Chinese until English is picked
    desktop.goto(proposal + "?lang=en")
    expect(desktop.locator("h2").first).to_have_text("Cost preview")
    expect(desktop.locator("#preview tbody tr")).to_have_count(3)
    desktop.get_by_role("button", name="Approve and publish").click()
    expect(desktop.locator("#state")).to_have_text("Published")
    context.close()

    phone.goto(base_url + "/?lang=zh")
    phone.select_option("#f-jurisdiction", "441523")
    phone.fill("#f-on", "2026-06-01")
    phone.get_by_role("button", name="＋ 母亲").click()
    phone.locator("#f-members-0-birth_date").fill("1968-04-02")
    phone.get_by_role("button", name="＋ 父亲").click()
    phone.locator("#f-members-1-birth_date").fill("1960-08-20")  # reward assistance from 60
    phone.get_by_role("button", name="＋ 子女").click()
    phone.locator("#f-members-2-sex").select_option("F")
    phone.locator("#f-members-2-birth_date").fill("1995-05-01")
    phone.locator("#f-family_planning-only_child_certificate").check()
    phone.get_by_role("button", name="开始测算").click()
    card = phone.locator('[data-program="luhe.reward_assistance"]')
    expect(card).to_be_visible()
    expect(card.locator(".amount")).to_have_text(re.compile(r"1,?440"))
    expect(card).to_contain_text("在参数台发布")
