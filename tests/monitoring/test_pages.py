"""Monitoring pages through FastAPI's TestClient: dashboards by province, city and county, drill-down, the
indicator page, the entry form with field errors, the Excel template round trip, and the report agreeing with
the dashboard."""

from __future__ import annotations

import html as html_
import importlib.util
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cradle.db import session_scope
from cradle.monitoring import catalogue, values
from cradle.monitoring.report import scorecard
from cradle.web.app import create_app


def _load_seed():
    spec = importlib.util.spec_from_file_location(
        "monitoring_report_seed", Path(__file__).with_name("test_report_seed.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


seed = _load_seed()
ROUTERS = ["cradle.monitoring.api", "cradle.monitoring.pages"]


@pytest.fixture
def client(tmp_path_factory, tmp_path, monkeypatch):
    url = seed.seeded_copy(tmp_path_factory, tmp_path)
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    from cradle.auth.testing import bearer_for

    client = TestClient(create_app(ROUTERS))
    client.headers.update(
        bearer_for(url, "administrator", "cn")
    )  # entry and upload need a signed-in official
    return client


def _card(html: str, indicator: str) -> str:
    """The dashboard card of one indicator."""
    m = re.search(
        rf'<li class="mon-card[^"]*" data-indicator="{indicator}">(.*?)</li>\s*(?=<li class="mon-card|</ul>)',
        html,
        re.S,
    )
    assert m, f"no card for {indicator}"
    return m.group(1)


def test_city_dashboard_values_targets_status_rank_drilldown(client):
    html = client.get("/monitoring/370300", params={"year": 2024}).text
    card = _card(html, "childcare_places_per_1000")
    assert '<span class="mon-number">4.1</span>' in card
    assert "≥ 4.7 个/千人（2025年）" in card and "有风险" in card and "第2位 / 3个有数据地区" in card
    assert "按近年趋势2025年约为4.6" in card
    assert 'class="mon-card status-at_risk"' in html
    assert '<span class="mon-number">2.9‰</span>' in _card(html, "infant_mortality")
    assert "达标/进度正常" in _card(html, "infant_mortality")
    # drill-down to the districts, their values coloured by status
    assert '<a href="/monitoring/370302?year=2024">淄川区</a>' in html
    assert re.search(r'<td class="num status-on_track">4.9', html)
    # the trend chart is drawn in the browser with the locally served ECharts
    assert '<script src="/static/vendor/echarts.min.js"></script>' in html
    assert "data-chart=" in card and "&#34;values&#34;: [3.1, 3.6, 4.1]" in card


def test_province_and_county_dashboards(client):
    province = client.get("/monitoring/370000", params={"year": 2024}).text
    assert '<a href="/monitoring/370300?year=2024">淄博市</a>' in province
    assert re.search(
        r'<a href="/monitoring/370100\?year=2024">济南市</a></th>\s*<td class="num status-[a-z_]+">4',
        province,
    )
    county = client.get("/monitoring/370303", params={"year": 2024}).text
    c = _card(county, "childcare_places_per_1000")
    assert (
        '<span class="mon-number">4.9</span>' in c and "参照淄博市目标" in c and "第1位 / 2个有数据地区" in c
    )
    assert '<a href="/monitoring/370300?year=2024">淄博市</a>' in county  # breadcrumb back up
    assert client.get("/monitoring/999999").status_code == 404


def test_indicator_page_trend_units_and_peers(client):
    r = client.get("/monitoring/370300/indicators/childcare_places_per_1000", params={"year": 2024})
    assert r.status_code == 200
    html = r.text
    assert "每千人口拥有3岁以下婴幼儿托位数达到4.7个" in html  # the document's words
    assert "淄博市卫生健康委 年报（2025-02-01，淄博市卫生健康委）" in html
    peers = re.findall(
        r'<td class="num">(\d)</td><td><a [^>]+>([^<]+)</a></td><td class="num">([\d.]+)</td>', html
    )
    assert peers == [("1", "青岛市", "4.4"), ("2", "淄博市", "4.1"), ("3", "济南市", "4")]
    assert "&#34;kind&#34;: &#34;units&#34;" in html
    assert client.get("/monitoring/370300/indicators/nope").status_code == 404


def test_entry_form_shows_errors_beside_inputs_then_stores(client):
    form = client.get(
        "/monitoring/entry", params={"region": "370300", "indicator": "maternal_mortality"}
    ).text
    assert '<option value="maternal_mortality" selected>' in form
    bad = {
        "indicator_id": "maternal_mortality",
        "region": "370300",
        "year": "2024",
        "value": "abc",
        "source": "",
        "source_date": "2024-13-01",
        "department": "",
        "entered_by": "u1",
    }
    r = client.post("/monitoring/entry", data=bad)
    assert r.status_code == 422
    for field in ("value", "source", "source_date", "department"):
        assert re.search(
            rf'id="f-{field}"[^>]*aria-invalid="true"[^>]*aria-describedby="f-{field}-error">\s*'
            rf'(<p class="hint">[^<]*</p>\s*)?<p class="field-error" id="f-{field}-error">',
            r.text,
        ), field
    assert 'id="f-entered_by-error"' not in r.text
    assert 'value="abc"' in r.text  # what was typed stays
    good = {
        **bad,
        "value": "7.5",
        "source": "妇幼卫生年报 2024",
        "source_date": "2025-01-20",
        "department": "淄博市卫生健康委",
    }
    ok = client.post("/monitoring/entry", data=good)
    assert ok.status_code == 201 and "已保存：淄博市 2024年 孕产妇死亡率 = 7.5" in ok.text
    card = _card(client.get("/monitoring/370300", params={"year": 2024}).text, "maternal_mortality")
    assert '<span class="mon-number">7.5</span>' in card and "达标/进度正常" in card


def test_excel_template_download_and_upload(client):
    page = client.get("/monitoring/upload", params={"region": "370303", "year": 2024}).text
    assert 'action="/monitoring/upload/template.xlsx"' in page and 'value="370303"' in page
    assert (
        client.get("/monitoring/upload/template.xlsx", params={"region": "370399", "year": 2024}).status_code
        == 422
    )
    t = client.get("/monitoring/upload/template.xlsx", params={"region": "370303", "year": 2024})
    assert t.status_code == 200 and t.content[:2] == b"PK"
    wb = load_workbook(io.BytesIO(t.content))
    ws = wb["填报"]
    keys = [c.value for c in ws[2]]
    row = {k: i + 1 for i, k in enumerate(keys)}
    n = next(
        r
        for r in range(3, ws.max_row + 1)
        if ws.cell(r, row["indicator_id"]).value == "public_childcare_institutions"
    )
    ws.cell(n, row["value"], "two")
    buf = io.BytesIO()
    wb.save(buf)
    files = {"file": ("t.xlsx", buf.getvalue())}
    r = client.post(
        "/monitoring/upload", files=files, data={"department": "张店区卫生健康局", "entered_by": "u1"}
    )
    assert r.status_code == 422
    assert f"<code>rows[{n}].value</code>" in r.text and f"<code>rows[{n}].source</code>" in r.text
    ws.cell(n, row["value"], 2)
    ws.cell(n, row["source"], "张店区托育机构名录")
    ws.cell(n, row["source_date"], "2025-01-15")
    buf = io.BytesIO()
    wb.save(buf)
    ok = client.post(
        "/monitoring/upload",
        files={"file": ("t.xlsx", buf.getvalue())},
        data={"department": "张店区卫生健康局", "entered_by": "u1"},
    )
    assert ok.status_code == 201 and "已保存 1 个数值" in ok.text
    county = client.get("/monitoring/370303", params={"year": 2024}).text
    assert '<span class="mon-number">2</span>' in _card(county, "public_childcare_institutions")
    missing = client.post("/monitoring/upload", files=files, data={"department": "", "entered_by": "u1"})
    assert missing.status_code == 422 and "必填" in missing.text


def test_report_numbers_match_the_dashboard(client):
    """Both come from scorecard.build: every value on the dashboard is the value in the report's table."""
    dash = client.get("/monitoring/370300", params={"year": 2024}).text
    report = client.get("/monitoring/370300/report", params={"year": 2024}).text
    with session_scope() as s:
        card = scorecard.build(s, "370300", 2024)
        assert values.current(s, "childcare_places_per_1000", "370300", 2024).value == 4.1
    shown = [r for r in card.rows if r.value is not None]
    assert {r.indicator.id for r in shown} >= {"childcare_places_per_1000", "births", "infant_mortality"}
    for r in shown:
        on_dashboard = re.search(
            r'<span class="mon-number">([^<]+)</span>', _card(dash, r.indicator.id)
        ).group(1)
        in_report = re.search(
            rf"<td>{re.escape(r.indicator.name)}<br><small>[^<]*</small></td>\s*"
            r'<td class="num">([^<]+)</td>',
            report,
        ).group(1)
        assert on_dashboard == in_report == r.value_text
        assert re.search(
            rf"<td>{re.escape(r.indicator.name)}<br>.*?{re.escape(r.status_label)}", report, re.S
        )
    assert (
        client.get("/monitoring/370300/report.pdf", params={"year": 2024}).headers["content-type"]
        == "application/pdf"
    )


def test_dashboard_and_indicator_page_in_english(client):
    html = client.get("/monitoring/370300", params={"year": 2024, "lang": "en"}).text
    assert "<h1>Zibo City · 2024 monitoring dashboard</h1>" in html  # the region named in English too
    assert "<h2>Indicators</h2>" in html and "<h2>Units below (" in html
    assert '<label for="year">Year</label>' in html and ">Annual report</a>" in html
    card = _card(html, "childcare_places_per_1000")
    assert "<dt>Target</dt>" in card and "At risk" in card and "No. 2 of 3 regions with data" in card
    assert "有风险" not in html and "监测看板" not in html and "同级排名" not in html
    page = client.get(
        "/monitoring/370300/indicators/childcare_places_per_1000", params={"year": 2024, "lang": "en"}
    ).text
    assert "<h2>Trend by year</h2>" in page and "<h2>Rank among peers</h2>" in page and "历年趋势" not in page
    # the unit in the page's language (catalogue.UNITS)
    assert '<th scope="row">places per 1,000 people</th>' in page and "个/千人" not in page
    zh = client.get(
        "/monitoring/370300/indicators/childcare_places_per_1000", params={"year": 2024, "lang": "zh"}
    ).text
    assert '<th scope="row">个/千人</th>' in zh
    assert "Monitoring" in client.get("/monitoring", params={"lang": "en"}).text


HAN = re.compile(r"[\u3400-\u9fff]")
# (indicator, its name in Chinese, in English)
NAMES = [
    (
        "childcare_places_per_1000",
        "每千人口拥有3岁以下婴幼儿托位数",
        "Childcare places for children under 3 per 1,000 population",
    ),
    ("infant_mortality", "婴儿死亡率", "Infant mortality rate"),
    ("maternal_mortality", "孕产妇死亡率", "Maternal mortality ratio"),
    ("births", "出生人口数", "Births"),
]


def _heading(card: str) -> str:
    return re.search(r"<h3><a [^>]+>([^<]+)</a></h3>", card).group(1)


def test_indicators_are_named_in_the_readers_language(client):
    en = client.get("/monitoring/370300", params={"year": 2024, "lang": "en"}).text
    zh = client.get("/monitoring/370300", params={"year": 2024, "lang": "zh"}).text
    for indicator, chinese, english in NAMES:
        assert _heading(_card(en, indicator)) == english
        assert _heading(_card(zh, indicator)) == chinese  # the Chinese page as before
    headings = re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", en)
    assert len(headings) >= 8 and not [h for h in headings if HAN.search(h)]
    columns = re.search(r"<thead><tr><th>Region</th>(.*?)</tr></thead>", en).group(1)
    assert "Childcare places for children under 3 per 1,000 population" in columns and not HAN.search(columns)
    assert "&#34;name&#34;: &#34;Infant mortality rate&#34;" in _card(
        en, "infant_mortality"
    )  # the chart's series
    assert 'aria-label="Infant mortality rate: trend by year"' in _card(en, "infant_mortality")
    assert 'aria-label="婴儿死亡率历年趋势"' in _card(zh, "infant_mortality")

    path = "/monitoring/370300/indicators/childcare_places_per_1000"
    page = client.get(path, params={"year": 2024, "lang": "en"}).text
    name = NAMES[0][2]
    assert f"<title>Zibo City · {name} · " in page
    assert f"<h1>{name} <small>" in page
    assert f'<span aria-current="page">{name}</span>' in page  # the last crumb
    definition = re.search(r'<div id="definition"><dt>Definition</dt><dd>(.*?)</dd>', page).group(1)
    assert definition == (
        "Childcare places for children under 3 (places in registered childcare institutions and in kindergarten "
        "nursery classes) ÷ Resident population × 1000"
    )
    assert (
        "&#34;labels&#34;: [&#34;Zichuan District&#34;, &#34;Zhangdian District&#34;" in page
    )  # units' chart
    page_zh = client.get(path, params={"year": 2024, "lang": "zh"}).text
    assert f"<h1>{NAMES[0][1]} <small>" in page_zh
    assert f'<span aria-current="page">{NAMES[0][1]}</span>' in page_zh
    assert "<dd>3岁以下婴幼儿托位数（备案托育机构托位与幼儿园托班学位） ÷ 常住人口 × 1000</dd>" in page_zh
    form = client.get("/monitoring/entry", params={"lang": "en"}).text
    assert '<option value="maternal_mortality">Maternal mortality ratio (per 100,000)</option>' in form
    assert (
        '<option value="maternal_mortality">孕产妇死亡率 (1/10万)</option>'
        in client.get("/monitoring/entry", params={"lang": "zh"}).text
    )


def test_the_annual_report_names_its_indicators_in_the_readers_language(client):
    en = client.get("/monitoring/370300/report", params={"year": 2024, "lang": "en"}).text
    zh = client.get("/monitoring/370300/report", params={"year": 2024, "lang": "zh"}).text
    table = re.search(r'<table class="indicators">(.*?)</table>', en, re.S).group(1)
    names = re.findall(r"<td>([^<]+)<br><small>", table)
    assert len(names) >= 8 and not [n for n in names if HAN.search(n)]
    for _indicator, chinese, english in NAMES:
        assert f"<td>{english}<br><small>" in en
        assert f"<td>{chinese}<br><small>" in zh  # the Chinese report as before
    assert (
        "<td>Childcare places for children under 3 per 1,000 population<br><small>places per 1,000 people"
        in en
    )
    summary = re.search(r'<section id="summary">(.*?)</section>', en, re.S).group(1)
    assert (
        "In 2024, Zibo City: Births 26,000 people, Childcare places for children under 3 per 1,000 population 4.1 "
        in summary
    )
    assert "出生人口数" in re.search(r'<section id="summary">(.*?)</section>', zh, re.S).group(1)


def test_the_excel_template_says_its_indicators_in_the_readers_language(client):
    def sheets(locale: str) -> tuple[list, list]:
        t = client.get(
            "/monitoring/upload/template.xlsx", params={"region": "370303", "year": 2024, "lang": locale}
        )
        wb = load_workbook(io.BytesIO(t.content))
        assert wb.sheetnames[0] == "填报"  # the sheet the upload reads
        fill, defs = (list(ws.iter_rows(values_only=True)) for ws in wb.worksheets)
        headers[locale] = (wb.sheetnames[1], fill[0], defs[0])
        return [r for r in fill if r[0] == "maternal_mortality"], [
            r for r in defs if r[0] == "maternal_mortality"
        ]

    headers = {}
    fill, definitions = sheets("en")
    assert fill[0][:5] == (
        "maternal_mortality",
        "Maternal mortality ratio",
        "per 100,000",
        "370303",
        "Zhangdian District",
    )
    assert definitions == [
        (
            "maternal_mortality",
            "Maternal mortality ratio",
            "Maternal deaths",
            "Live births",
            100000,
            "per 100,000",
            "Health Commission",
        )
    ]
    sheet, columns, definition_columns = headers["en"]
    assert sheet == "Indicator definitions" and columns[:3] == (
        "Indicator code",
        "Indicator name",
        "Unit of measure",
    )
    assert definition_columns[-3:] == ("Multiplier", "Unit of measure", "Responsible department")
    fill, definitions = sheets("zh")  # the Chinese template as before
    assert headers["zh"] == (
        "指标口径",
        (
            "指标代码",
            "指标名称",
            "单位",
            "行政区划代码",
            "地区",
            "年度",
            "数值",
            "分子",
            "分母",
            "数据来源",
            "来源日期(YYYY-MM-DD)",
            "备注",
        ),
        ("指标代码", "指标名称", "分子", "分母", "倍数", "单位", "责任部门"),
    )
    assert fill[0][:5] == ("maternal_mortality", "孕产妇死亡率", "1/10万", "370303", "张店区")
    assert definitions == [
        ("maternal_mortality", "孕产妇死亡率", "孕产妇死亡数", "活产数", 100000, "1/10万", "卫生健康委")
    ]


def test_warnings_are_said_in_the_readers_language_on_the_page_and_the_api(client):
    """A warning's reason is a message id with parameters said when shown: the dashboard and the JSON API give the
    same words, in Chinese by default and in English under ?lang=en, with no stored Chinese left in the English."""
    said = {}
    for locale in ("zh", "en"):
        api = client.get(
            "/api/v1/monitoring/warnings", params={"region": "370300", "year": 2024, "lang": locale}
        )
        said[locale] = [w for w in api.json()["warnings"] if w["kind"] != "late"]
        page = client.get("/monitoring/370300", params={"year": 2024, "lang": locale}).text
        for w in said[locale]:
            assert html_.escape(w["reason"], quote=False) in page, w["reason"]
    assert said["en"] and len(said["en"]) == len(said["zh"])
    assert all(HAN.search(w["reason"]) for w in said["zh"])
    # the clause of the policy document a target cites is the document's own heading: data, shown as it is
    clauses = sorted({t.clause for t in catalogue.load().targets if t.clause}, key=len, reverse=True)
    words = []
    for w in said["en"]:
        text = w["reason"] + w["region_name"] + w["kind_label"]
        for clause in clauses:
            text = text.replace(clause, "")
        words.append(text)
    assert not [t for t in words if HAN.search(t)]
