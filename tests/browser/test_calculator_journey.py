"""A household in 张店区 works out its benefits, follows a citation to the clause, on desktop and phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NURSERY = '[data-program="zibo.nursery_fee_subsidy"]'


def field(page: Page, path: str):
    """The input for an API field path, by the id the page derives from it."""
    import re

    return page.locator("#f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path))


def fill_household(page: Page, add: dict[str, str]) -> None:
    """张店区, as of 2025-07-01: mother, father, a first child in kindergarten, a second in a registered nursery,
    and the second child's birth. `add` maps relation -> the add button's label."""
    page.select_option("#f-jurisdiction", "370303")
    page.fill("#f-on", "2025-07-01")

    page.get_by_role("button", name=add["mother"]).click()
    field(page, "members[0].birth_date").fill("1993-04-02")
    field(page, "members[0].employment").select_option("employee")
    field(page, "members[0].medical_insurance").select_option("employee")
    field(page, "members[0].employer_avg_monthly_wage").fill("7800")
    field(page, "members[0].maternity_insurance").check()

    page.get_by_role("button", name=add["father"]).click()
    field(page, "members[1].birth_date").fill("1991-08-20")
    field(page, "members[1].employment").select_option("employee")
    field(page, "members[1].medical_insurance").select_option("employee")

    page.get_by_role("button", name=add["child"]).click()
    field(page, "members[2].sex").select_option("F")
    field(page, "members[2].birth_date").fill("2019-05-01")
    expect(field(page, "members[2].birth_order")).to_have_value("1")
    field(page, "members[2].care.type").select_option("kindergarten")
    field(page, "members[2].care.public").check()
    field(page, "members[2].care.inclusive").check()

    page.get_by_role("button", name=add["child"]).click()
    field(page, "members[3].sex").select_option("M")
    field(page, "members[3].birth_date").fill("2025-03-10")
    expect(field(page, "members[3].birth_order")).to_have_value("2")
    field(page, "members[3].care.type").select_option("nursery")
    field(page, "members[3].care.inclusive").check()
    field(page, "members[3].care.registered").check()

    page.get_by_role("button", name=add["birth"]).click()
    # The new birth event points at the last child and takes its birth date.
    expect(field(page, "events[0].child")).to_have_value("c2")
    expect(field(page, "events[0].date")).to_have_value("2025-03-10")
    field(page, "events[0].in_policy_delivery_cost").fill("8000")


ZH_BUTTONS = {"mother": "＋ 母亲", "father": "＋ 父亲", "child": "＋ 子女", "birth": "＋ 生育"}
EN_BUTTONS = {"mother": "+ Mother", "father": "+ Father", "child": "+ Child", "birth": "+ Birth"}


def compute_and_follow_citation(page: Page, amount: str, submit: str) -> None:
    page.get_by_role("button", name=submit).click()
    card = page.locator(NURSERY)
    expect(card).to_be_visible()
    expect(card.locator("h3")).to_have_text("保育费补助")
    expect(card.locator(".amount")).to_have_text(amount)
    expect(card.locator(".citations")).to_contain_text("二（四）2")


def test_desktop_journey(desktop: Page, base_url, screenshot_dir):
    page = desktop
    page.goto(base_url + "/")
    expect(page.locator("h1")).to_have_text("待遇测算")
    fill_household(page, ZH_BUTTONS)
    compute_and_follow_citation(page, "每月 300 元", "开始测算")
    expect(page.locator(NURSERY)).to_contain_text("子女 2")
    page.screenshot(path=screenshot_dir / "calculator-desktop.png", full_page=True)

    page.locator(NURSERY).locator(".citations a").first.click()
    expect(page.locator("h2.clause-id")).to_contain_text("二（四）2")
    expect(page.locator(".clause-text")).to_contain_text("保育费补助")
    page.screenshot(path=screenshot_dir / "clause-desktop.png", full_page=True)


def test_phone_journey(phone: Page, base_url, screenshot_dir):
    page = phone
    page.goto(base_url + "/")
    fill_household(page, ZH_BUTTONS)
    compute_and_follow_citation(page, "每月 300 元", "开始测算")
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=screenshot_dir / "calculator-phone.png", full_page=True)
    page.locator(NURSERY).locator(".citations a").first.click()
    expect(page.locator(".clause-text")).to_contain_text("保育费补助")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=screenshot_dir / "clause-phone.png", full_page=True)


def test_english_switch(desktop: Page, base_url, screenshot_dir):
    page = desktop
    page.goto(base_url + "/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Benefit calculator")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    fill_household(page, EN_BUTTONS)
    compute_and_follow_citation(page, "CN¥300 per month", "Calculate benefits")
    page.screenshot(path=screenshot_dir / "calculator-en.png", full_page=True)
    # The choice is remembered on the next page.
    page.get_by_role("link", name="Programs").first.click()
    expect(page.locator("h1")).to_have_text("Programs")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("h1")).to_have_text("政策项目")


def test_api_field_errors_show_beside_the_input(desktop: Page, base_url):
    page = desktop
    page.goto(base_url + "/")
    page.get_by_role("button", name="开始测算").click()
    expect(page.locator("#f-jurisdiction-error")).to_have_text("请选择家庭所在的县（市、区）。")
    fill_household(page, ZH_BUTTONS)
    field(page, "members[3].birth_date").fill("1980-01-01")  # before the mother was born
    page.get_by_role("button", name="开始测算").click()
    error = page.locator("#f-members-3-birth_date-error")
    expect(error).to_be_visible()
    expect(field(page, "members[3].birth_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary a").first).to_have_attribute("href", "#f-members-3-birth_date")


def test_keyboard_skip_link_and_programs_page(desktop: Page, base_url, screenshot_dir):
    page = desktop
    page.goto(base_url + "/programs")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.select_option("#f-jurisdiction", "370303")
    # htmx swaps the listing in and records the choice in the address.
    expect(page.locator("#programs h2")).to_contain_text("张店区")
    expect(page).to_have_url(base_url + "/programs?jurisdiction=370303")
    expect(page.locator("#zibo\\.nursery_fee_subsidy")).to_contain_text("保育费补助")
    page.evaluate("document.activeElement.blur()")
    page.screenshot(path=screenshot_dir / "programs-desktop.png", full_page=False)


def test_family_planning_journey(desktop: Page, base_url):
    """A 淄博 couple whose only child died: the page asks for the facts 特别扶助 turns on (the child's date of death,
    the mother's age) and answers with the special assistance; a death date without 已故 is refused beside it."""
    page = desktop
    page.goto(base_url + "/")
    page.select_option("#f-jurisdiction", "370305")
    page.fill("#f-on", "2025-07-01")
    page.get_by_role("button", name=ZH_BUTTONS["mother"]).click()
    field(page, "members[0].birth_date").fill("1966-07-01")
    field(page, "members[0].hukou_type").select_option("rural")
    page.get_by_role("button", name=ZH_BUTTONS["father"]).click()
    field(page, "members[1].birth_date").fill("1964-02-01")
    page.get_by_role("button", name=ZH_BUTTONS["child"]).click()
    field(page, "members[2].sex").select_option("M")
    field(page, "members[2].birth_date").fill("1990-05-01")
    field(page, "members[2].deceased").check()
    field(page, "members[2].death_date").fill("2020-03-01")
    field(page, "family_planning.special_family").select_option("bereaved")
    field(page, "family_planning.only_child_certificate").check()
    field(page, "family_planning.certificate_date").fill("1991-03-01")
    page.get_by_role("button", name="开始测算").click()
    card = page.locator('[data-program="zibo.special_assistance_bereaved"]').first
    expect(card).to_be_visible()
    expect(card.locator(".citations")).to_contain_text("二（五）1")
    expect(page.locator('[data-program="zibo.bereaved_lump_sum"]')).to_be_visible()

    field(page, "family_planning.certificate_date").fill("2026-03-01")  # after the as-of date
    page.get_by_role("button", name="开始测算").click()
    expect(page.locator("#f-family_planning-certificate_date-error")).to_have_text(
        "光荣证领取日期晚于参考日期"
    )
