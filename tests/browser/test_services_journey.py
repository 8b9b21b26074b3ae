"""A 张店区 mother registers a birth, applies for 出生一件事 and for 保育费补助; the town and then the county
approve; the county's payment batch goes to the bank and the bank's return marks it paid; she sees it paid.
Everything through the pages, in Debian's chromium."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from pages_helpers import (  # noqa: E402
    BORN,
    CHILD1,
    CHILD2,
    COUNTY,
    FATHER,
    MOTHER,
    TOWN,
    return_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "Journey-Passw0rd!"


def shot(page: Page, folder: Path, name: str) -> None:
    if os.environ.get("CRADLE_SCREENSHOTS") == "1":
        page.screenshot(path=str(folder / f"services-{name}.png"), full_page=True)


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/home$"))


def test_birth_to_paid_allowance_in_the_browser(base_url, browser, screenshot_dir):
    from cradle.auth.testing import make_account

    url = os.environ["CRADLE_DATABASE_URL"]
    accounts = {
        role: make_account(url, role, region, password=PASSWORD, **extra).username
        for role, region, extra in (("town_official", TOWN, {}), ("county_official", COUNTY, {}))
    }

    def context(width=1280, height=900, **kw):
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True, **kw
        )
        ctx.set_default_timeout(15_000)
        return ctx, ctx.new_page()

    # --- the mother, on her phone -----------------------------------------------------------------------------
    mctx, me = context(390, 844, is_mobile=True, has_touch=True)
    me.goto(f"{base_url}/auth/register")
    me.fill("#f-id_number", MOTHER)
    me.fill("#f-name", "刘芳")
    me.fill("#f-phone", "13800000021")
    me.fill("#f-password", PASSWORD)
    me.fill("#f-password2", PASSWORD)
    me.get_by_role("button", name="注册").click()
    me.wait_for_url(re.compile(r"/auth/account$"))

    me.goto(f"{base_url}/services/registration")
    expect(me.locator("#f-mother_id_number")).to_have_value(MOTHER)
    me.fill("#f-father_name", "张伟")
    me.fill("#f-father_id_number", FATHER)
    me.fill("#f-hukou_region", COUNTY)
    me.fill("#f-residence_region", COUNTY)
    me.fill("#f-expected_birth", "2001-01-01")
    me.fill("#f-child_order", "2")
    me.get_by_role("button", name="提交登记").click()
    expect(me.locator("#e-expected_birth")).to_contain_text("不能早于")  # beside the field, the rest kept
    expect(me.locator("#f-father_name")).to_have_value("张伟")
    me.fill("#f-expected_birth", BORN.isoformat())
    me.get_by_role("button", name="提交登记").click()
    expect(me.locator("#receipt")).to_contain_text("已登记，无需审批")
    reg_no = me.locator("#reg-no").inner_text()
    pdf = me.request.get(base_url + me.locator("#certificate-link").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    shot(me, screenshot_dir, "registration-receipt-phone")

    me.get_by_role("link", name="孩子出生后：办理出生一件事").click()
    expect(me.locator("#f-registration_no")).to_have_value(reg_no)
    me.fill("#f-child_name", "张小二")
    me.select_option("#f-child_sex", "M")
    me.fill("#f-child_birth_date", BORN.isoformat())
    me.fill("#f-birth_hospital", "淄博市妇幼保健院")
    me.fill("#f-phone", "13800000021")
    me.get_by_role("button", name="提交").click()
    expect(me.locator("#bundle-tasks")).to_contain_text("出生医学证明")
    expect(me.locator("#bundle-tasks")).to_contain_text("户口登记")
    shot(me, screenshot_dir, "bundle-timeline-phone")

    me.get_by_role("link", name="申请待遇").click()
    expect(me.locator("#prefill-source")).to_be_visible()
    me.select_option("#f-program", "zibo.nursery_fee_subsidy")
    expect(me.locator("#f-c2_name")).to_have_value("张小二")
    me.fill("#f-town", TOWN)
    me.fill("#f-c1_name", "张小一")
    me.fill("#f-c1_id_number", CHILD1)
    me.fill("#f-c2_id_number", CHILD2)
    me.check("#f-c2_nursery")
    me.fill("#f-account_no", "6217000000000000021")
    me.fill("#f-bank_code", "ZBBANK")
    me.get_by_role("button", name="先用规则引擎核对").click()
    expect(me.locator("#engine-verdict")).to_contain_text("每人每月300元")
    me.get_by_role("button", name="提交申请").click()
    expect(me.locator("#case-status")).to_have_text("已提交")
    case_no = me.url.split("/applications/")[1].split("?")[0]

    # --- the town, then the county -------------------------------------------------------------------------
    tctx, town = context()
    sign_in(town, base_url, accounts["town_official"])
    town.goto(f"{base_url}/staff")
    town.locator(f'[data-case="{case_no}"] a').click()
    expect(town.locator("#case-explanation")).to_contain_text("已备案的托育服务机构")
    town.get_by_role("button", name="受理").click()
    expect(town.locator("#done")).to_contain_text("town_review")
    town.locator(f'[data-case="{case_no}"] a').click()  # still in the town's queue, now under review
    shot(town, screenshot_dir, "review-town")
    town.get_by_role("button", name="审核通过，报县级确认").click()
    expect(town.locator("#done")).to_contain_text("county_confirmation")

    cctx, county = context()
    sign_in(county, base_url, accounts["county_official"])
    county.goto(f"{base_url}/staff")
    county.locator(f'[data-case="{case_no}"] a').click()
    county.get_by_role("button", name="批准", exact=True).click()
    expect(county.locator("#done")).to_contain_text("approved")

    # --- the payment cycle -----------------------------------------------------------------------------------
    county.goto(f"{base_url}/payments")
    county.select_option("#f-program", "zibo.nursery_fee_subsidy")
    county.fill("#f-period", f"{BORN:%Y-%m}")
    county.get_by_role("button", name="生成").click()
    expect(county.locator("#batch-status")).to_have_text("draft")
    with county.expect_download() as download:
        county.get_by_role("button", name="导出银行发放文件").click()
    exported = Path(download.value.path()).read_bytes()
    assert "刘芳" in exported.decode("utf-8-sig") and MOTHER not in exported.decode("utf-8-sig")
    county.reload()
    expect(county.locator("#batch-status")).to_have_text("exported")
    county.set_input_files(
        "#f-file", files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": return_file(exported)}]
    )
    county.get_by_role("button", name="导入回盘文件").click()
    expect(county.locator("#imported")).to_be_visible()
    expect(county.locator("#batch-status")).to_have_text("reconciled")
    shot(county, screenshot_dir, "payment-batch")

    # --- the mother sees it paid ------------------------------------------------------------------------------
    me.goto(f"{base_url}/services/payments")
    expect(me.locator(f'#my-payments tr[data-period="{BORN:%Y-%m}"]')).to_contain_text("已发放")
    me.goto(f"{base_url}/applications/{case_no}")
    expect(me.locator("#case-status")).to_have_text("已批准")
    shot(me, screenshot_dir, "application-paid-phone")
    for ctx in (mctx, tctx, cctx):
        ctx.close()
    assert dt.date.today() >= BORN
