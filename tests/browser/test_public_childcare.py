"""The public list of filed 托育 facilities, in Chinese and in English, on a desktop and on a phone."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "childcare"))
from helpers import filed_facility  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def facilities(base_url):
    from cradle.db import session_scope

    with session_scope(os.environ["CRADLE_DATABASE_URL"]) as s:
        for n, (region, name, kind, lat, lon) in enumerate(
            [
                ("370303", "张店区示范托育中心", "public", 36.80, 118.05),
                ("370303", "张店区阳光宝贝托育园", "inclusive_private", 36.78, 118.02),
                ("370302", "淄川区机关托育园", "employer", 36.64, 117.97),
            ],
            start=901,
        ):
            filed_facility(s, n, region=region, name=name, type=kind, lat=lat, lon=lon)


def test_public_childcare_page_in_both_languages(
    facilities, desktop: Page, phone: Page, base_url, screenshot_dir
):
    page = desktop
    page.goto(f"{base_url}/childcare?region=370300")
    expect(page.locator("h1")).to_have_text("托育机构信息公示")
    expect(page.locator("main h2").first).to_contain_text("淄川区")
    page.screenshot(path=screenshot_dir / "childcare-public-desktop.png", full_page=True)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Childcare institution disclosure")
    expect(page.locator("main h2").first).to_contain_text("Zichuan District")
    expect(page.locator("main table th").first).to_have_text("Institution")
    page.screenshot(path=screenshot_dir / "childcare-public-en.png", full_page=True)

    phone.goto(f"{base_url}/childcare?region=370300&lang=en")
    expect(phone.locator("h1")).to_have_text("Childcare institution disclosure")
    phone.screenshot(path=screenshot_dir / "childcare-public-en-phone.png", full_page=True)
