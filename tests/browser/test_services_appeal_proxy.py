"""Two 张店区 families in Debian's chromium: one mother's application is rejected by the town, she appeals, the
town upholds the appeal and the application is back under review; in the other family the mother's sister is
refused when she tries to apply for her, the mother records her consent, and the sister then files it, named on
the application as the one who filed it on the mother's behalf."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cradle.idcard import make_id_number

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from pages_helpers import COUNTY, TOWN  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "Journey-Passw0rd!"
BORN = dt.date.today() - dt.timedelta(days=200)
# Two families of their own, so this test and the birth-to-payment journey share the server's database freely.
A = {
    "m": make_id_number(COUNTY, dt.date(1992, 5, 6), 41, "F"),
    "f": make_id_number(COUNTY, dt.date(1990, 2, 3), 42, "M"),
    "c1": make_id_number(COUNTY, dt.date(2021, 7, 1), 43, "F"),
    "c2": make_id_number(COUNTY, BORN, 44, "M"),
}
B = {
    "m": make_id_number(COUNTY, dt.date(1994, 9, 9), 51, "F"),
    "f": make_id_number(COUNTY, dt.date(1993, 1, 1), 52, "M"),
    "c1": make_id_number(COUNTY, dt.date(2021, 3, 3), 53, "F"),
    "c2": make_id_number(COUNTY, BORN, 54, "F"),
}
SISTER = make_id_number(COUNTY, dt.date(1990, 12, 12), 55, "F")


def citizen(url: str, id_number: str, name: str) -> None:
    from cradle.auth.accounts import register_citizen
    from cradle.db import session_scope

    with session_scope(url) as s:
        register_citizen(s, id_number, name, None, PASSWORD, f"browser-{id_number}")


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/home$"))


def fill_application(
    page: Page, family: dict, names: tuple[str, str, str, str], *, mother: bool = True
) -> None:
    page.select_option("#f-program", "zibo.nursery_fee_subsidy")
    page.fill("#f-jurisdiction", COUNTY)
    page.fill("#f-town", TOWN)
    for key, name in zip(("m", "f", "c1", "c2"), names, strict=True):
        page.fill(f"#f-{key}_name", name)
        if key != "m" or mother:
            page.fill(f"#f-{key}_id_number", family[key])
    page.check("#f-c2_nursery")
    page.select_option("#f-beneficiary", "c2")
    page.fill("#f-account_no", "6217000000000000041")
    page.fill("#f-bank_code", "ZBBANK")


def test_appeal_reopens_and_proxy_needs_consent(base_url, browser):
    from cradle.auth.testing import make_account

    url = os.environ["CRADLE_DATABASE_URL"]
    citizen(url, A["m"], "陈静")
    citizen(url, B["m"], "周琳")
    citizen(url, SISTER, "周婷")
    town_user = make_account(url, "town_official", TOWN, password=PASSWORD).username

    def context():
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        ctx.set_default_timeout(15_000)
        return ctx, ctx.new_page()

    # --- family A: application, rejection by the town ----------------------------------------------------------
    actx, mother = context()
    sign_in(mother, base_url, A["m"])
    mother.goto(f"{base_url}/services/apply")
    fill_application(mother, A, ("陈静", "李强", "李一", "李二"))
    mother.get_by_role("button", name="提交申请").click()
    expect(mother.locator("#case-status")).to_have_attribute("data-status", "submitted")
    case_no = mother.url.split("/applications/")[1].split("?")[0]

    tctx, town = context()
    sign_in(town, base_url, town_user)
    town.goto(f"{base_url}/staff/cases/{case_no}")
    town.locator('[data-action="town_accept"] button').click()
    expect(town.locator("#done")).to_contain_text("town_review")
    town.goto(f"{base_url}/staff/cases/{case_no}")
    town.fill("#f-reason_town_reject", "未见托育机构入托证明")
    town.locator('[data-action="town_reject"] button').click()
    expect(town.locator("#done")).to_contain_text("rejected")

    # --- she appeals; the town upholds it; the application is under review again --------------------------------
    mother.goto(f"{base_url}/applications/{case_no}")
    expect(mother.locator("#case-status")).to_have_attribute("data-status", "rejected")
    mother.locator("#appeal-rejection button").click()  # empty grounds: refused beside the field
    expect(mother.locator("#e-grounds")).to_be_visible()
    mother.fill("#f-grounds", "孩子已在备案托育机构入托，入托证明已上传")
    mother.locator("#appeal-rejection button").click()
    mother.wait_for_url(re.compile(r"/services/appeals\?filed="))
    appeal_no = mother.url.split("filed=")[1]
    expect(mother.locator(f'#appeal-list [data-appeal="{appeal_no}"]')).to_be_visible()

    town.goto(f"{base_url}/staff/appeals")
    card = town.locator(f'section[data-appeal="{appeal_no}"]')
    expect(card).to_contain_text("入托证明已上传")
    card.locator(f"#f-outcome_{appeal_no}").fill("证明已核实，重新审核")
    card.locator('button[value="1"]').click()
    expect(town.locator("#done")).to_contain_text(f"{appeal_no}:upheld")
    expect(town.locator("#no-appeals")).to_be_visible()

    mother.goto(f"{base_url}/applications/{case_no}")
    expect(mother.locator("#case-status")).to_have_attribute("data-status", "town_review")
    expect(mother.locator(f'#appeals [data-appeal="{appeal_no}"]')).to_have_attribute("data-status", "upheld")

    # --- family B: the sister is refused without consent, then files with it ---------------------------------
    sctx, sister = context()
    sign_in(sister, base_url, SISTER)
    sister.goto(f"{base_url}/services/apply?for_id={B['m']}")
    expect(sister.locator("body")).to_contain_text("没有当事人的有效授权")

    bctx, other = context()
    sign_in(other, base_url, B["m"])
    other.goto(f"{base_url}/services/consents")
    other.fill("#f-proxy_name", "周婷")
    other.fill("#f-proxy_id_number", SISTER)
    other.select_option("#f-relation", "sibling")
    other.fill("#f-evidence", "本人在镇便民服务中心签字")
    other.locator("#grant button[type=submit]").click()
    expect(other.locator("#done")).to_be_visible()
    expect(other.locator("#granted [data-consent]")).to_have_count(1)

    sister.goto(f"{base_url}/services/consents")
    sister.locator(f'#held a[href="/services/apply?for_id={B["m"]}"]').click()
    expect(sister.locator("#proxy-notice")).to_be_visible()
    expect(sister.locator("#f-m_id_number")).to_have_value(B["m"])
    fill_application(sister, B, ("周琳", "吴斌", "吴一", "吴二"), mother=False)
    sister.get_by_role("button", name="提交申请").click()
    expect(sister.locator("#case-status")).to_have_attribute("data-status", "submitted")
    proxy_case = sister.url.split("/applications/")[1].split("?")[0]
    expect(sister.locator("#case-proxy")).to_be_visible()

    other.goto(f"{base_url}/applications")
    expect(other.locator("body")).to_contain_text(proxy_case)
    town.goto(f"{base_url}/staff/cases/{proxy_case}")
    expect(town.locator("#case-proxy")).to_contain_text("周婷")
    for ctx in (actx, tctx, sctx, bctx):
        ctx.close()
