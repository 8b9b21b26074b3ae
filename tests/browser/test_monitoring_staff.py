"""Officials' monitoring pages in chromium, in Chinese and English, at phone width: a 教育局 account reports on its
plan task with evidence and the 卫健 office accepts it, an overdue task warns, the household survey is drawn and
its results entered, a what-if shows its chart, and the dashboard shows a warning and the projection."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SEED = Path(__file__).resolve().parents[1] / "monitoring" / "test_report_seed.py"
PHONE_WIDTH = 375
TASK = "扩增公办学前教育资源，普惠性幼儿园覆盖率达到90%以上"  # 淄博 二（四）3, led by the 教育局


@pytest.fixture(scope="module")
def world(base_url, tmp_path_factory):
    from cradle.auth.testing import PASSWORD, make_account
    from cradle.db import session_scope
    from cradle.registry.models import HukouEvent, IngestRun, Person, SourceRecord

    url = os.environ["CRADLE_DATABASE_URL"]  # the served database (set by base_url)
    previous = os.environ.get("CRADLE_DATA_DIR")
    os.environ["CRADLE_DATA_DIR"] = str(tmp_path_factory.mktemp("runs"))  # the what-if's files
    make_account(url, "dept_clerk", "370303", username="mon-jiaoyu", name="王芳", department="jiaoyu")
    make_account(url, "dept_clerk", "370303", username="mon-weijian", name="李主任", department="weijian")
    make_account(url, "county_official", "370305", username="mon-linzi", name="孙科长")
    make_account(url, "county_official", "370303", username="mon-zhangdian", name="赵科长")
    with session_scope(url) as s:  # 临淄区's registry: four households of three
        run = IngestRun(dept="gongan", file_name="linzi.csv")
        s.add(run)
        s.flush()
        for n in range(12):
            p = Person(name="x", sex="F" if n % 2 else "M", birth_date=dt.date(1990, 1, 1))
            src = SourceRecord(
                dept="gongan",
                record_no=f"L{n}",
                row_hash=10_000 + n,
                run_id=run.id,
                row_no=n,
                event="register",
            )
            s.add_all([p, src])
            s.flush()
            s.add(
                HukouEvent(
                    source_id=src.id,
                    person_id=p.id,
                    event="register",
                    region="370305",
                    household_no=f"LZ{n // 3}",
                    hukou_type="urban",
                    valid_from=p.birth_date,
                )
            )
    spec = importlib.util.spec_from_file_location("monitoring_report_seed_staff", SEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with session_scope(url) as s:  # 淄博's values: births down 13% (a warning)
        module.seed(s)
    yield {"password": PASSWORD}
    if previous is None:
        os.environ.pop("CRADLE_DATA_DIR", None)
    else:
        os.environ["CRADLE_DATA_DIR"] = previous


def sign_in(page, base_url, username, password, next_path):
    page.goto(f"{base_url}/auth/login?next={quote(next_path)}")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.locator("#f-password").press("Enter")
    page.wait_for_url(f"{base_url}{next_path.split('#')[0]}*")


def sign_out(page):
    page.locator("form[action='/auth/logout'] button").first.click()
    expect(page.locator("#sign-in-link")).to_be_visible()


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_education_bureau_reports_with_evidence_and_the_health_office_accepts(
    phone, base_url, world, tmp_path, screenshot_dir
):
    page, password = phone, world["password"]
    sign_in(page, base_url, "mon-jiaoyu", password, "/monitoring/370303/plan")
    expect(page.locator("#my-unit")).to_contain_text("张店区教育局")
    overdue = page.locator("#my-overdue")  # 2025's items were due at the year's end
    expect(overdue).to_contain_text("逾期")
    expect(overdue).to_contain_text(TASK)
    fits_the_phone(page)
    overdue.get_by_role("link", name=TASK).click()
    expect(page.locator("h1")).to_have_text(TASK)
    evidence = tmp_path / "托班名单.pdf"
    evidence.write_bytes(b"%PDF-1.4 list of the nursery classes")
    page.fill("#f-progress", "新改扩建公办幼儿园12所，普惠性幼儿园覆盖率91%")
    page.fill("#f-figures-0-label", "普惠性幼儿园覆盖率")
    page.fill("#f-figures-0-value", "91")
    page.fill("#f-figures-0-unit", "%")
    page.set_input_files("#f-files", str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator("#report-saved")).to_be_visible()
    report = page.locator("article.plan-report").first
    expect(report).to_have_attribute("data-status", "submitted")
    expect(report).to_contain_text("托班名单.pdf")
    fits_the_phone(page)
    sign_out(page)
    sign_in(page, base_url, "mon-weijian", password, "/monitoring/370303/plan/tasks/zibo.4-3.1")
    report = page.locator("article.plan-report").first
    expect(report).to_contain_text("王芳")
    report.get_by_role("button", name="验收通过").click()
    expect(page.locator("article.plan-report").first).to_have_attribute("data-status", "accepted")
    expect(page.locator("article.plan-report").first).to_contain_text("李主任验收通过")
    fits_the_phone(page)
    page.screenshot(path=str(screenshot_dir / "monitoring-plan-task-phone.png"), full_page=False)


def test_the_health_office_sees_the_overdue_items_in_english(phone, base_url, world):
    page = phone
    sign_in(page, base_url, "mon-weijian", world["password"], "/monitoring/370303/plan?lang=en")
    expect(page.locator("h1")).to_have_text("Zhangdian District: implementation plan and assessment")
    expect(page.locator("#all-overdue")).to_contain_text("items of the plan are overdue across the units")
    expect(page.locator("#score-units")).to_contain_text("Zhangdian District Health Bureau")
    fits_the_phone(page)


@pytest.mark.parametrize(
    "lang, year, draw, sample, save, births_label",
    [
        ("en", 2024, "Draw the sample", "Sample", "Save the results", "Births in the year"),
        ("zh", 2023, "抽取", "样本", "保存", "年内出生"),
    ],
)
def test_the_survey_is_drawn_and_its_results_entered(
    phone, base_url, world, lang, year, draw, sample, save, births_label
):
    page = phone
    sign_in(page, base_url, "mon-linzi", world["password"], f"/monitoring/370305/survey?lang={lang}")
    page.fill("#f-year", str(year))
    page.fill("#f-fraction", "1")
    page.fill("#f-seed", "11")
    page.get_by_role("button", name=draw).click()
    expect(page.locator("h1")).to_contain_text(sample)
    expect(page.locator("#sample-table tbody tr")).to_have_count(4)
    for n in range(4):
        page.select_option("#f-household_no", f"LZ{n}")
        page.fill("#f-persons", "3")
        page.fill("#f-births", "1" if n < 2 else "0")
        page.fill("#f-under3", "1")
        page.get_by_role("button", name=save).click()
        expect(page.locator("#results-saved")).to_be_visible()
    births = page.locator('#estimate-table tr[data-quantity="births"]')
    expect(births).to_contain_text(births_label)
    expect(births.locator("td").first).to_have_text("2")
    fits_the_phone(page)


@pytest.mark.parametrize(
    "width, lang, run, baseline, county",
    [
        ("desktop", "zh", "开始模拟", "现行政策", "张店区"),
        ("phone", "en", "Run the what-if", "Baseline", "Zhangdian"),
    ],
)
def test_a_whatif_shows_its_chart(
    request, base_url, world, screenshot_dir, width, lang, run, baseline, county
):
    page = request.getfixturevalue(width)
    sign_in(page, base_url, "mon-zhangdian", world["password"], f"/whatif?region=370303&lang={lang}")
    page.select_option("#f-parameter", "zibo.nursery_fee_subsidy.second_child")
    page.fill("#f-value", "600")
    page.fill("#f-years", "2025-2027")
    page.fill("#f-on", "2025-06-30")
    page.check("#f-source-synthetic")
    page.fill("#f-persons", "3000")
    page.get_by_role("button", name=run).click()
    expect(page.locator("#run-status")).to_have_attribute("data-status", "done", timeout=60_000)
    chart = page.locator("#whatif-chart")
    expect(chart.locator("svg path").first).to_be_attached()  # ECharts drew the bars
    expect(chart).to_contain_text(baseline)
    expect(page.locator("#whatif-table")).to_contain_text(county)
    expect(page.locator("#download")).to_be_visible()
    if width == "phone":
        fits_the_phone(page)
    else:
        page.screenshot(path=str(screenshot_dir / "monitoring-whatif-desktop.png"), full_page=True)


@pytest.mark.parametrize(
    "lang, warning", [("zh", "比上年下降13.3%"), ("en", "down 13.3% on the year before")]
)
def test_the_dashboard_shows_a_warning_and_the_projection(phone, base_url, world, lang, warning):
    page = phone
    page.goto(f"{base_url}/monitoring/370300?year=2024&lang={lang}")
    expect(page.locator("#warnings .mon-warnings").first).to_contain_text(warning)
    expect(page.locator("#projection-table tbody tr").first).to_be_visible()
    expect(page.locator("#projection .mon-chart svg path").first).to_be_attached()
    fits_the_phone(page)
