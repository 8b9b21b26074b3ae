"""The scorecard's judgements and the annual report: built from stored values, payments made through the
payments service, rendered to a PDF whose pages and text are checked."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from cradle.db import session_scope
from cradle.monitoring import catalogue
from cradle.monitoring.report import annual, charts, render, scorecard


def _load_seed():
    """The shared values (test modules are imported by path, so the helper is too)."""
    spec = importlib.util.spec_from_file_location(
        "monitoring_report_seed", Path(__file__).with_name("test_report_seed.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


seed = _load_seed()

TODAY = dt.date(2025, 6, 30)


def _target(indicator: str, jurisdiction: str) -> scorecard.TargetView:
    t = next(
        t for t in catalogue.load().targets if t.indicator == indicator and t.jurisdiction == jurisdiction
    )
    return scorecard.TargetView(t, "own", t.describe())


@pytest.mark.parametrize(
    ("series", "year", "status"),
    [
        ({2024: 4.8}, 2024, "on_track"),  # meets ≥ 4.7 already
        ({2022: 3.0, 2023: 3.9, 2024: 4.4}, 2024, "on_track"),  # trend 4.4 + 0.7 reaches it in 2025
        ({2022: 3.1, 2023: 3.6, 2024: 4.1}, 2024, "at_risk"),  # trend gives 4.6 in 2025
        ({2024: 4.1}, 2024, "at_risk"),  # one point: no trend, not met
        ({2025: 4.5}, 2025, "missed"),  # target year reached
        ({2023: 4.0}, 2024, "no_data"),
    ],
)
def test_judge_numeric_target(series, year, status):
    assert scorecard.judge(_target("childcare_places_per_1000", "370300"), series, year).status == status


def test_judge_increase_normal_plan_and_no_target():
    tfr = _target("total_fertility_rate", "620400")  # 生育水平适当提高 by 2025
    assert scorecard.judge(tfr, {2023: 1.1, 2024: 1.2}, 2024).status == "on_track"
    assert scorecard.judge(tfr, {2023: 1.2, 2024: 1.1}, 2024).status == "at_risk"
    assert scorecard.judge(tfr, {2024: 1.0, 2025: 0.9}, 2025).status == "missed"
    assert scorecard.judge(tfr, {2024: 1.2}, 2024).status == "unjudged"
    srb = _target("sex_ratio_at_birth", "620400")  # 基本正常: 103–107
    assert scorecard.judge(srb, {2024: 105.0}, 2024).status == "on_track"
    assert scorecard.judge(srb, {2025: 110.0}, 2025).status == "missed"
    plan_target = _target("maternal_mortality", "140000")  # 控制在规划目标之内: no number
    assert scorecard.judge(plan_target, {2024: 9.0}, 2024).status == "unjudged"
    assert scorecard.judge(None, {2024: 9.0}, 2024).status == "no_target"


def test_choose_target_prefers_own_then_each_then_benchmark():
    assert scorecard.choose_target("370300", "childcare_places_per_1000").scope == "own"
    county = scorecard.choose_target("370303", "public_childcare_institutions")
    assert county.scope == "each" and county.target.jurisdiction == "370300"
    bench = scorecard.choose_target("370303", "childcare_places_per_1000")
    assert bench.scope == "benchmark" and "参照淄博市目标" in bench.text and "≥ 4.7" in bench.text


def test_format_value_and_svg_charts():
    assert [scorecard.format_value(v) for v in (26000.0, 1.2345, 108.7, 4.0, None)] == [
        "26,000",
        "1.23",
        "108.7",
        "4",
        "—",
    ]
    assert scorecard.format_value(2.9, "‰") == "2.9‰"
    svg = charts.line_chart({"托位": {2022: 3.1, 2023: 3.6, 2024: 4.1}}, target=4.7)
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and "目标 4.7" in svg
    assert "无数据" in charts.bar_chart([("淄川区", None, "#888"), ("张店区", 4.9, "#1e7b34")])


@pytest.fixture
def db(tmp_path_factory, tmp_path, monkeypatch):
    url = seed.seeded_copy(tmp_path_factory, tmp_path)
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    return url


def _pay_zhangdian(url: str, tmp_path: Path) -> None:
    """Three 托育费补助 entitlements in 张店区, the May 2024 batch, the bank paying two and failing one."""
    from cradle.auth.actor import SYSTEM
    from cradle.idcard import make_id_number
    from cradle.payments import bankfile, batches, entitlements

    program, county = "zibo.nursery_fee_subsidy", "370303"
    with session_scope(url) as s:
        for i in range(3):
            entitlements.register(
                s,
                SYSTEM,
                case_ref=f"case:R{i}",
                program=program,
                beneficiary_id_number=make_id_number(county, dt.date(2022, 5, 1), i, "M"),
                beneficiary_name=f"孩{i}",
                payee_id_number=make_id_number(county, dt.date(1992, 1, 1), i, "F"),
                payee_name=f"母{i}",
                account_no=f"62170000{i:011d}",
                bank_code="ZBBANK",
                county=county,
                amount=Decimal("300"),
                frequency="monthly",
                start=dt.date(2024, 1, 1),
                end=dt.date(2025, 5, 1),
            )
        batch = batches.generate(s, SYSTEM, program, "2024-05", county)
        batch_no = batch.batch_no
        bankfile.export(s, SYSTEM, batch_no, tmp_path / "bank.csv")
    import csv

    with open(tmp_path / "bank.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(bankfile.RETURN_COLUMNS)
    for row, code in zip(rows, ("S", "S", "F"), strict=True):
        w.writerow(
            [row["付款编号"], code, f"B{row['序号']}", "" if code == "S" else "账户已销户", row["金额"]]
        )
    with session_scope(url) as s:
        bankfile.import_return(s, SYSTEM, batch_no, out.getvalue().encode("utf-8"))


def test_scorecard_values_status_rank_and_units(db):
    with session_scope(db) as s:
        card = scorecard.build(s, "370300", 2024)
    places = card.row("childcare_places_per_1000")
    assert (places.value, places.status, places.rank, places.peers_with_value) == (4.1, "at_risk", 2, 3)
    assert places.judgement.projected == pytest.approx(4.6)
    assert {u.name: u.value for u in places.units if u.value is not None} == {"淄川区": 3.2, "张店区": 4.9}
    # a district has no own target: it is measured against 淄博's as a benchmark
    assert {u.region: u.status for u in places.units}["370303"] == "on_track"
    assert card.row("infant_mortality").status == "on_track"
    assert card.row("under5_mortality").status == "at_risk"
    assert card.row("maternal_mortality").status == "no_data"
    assert card.row("births").status == "no_target"


def test_annual_report_pdf_pages_text_and_benefits(db, tmp_path):
    _pay_zhangdian(db, tmp_path)
    with session_scope(db) as s:
        rep = annual.build(s, "370300", 2024, TODAY)
    assert [(b.county_name, b.paid_count, b.paid_amount, b.outstanding_count) for b in rep.benefits] == [
        ("张店区", 2, Decimal("600.00"), 1)
    ]
    assert any(w.kind == "band" and w.indicator == "births" for w in rep.warnings)  # 30,000 → 26,000
    assert rep.projection is not None and rep.projection.years[0] == 2025
    tasks = {r.task.id for r in rep.plan}  # 淄博's tasks less the four each 区县 carries out
    assert len(tasks) == 34 and "zibo.3-2.1" in tasks and "zibo.3-3.1" not in tasks
    pdf = render.pdf(rep)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    text = "\n".join(p.extract_text() for p in reader.pages)
    for heading in (
        "淄博市2024年优化生育政策实施情况监测评估报告",
        "一、总体情况",
        "二、主要指标与目标",
        "三、生育支持待遇发放情况",
        "四、托育服务能力",
        "五、实施方案任务推进情况",
        "六、监测预警",
        "七、人口发展预测",
    ):
        assert heading in text
    assert "每千人口拥有3岁以下婴幼儿托位数" in text and "4.1" in text and "2/3" in text
    assert "600.00" in text and "张店区" in text
    assert "比上年下降13.3%" in text  # the births warning
    assert f"{rep.projection.population['中方案'][-1]:,.0f}" in text


def test_report_without_payments_says_so(db):
    with session_scope(db) as s:
        rep = annual.build(s, "370300", 2024, TODAY)
    assert rep.benefits == []
    assert "本年度无发放记录" in render.html(rep)
    # The web page in English: the fixed text, the summary, the statuses and the scenarios translated for display.
    english = render.html(rep, locale="en")
    assert '<html lang="en"' in english and "1. Overview" in english and "No payments this year" in english
    assert "No benefit payments this year." in english and "indicators monitored" in english
    assert "Medium variant" in english and "Overdue items" in english and "总体情况" not in english
    assert "无发放记录" not in english and "逾期事项" not in english and "中方案" not in english
    assert rep.projection.population["中方案"]  # the data keys stay Chinese


def test_cli_writes_html(db, tmp_path):
    from typer.testing import CliRunner

    from cradle.cli import app

    result = CliRunner().invoke(
        app,
        [
            "report",
            "--region",
            "370300",
            "--year",
            "2024",
            "--out",
            str(tmp_path),
            "--html-only",
            "--today",
            "2025-06-30",
        ],
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "monitoring_report_370300_2024.html").read_text(encoding="utf-8")
    assert "淄博市2024年" in html and "4.1" in html
    assert "每千人口拥有3岁以下婴幼儿托位数4.1个/千人" in result.output
    bad = CliRunner().invoke(app, ["report", "--region", "999999", "--year", "2024"])
    assert bad.exit_code == 2 and "region" in bad.output
