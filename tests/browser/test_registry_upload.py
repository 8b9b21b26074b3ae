"""A 张店区 公安 clerk, on a phone, uploads a feed file with a bad row (progress shown, then the run's summary),
corrects the row in the quarantine, submits it again and finds the person's history. In Debian's chromium."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import expect

from cradle.idcard import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "Upload-Passw0rd!"
HEAD = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region,household_no,relation_to_head\n"


def test_a_clerk_uploads_corrects_a_bad_row_and_sees_the_person(base_url, phone, tmp_path, screenshot_dir):
    from cradle.auth.testing import make_account

    url = os.environ["CRADLE_DATABASE_URL"]
    clerk = make_account(url, "dept_clerk", "370303", department="gongan", password=PASSWORD).username
    good = make_id_number("370303", dt.date(1992, 4, 5), 3, "F")
    fixed = make_id_number("370303", dt.date(1992, 4, 5), 5, "F")
    feed = tmp_path / "gongan.csv"
    feed.write_text(
        HEAD + f"B1,{good},浏览器测试甲,2,1992-04-05,register,1992-04-05,370303,HB1,02\n"
        f"B2,{fixed[:-1]}Q,浏览器测试乙,2,1992-04-05,register,1992-04-05,370303,HB1,20\n",
        encoding="utf-8",
    )
    phone.goto(f"{base_url}/auth/login")
    phone.fill("#f-username", clerk)
    phone.fill("#f-password", PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"/home$"))

    phone.goto(f"{base_url}/registry/uploads")
    expect(phone.locator("h1")).to_have_text("上传数据文件")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # fits the phone
    phone.set_input_files("#u-file", str(feed))
    phone.get_by_role("button", name="上传并导入").click()
    phone.wait_for_url(re.compile(r"/registry/runs/\d+$"))
    expect(phone.locator("h1")).to_contain_text("导入批次")
    expect(phone.locator("main")).to_contain_text("浏览器测试乙")
    phone.screenshot(path=str(screenshot_dir / "registry-upload-run-phone.png"), full_page=True)

    phone.get_by_role("link", name="到隔离区更正").click()
    phone.locator("main table").get_by_role("link", name="3", exact=True).click()  # line 3: the bad one
    expect(phone.locator("#id_number-error")).to_contain_text("身份证号码应为17位数字加1位数字或X")
    phone.fill("#v-id_number", fixed)
    phone.get_by_role("button", name="保存并重新提交").click()
    expect(phone.locator("main")).to_contain_text("已重新提交")
    phone.locator("#stored-person").click()
    expect(phone.locator("h1")).to_have_text("浏览器测试乙")
    expect(phone.locator("main")).to_contain_text(fixed)  # 公安 handles cases: the number in full
    phone.screenshot(path=str(screenshot_dir / "registry-person-phone.png"), full_page=True)
