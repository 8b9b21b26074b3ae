"""Pages in both languages over the API contract's test double."""

from __future__ import annotations

import re
from urllib.parse import quote

HOUSEHOLD = {
    "jurisdiction": "370303",
    "members": [
        {"id": "m1", "relation": "mother", "sex": "F", "birth_date": "1993-04-02"},
        {"id": "f1", "relation": "father", "sex": "M", "birth_date": "1991-08-20"},
        {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2019-05-01", "birth_order": 1},
        {
            "id": "c2",
            "relation": "child",
            "sex": "M",
            "birth_date": "2025-03-10",
            "birth_order": 2,
            "care": {"type": "nursery", "inclusive": True, "registered": True},
        },
    ],
    "events": [{"type": "birth", "child": "c2", "date": "2025-03-10", "babies": 1}],
}
CLAUSE_LINK = f"/clauses/003_9583e153e8ef1680.txt/{quote('二（四）2', safe='')}"


def test_calculator_page_is_chinese_by_default_with_counties_grouped(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="zh-CN">' in html
    assert "<h1>待遇测算</h1>" in html
    assert "优化生育 · 惠民服务平台" in html
    assert re.search(
        r'<optgroup label="山东省 · 淄博市">\s*<option value="370302">淄川区（370302）</option>\s*'
        r'<option value="370303">张店区（370303）</option>',
        html,
    )
    # A city served without counties is itself the choice, under its province.
    assert re.search(r'<optgroup label="山西省">\s*<option value="140100">太原市（140100）</option>', html)
    assert 'href="#main"' in html and 'id="main"' in html  # skip link


def test_calculator_page_in_english_by_query_and_cookie_never_the_browser(client):
    # A browser asking for English still gets Chinese until the person picks English.
    english_browser = {"Accept-Language": "en-GB,en;q=0.8"}
    page = client.get("/", headers=english_browser)
    assert '<html lang="zh-CN">' in page.text and "<h1>待遇测算</h1>" in page.text
    page = client.get("/?lang=en", headers=english_browser)
    assert '<html lang="en">' in page.text
    assert "<h1>Benefit calculator</h1>" in page.text
    assert page.cookies.get("lang") == "en"
    # The cookie now carries the choice.
    assert "<h1>Benefit calculator</h1>" in client.get("/").text
    client.cookies.clear()
    assert "<h1>待遇测算</h1>" in client.get("/", headers=english_browser).text
    # The JSON API still answers a client in the language its header asks for.
    refusal = client.get("/api/v1/programs", params={"on": "x"}, headers=english_browser)
    assert refusal.status_code == 422 and refusal.headers["content-language"] == "en"
    # ?lang= wins over the cookie.
    client.cookies.set("lang", "en")
    assert "<h1>待遇测算</h1>" in client.get("/?lang=zh").text


def test_language_switch_keeps_the_page_and_its_query(client):
    html = client.get("/programs?jurisdiction=370303").text
    assert 'href="/programs?jurisdiction=370303&amp;lang=en"' in html


def test_results_are_cards_with_amounts_periods_and_clause_links(client):
    response = client.post("/calc/results?on=2025-07-01", json=HOUSEHOLD)
    assert response.status_code == 200
    html = response.text
    assert "可享受 2 项待遇" in html
    assert "张店区，测算日期 2025年7月1日" in html
    card = html[html.index('data-program="zibo.nursery_fee_subsidy"') :]
    card = card[: card.index("</li>\n")]
    assert "<h3>保育费补助</h3>" in card
    assert "每月 300 元" in card
    assert "子女 2" in card  # beneficiary c2 is the second child
    assert "2025年3月10日 起" in card
    assert "二孩在备案普惠托育机构入托" in card
    assert f'href="{CLAUSE_LINK}"' in card
    assert "淄博市优化生育政策促进人口长期均衡发展实施方案" in card
    other = html[html.index('data-program="baiyin.childcare_allowance"') :]
    assert "金额由县区核定" in other  # the amount is null
    assert "待核实" in other
    # A citation of a text that is not loaded is shown, unlinked.
    assert "女职工劳动保护特别规定" in other and "条文未载入" in other and "/clauses/" not in other
    assert "另有 1 个政策项目经核对不适用" in html and "无购房事项" in html


def test_results_in_english(client):
    html = client.post("/calc/results?on=2025-07-01&lang=en", json=HOUSEHOLD).text
    assert "2 benefits found" in html
    assert "CN¥300 per month" in html
    assert "from March 10, 2025" in html
    assert "Amount set by the county" in html
    assert "Child 2" in html


def test_results_pass_api_field_errors_through(client):
    bad = {
        **HOUSEHOLD,
        "members": [*HOUSEHOLD["members"][:2], {**HOUSEHOLD["members"][2], "birth_date": "1980-01-01"}],
    }
    response = client.post("/calc/results?on=2025-07-01", json=bad)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "members[2].birth_date",
                "code": "born_before_mother",
                "message": "子女出生日期早于母亲出生日期",
            }
        ]
    }


def test_results_refuse_a_bad_date_in_the_error_shape(client):
    response = client.post("/calc/results?on=2025-13-01", json=HOUSEHOLD)
    assert response.status_code == 422
    [err] = response.json()["errors"]
    assert err["field"] == "on" and err["message"] == "请按 YYYY-MM-DD 格式填写日期。"
    en = client.post("/calc/results?on=2025-13-01&lang=en", json=HOUSEHOLD).json()
    assert en["errors"][0]["message"] == "Enter a date as YYYY-MM-DD."


def test_clause_page_shows_the_clause_text(client):
    page = client.get(CLAUSE_LINK)
    assert page.status_code == 200
    assert "分别按每人每月300元、500元给予保育费补助" in page.text
    assert "条款 二（四）2" in page.text
    assert "淄博市优化生育政策促进人口长期均衡发展实施方案" in page.text


def test_unknown_clause_is_a_404_page_for_browsers_and_json_for_clients(client):
    page = client.get("/clauses/003_9583e153e8ef1680.txt/九（九）9", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "未找到该条款" in page.text and "<html" in page.text
    api = client.get("/api/v1/documents/x.txt/clauses/1")
    assert api.status_code == 404
    assert api.json()["errors"][0]["code"] == "unknown_clause"


def test_programs_page_lists_parameters_values_and_verification(client):
    html = client.get("/programs?jurisdiction=370303").text
    assert "张店区：共 1 个政策项目" in html
    assert "保育费补助" in html and "zibo.nursery_fee_subsidy" in html
    assert "市级 · 淄博市" in html  # level and place by name, not code
    assert "二孩每人每月" in html and "每月 300 元" in html and "2023年9月20日" in html
    assert "已核实" in html and "待核实" in html and "由县区核定" in html
    assert f'href="{CLAUSE_LINK}"' in html


def test_programs_page_fragment_for_htmx_and_errors(client):
    fragment = client.get("/programs?jurisdiction=370303", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and "保育费补助" in fragment
    bad = client.get("/programs?jurisdiction=999999")
    assert bad.status_code == 422 and "未知的地区代码" in bad.text
    assert "请选择地区以查看其政策项目" in client.get("/programs").text


def test_documents_page(client):
    html = client.get("/documents").text
    assert "淄博市优化生育政策促进人口长期均衡发展实施方案" in html and "淄博市" in html
    assert "2023年9月20日 印发" in html


def test_navigation_has_no_dead_links(client):
    html = client.get("/").text
    header = html[html.index("<header") : html.index("</header>")]
    links = set(re.findall(r'href="([^"#]+)"', header))
    assert {"/", "/programs", "/documents"} <= {link.split("?")[0] for link in links}
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_pages_load_nothing_from_outside(client):
    for path in ["/", "/programs?jurisdiction=370303", "/documents", CLAUSE_LINK]:
        html = client.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), path
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/static/js/calculator.js").status_code == 200


def test_pages_degrade_when_the_api_fails(broken_client):
    client = broken_client
    page = client.get("/")
    assert page.status_code == 200 and "暂时无法获取地区列表" in page.text
    programs = client.get("/programs?jurisdiction=370303")
    assert "服务器内部错误" in programs.text
