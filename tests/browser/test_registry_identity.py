"""A 张店区 county official, on a phone, in Chinese and in English, confirms in the identity review that a record
without an ID number is the registered person it looks like, giving a reason; the match leaves the queue and the
merge is listed. A 淄博市 official reads the same merge with the ID number masked. In Debian's chromium."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import Page, expect

from cradle.idcard import make_id_number, mask

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "Identity-Passw0rd!"
WALKS = {
    "zh": {
        "name": "核对测试甲",
        "order": 11,
        "title": "身份核对",
        "queue": "待确认的疑似同一人",
        "no_number": "（无身份证号码）",
        "confirm": "确认：是同一人",
        "missing_reason": "请说明理由",
        "reason": "户籍底册核实为同一人",
        "confirmed": "已确认为同一人：",
        "office": "张店区 区县经办人",
    },
    "en": {
        "name": "核对测试乙",
        "order": 13,
        "title": "Identity review",
        "queue": "Possible duplicates waiting for a decision",
        "no_number": "(no ID number)",
        "confirm": "Confirm: the same person",
        "missing_reason": "Give a reason",
        "reason": "Same person in the hukou register",
        "confirmed": "Match confirmed:",
        "office": "Zhangdian District county officer",
    },
}


def _pending_match(url: str, name: str, id_number: str) -> int:
    """A registered person and a record of the same name, sex and birth date without an ID number, queued as a
    possible match, as the identity check leaves them (seeded the way tests/auth/seed.py does)."""
    from cradle.db import session_scope
    from cradle.registry import identity
    from cradle.registry import models as m

    born = dt.date(1993, 7, 8)
    with session_scope(url) as s:
        person = m.Person(name=name, sex="F", birth_date=born, region="370303", id_number=id_number)
        record = m.Person(name=name, sex="F", birth_date=born, region="370303")
        s.add_all([person, record])
        s.flush()
        candidate = m.MatchCandidate(
            person_id=record.id, candidate_id=person.id, basis=identity.BASIS, status="pending"
        )
        s.add(candidate)
        s.flush()
        return candidate.id


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="登录").click()  # pages are Chinese until the person picks English
    page.wait_for_url(re.compile(r"/home$"))


def _waiting(page: Page, queue: str) -> int:
    heading = page.get_by_role("heading", name=re.compile(re.escape(queue)))
    return int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))


@pytest.mark.parametrize("lang", WALKS)
def test_an_official_confirms_a_match_with_a_reason(base_url, browser, phone, screenshot_dir, lang):
    from cradle.auth.testing import make_account

    walk = WALKS[lang]
    url = os.environ["CRADLE_DATABASE_URL"]
    id_number = make_id_number("370303", dt.date(1993, 7, 8), walk["order"], "F")
    candidate = _pending_match(url, walk["name"], id_number)
    county = make_account(url, "county_official", "370303", password=PASSWORD).username
    _sign_in(phone, base_url, county)

    phone.goto(f"{base_url}/registry/identity?lang={lang}")
    expect(phone.locator("h1")).to_have_text(walk["title"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # fits the phone
    pair = phone.locator(f"#candidate-{candidate}")
    expect(pair).to_contain_text(walk["name"])
    expect(pair).to_contain_text(walk["no_number"])  # the record that was queued has no number
    expect(pair).to_contain_text(id_number)  # a county official handles cases here: the number in full
    waiting = _waiting(phone, walk["queue"])

    pair.get_by_role("button", name=walk["confirm"]).click()  # no reason given: refused beside the field
    expect(phone.locator(f"#reason-{candidate}-error")).to_have_text(walk["missing_reason"])
    expect(phone.locator(f"#candidate-{candidate}")).to_be_visible()
    assert _waiting(phone, walk["queue"]) == waiting

    phone.fill(f"#reason-{candidate}", walk["reason"])
    phone.locator(f"#candidate-{candidate}").get_by_role("button", name=walk["confirm"]).click()
    # the confirmation names the two records (the one without a number, then the person), not an internal number
    expect(phone.get_by_role("status")).to_have_text(
        f"{walk['confirmed']} {walk['name']} {walk['no_number']} · {walk['name']} {id_number}"
    )
    expect(phone.locator(f"#candidate-{candidate}")).to_have_count(0)
    assert _waiting(phone, walk["queue"]) == waiting - 1
    merge = phone.locator("article[id^=merge-]", has_text=walk["reason"])
    expect(merge).to_have_count(1)
    expect(merge).to_contain_text(walk["name"])
    expect(merge).to_contain_text(walk["office"])  # who merged: the office, as people name it
    phone.screenshot(path=str(screenshot_dir / f"registry-identity-{lang}-phone.png"), full_page=True)

    # a 淄博市 official reads the merge but not the number, and has nothing to decide with
    city = make_account(url, "city_official", "370300", password=PASSWORD).username
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    try:
        other = context.new_page()
        _sign_in(other, base_url, city)
        other.goto(f"{base_url}/registry/identity?lang={lang}")
        merge = other.locator("article[id^=merge-]", has_text=walk["reason"])
        expect(merge).to_contain_text(mask(id_number))
        expect(merge).not_to_contain_text(id_number)
        expect(merge.locator("form")).to_have_count(0)
    finally:
        context.close()
