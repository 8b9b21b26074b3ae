"""A 张店区 公安 clerk, on a phone, in Chinese and in English, uploads a feed file with a bad row (progress shown,
then the run's summary), corrects the row in the quarantine, submits it again and finds the person's history. In
Debian's chromium."""

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
# Each language's walk files its own records (record numbers are unique per department, ID numbers per person).
WALKS = {
    "zh": {
        "records": ("B1", "B2", "HB1"),
        "order": (3, 5),
        "names": ("浏览器测试甲", "浏览器测试乙"),
        "upload_title": "上传数据文件",
        "upload": "上传并导入",
        "run": "导入批次",
        "to_quarantine": "到隔离区更正",
        "id_error": "身份证号码应为17位数字加1位数字或X",
        "save": "保存并重新提交",
        "resubmitted": "已重新提交",
    },
    "en": {
        "records": ("E1", "E2", "HE1"),
        "order": (7, 9),
        "names": ("浏览器测试丙", "浏览器测试丁"),
        "upload_title": "Upload a feed file",
        "upload": "Upload and import",
        "run": "Ingest run",
        "to_quarantine": "Correct in the quarantine",
        "id_error": "The ID number should be 17 digits followed by a digit or X",
        "save": "Save and submit again",
        "resubmitted": "resubmitted",
    },
}


@pytest.mark.parametrize("lang", WALKS)
def test_a_clerk_uploads_corrects_a_bad_row_and_sees_the_person(
    base_url, phone, tmp_path, screenshot_dir, lang
):
    from cradle.auth.testing import make_account

    walk = WALKS[lang]
    url = os.environ["CRADLE_DATABASE_URL"]
    clerk = make_account(url, "dept_clerk", "370303", department="gongan", password=PASSWORD).username
    good, fixed = (make_id_number("370303", dt.date(1992, 4, 5), n, "F") for n in walk["order"])
    (first, second, household), (name, bad_name) = walk["records"], walk["names"]
    feed = tmp_path / "gongan.csv"
    feed.write_text(
        HEAD + f"{first},{good},{name},2,1992-04-05,register,1992-04-05,370303,{household},02\n"
        f"{second},{fixed[:-1]}Q,{bad_name},2,1992-04-05,register,1992-04-05,370303,{household},20\n",
        encoding="utf-8",
    )
    phone.goto(f"{base_url}/auth/login")
    phone.fill("#f-username", clerk)
    phone.fill("#f-password", PASSWORD)
    phone.get_by_role("button", name="登录").click()  # pages are Chinese until the person picks English
    phone.wait_for_url(re.compile(r"/home$"))

    phone.goto(f"{base_url}/registry/uploads?lang={lang}")
    expect(phone.locator("h1")).to_have_text(walk["upload_title"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # fits the phone
    phone.set_input_files("#u-file", str(feed))
    phone.get_by_role("button", name=walk["upload"]).click()
    phone.wait_for_url(re.compile(r"/registry/runs/\d+$"))
    expect(phone.locator("h1")).to_contain_text(walk["run"])
    expect(phone.locator("main")).to_contain_text(bad_name)
    phone.screenshot(path=str(screenshot_dir / f"registry-upload-run-{lang}-phone.png"), full_page=True)

    phone.get_by_role("link", name=walk["to_quarantine"]).click()
    phone.locator("main table").get_by_role("link", name="3", exact=True).click()  # line 3: the bad one
    expect(phone.locator("#id_number-error")).to_contain_text(walk["id_error"])
    phone.fill("#v-id_number", fixed)
    phone.get_by_role("button", name=walk["save"]).click()
    expect(phone.locator("main")).to_contain_text(walk["resubmitted"])
    phone.locator("#stored-person").click()
    expect(phone.locator("h1")).to_have_text(bad_name)
    expect(phone.locator("main")).to_contain_text(fixed)  # 公安 handles cases: the number in full
    phone.screenshot(path=str(screenshot_dir / f"registry-person-{lang}-phone.png"), full_page=True)
