"""The yearly assistance cycle through the pages, in Debian's chromium: the town posts this year's list; the
village official, from the menu, sees only the own village's people, posts its part on the notice board and
records an objection, which the town upholds; for last year (its 公示 over), the town reviews, the county approves and
pays January's special assistance; the bereaved mother sees the payment and her contact person."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import Page, expect

from cradle.assistance import cycle, families, sample
from cradle.assistance.models import Family
from cradle.auth.accounts import register_citizen
from cradle.auth.actor import Actor
from cradle.auth.testing import make_account
from cradle.db import session_scope

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "Journey-Passw0rd!"
COUNTY, TOWN = "620402", "620402001"
VILLAGE = f"{TOWN}001"
county = Actor(id="seed", role="county_official", region=COUNTY)
town = Actor(id="seed-t", role="town_official", region=TOWN)


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/home$"))


def _seed(
    url: str,
    year: int,
    families_: list[dict],
    posted_days_ago: int | None,
    homes: dict[str, str] | None = None,
) -> None:
    """`homes`: ID number -> village."""
    with session_scope(url) as s:
        cycle.find_candidates(s, county, COUNTY, year, families_, as_of=dt.date(2025, 1, 1))
        ids = sorted(
            {e["id_number"] for e in cycle.rows.read(s, cycle.get_cycle(s, county, COUNTY, year).id)}
        )
        cycle.set_accounts(
            s,
            county,
            COUNTY,
            year,
            [
                {"id_number": x, "account_no": f"62170009{i:011d}", "town": TOWN}
                | ({"village": homes[x]} if homes and x in homes else {})
                for i, x in enumerate(ids)
            ],
        )
        if posted_days_ago is not None:
            cycle.publicize(
                s, county, COUNTY, year, start=dt.date.today() - dt.timedelta(days=posted_days_ago), days=7
            )


def test_the_cycle_in_the_browser(base_url, browser):
    url = os.environ["CRADLE_DATABASE_URL"]
    year = dt.date.today().year
    this_year = [sample.family(COUNTY, 900 + n, "reward") for n in range(2)]
    homes = {m["id_number"]: f"{TOWN}00{n + 1}" for n, f in enumerate(this_year) for m in f["members"][:2]}
    _seed(url, year, this_year, None, homes)
    bereaved = sample.family(COUNTY, 950, "bereaved")
    _seed(url, year - 1, [bereaved], 10)
    users = {
        role: make_account(url, role, region, password=PASSWORD).username
        for role, region in (
            ("village_official", VILLAGE),
            ("town_official", TOWN),
            ("county_official", COUNTY),
        )
    }
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    # the county posts this year's list (a town may not: it would post every town's people)
    sign_in(page, base_url, users["town_official"])
    page.goto(f"{base_url}/assistance/{COUNTY}/{year}")
    expect(page.locator('form[data-step="publicize"]')).to_have_count(0)
    ctx.clear_cookies()
    sign_in(page, base_url, users["county_official"])
    page.goto(f"{base_url}/assistance/{COUNTY}/{year}")
    page.locator('form[data-step="publicize"] button').click()
    expect(page.locator("#cycle-status")).to_have_text("公示中")
    expect(page.locator("#countdown")).to_contain_text("7")
    ctx.clear_cookies()
    # the village: its own two people only, its notice posted, an objection taken; no step of the town's
    sign_in(page, base_url, users["village_official"])
    page.locator("#site-menu").get_by_role("link", name="计划生育家庭扶助").click()
    expect(page.locator("#list tr[data-entry]")).to_have_count(2)
    expect(page.locator('form[data-step="publicize"]')).to_have_count(0)
    page.locator('form[data-step="notice"] button').click()
    expect(page.locator("#notices tr[data-notice]")).to_have_count(1)
    first = page.locator("#list tr[data-status=posted]").first
    first.locator("input[name=grounds]").fill("已迁往外省")
    first.get_by_role("button", name="登记异议").click()
    expect(page.locator("#objections tr[data-objection]")).to_have_count(1)
    expect(page.locator("#objections select[name=upheld]")).to_have_count(0)  # the town decides
    ctx.clear_cookies()
    # the town upholds it
    sign_in(page, base_url, users["town_official"])
    page.goto(f"{base_url}/assistance/{COUNTY}/{year}")
    page.locator("#objections select[name=upheld]").select_option("1")
    page.locator("#objections input[name=decision]").fill("经核实属实")
    page.locator("#objections").get_by_role("button", name="审核决定").click()
    expect(page.locator("#list tr[data-status=removed]")).to_have_count(1)
    # last year's 公示 is over: the town reviews
    page.goto(f"{base_url}/assistance/{COUNTY}/{year - 1}")
    page.locator('form[data-step="review"] button').click()
    expect(page.locator("#cycle-status")).to_have_text("乡镇已审核")
    ctx.clear_cookies()
    # the county approves and pays January
    sign_in(page, base_url, users["county_official"])
    page.goto(f"{base_url}/assistance/{COUNTY}/{year - 1}")
    page.locator('form[data-step="approve"] button').click()
    expect(page.locator("#cycle-status")).to_have_text("县级已审批")
    page.locator('form[data-step="pay"] input[name=period]').fill(f"{year - 1}-01")
    page.locator('form[data-step="pay"] button').click()
    expect(page.locator("#batches tr")).to_have_count(1)
    with session_scope(url) as s:
        fam = s.query(Family).one()
        families.set_contact(s, town, fam.id, "official", "张干事", since=dt.date.today())
    ctx.clear_cookies()
    # the mother sees her place on the list, the payment and her contact person
    mother = bereaved["members"][0]
    with session_scope(url) as s:
        register_citizen(s, mother["id_number"], mother["name"], None, PASSWORD, "asst-mother")
    sign_in(page, base_url, mother["id_number"])
    page.goto(f"{base_url}/assistance/mine")
    expect(page.locator("#payments")).to_contain_text(f"{year - 1}-01")
    expect(page.locator("#contacts")).to_contain_text("张干事")
    ctx.close()
