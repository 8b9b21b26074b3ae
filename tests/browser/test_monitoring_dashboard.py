"""The monitoring dashboard in chromium: ECharts (served from /static/vendor) draws the trend and the districts,
the page fits a phone, and the drill-down goes from the city to a district."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SEED = Path(__file__).resolve().parents[1] / "monitoring" / "test_report_seed.py"


@pytest.fixture(scope="module")
def seeded(base_url):
    from cradle.db import session_scope

    spec = importlib.util.spec_from_file_location("monitoring_report_seed", SEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with session_scope(os.environ["CRADLE_DATABASE_URL"]) as s:
        module.seed(s)
    return base_url


def test_city_dashboard_on_a_phone_draws_charts_and_drills_down(seeded, phone, screenshot_dir):
    phone.goto(f"{seeded}/monitoring/370300?year=2024")
    card = phone.locator('[data-indicator="childcare_places_per_1000"]')
    expect(card.locator(".mon-number")).to_have_text("4.1")
    expect(card.locator(".mon-badge")).to_have_text("有风险")
    expect(card.locator(".mon-chart svg path").first).to_be_attached()  # ECharts drew the trend
    wide = phone.evaluate("""[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll')).filter(e => e.getBoundingClientRect().right > 376)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375, wide  # nothing wider than the phone
    assert phone.evaluate("typeof window.echarts") == "object"
    phone.screenshot(path=str(screenshot_dir / "monitoring-phone.png"), full_page=False)
    phone.get_by_role("link", name="淄川区").click()
    expect(phone).to_have_url(f"{seeded}/monitoring/370302?year=2024")
    expect(phone.locator("h1")).to_contain_text("淄川区")
    expect(phone.locator('[data-indicator="childcare_places_per_1000"] .mon-number')).to_have_text("3.2")


def test_indicator_page_bar_chart_links_to_districts(seeded, desktop, screenshot_dir):
    desktop.goto(f"{seeded}/monitoring/370300/indicators/childcare_places_per_1000?year=2024")
    charts = desktop.locator(".mon-chart")
    expect(charts).to_have_count(2)
    expect(charts.nth(1).locator("svg")).to_be_attached()
    expect(charts.nth(1)).to_contain_text("张店区")  # bar labels rendered by ECharts
    desktop.screenshot(path=str(screenshot_dir / "monitoring-indicator-desktop.png"), full_page=True)
