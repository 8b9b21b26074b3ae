"""The staff pages of monitoring through FastAPI's TestClient: the plan (a unit reports with evidence, the leading
office returns and accepts, the scorecard downloads), the survey (drawn, results entered, estimates shown), the
what-if (run, charted, downloaded), each in Chinese and English, and another county's official refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cradle.auth.testing import bearer_for
from cradle.web.app import create_app

PDF = ("托班名单.pdf", b"%PDF-1.4 list", "application/pdf")


@pytest.fixture
def client(svc_sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    monkeypatch.setenv("CRADLE_DATA_DIR", str(tmp_path / "data"))
    with TestClient(create_app(), base_url="https://testserver") as c:
        yield c


def errors(html: str) -> list[str]:
    return re.findall(r'class="field-error"[^>]*>([^<]+)<', html)


def test_a_unit_reports_with_evidence_and_the_lead_office_returns_then_accepts(client, svc_sqlite_url):
    edu = bearer_for(svc_sqlite_url, "dept_clerk", "370303", department="jiaoyu", name="王芳")
    health = bearer_for(svc_sqlite_url, "dept_clerk", "370303", department="weijian", name="李主任")
    page = client.get("/monitoring/370303/plan", headers=edu).text
    assert "您以张店区教育局的身份报送" in page and 'id="my-overdue"' in page  # 2025's items were due
    assert "幼儿园开设托班，纳入幼儿园管理" in re.search(r'id="my-overdue".*?</div>', page, re.S).group(0)
    task = "/monitoring/370303/plan/tasks/zibo.3-2.1"
    assert "张店区教育局" in re.search(r'id="task-lead">([^<]+)', client.get(task, headers=edu).text).group(1)
    bad = client.post(
        f"{task}/reports",
        headers=edu,
        data={
            "period": "2025",
            "progress": "",
            "reported_on": "2025-12-01",
            "figures-0-label": "托班",
            "figures-0-value": "十二",
        },
        follow_redirects=False,
    )
    assert bad.status_code == 422 and errors(bad.text) == [
        "必填 (required)",
        "不是数字 (not a number): &#39;十二&#39;",
    ]
    ok = client.post(
        f"{task}/reports",
        headers=edu,
        data={
            "period": "2025",
            "progress": "12所幼儿园开设托班",
            "reported_on": "2025-12-01",
            "figures-0-label": "托班",
            "figures-0-value": "12",
            "figures-0-unit": "所",
        },
        files={"files": PDF},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    shown = client.get(task, headers=health).text
    report_id = re.search(r'id="report-(\d+)" data-status="submitted"', shown).group(1)
    assert "12所幼儿园开设托班" in shown and "托班: 12 所" in shown and "验收通过" in shown
    assert (
        client.post(
            f"/monitoring/370303/plan/reports/{report_id}/review", headers=edu, data={"action": "accept"}
        ).status_code
        == 403
    )
    returned = client.post(
        f"/monitoring/370303/plan/reports/{report_id}/review", headers=health, data={"action": "return"}
    )
    assert returned.status_code == 422 and errors(returned.text) == ["请填写退回理由"]
    client.post(
        f"/monitoring/370303/plan/reports/{report_id}/review",
        headers=health,
        data={"action": "return", "reason": "请附名单"},
    )
    again = client.post(
        f"{task}/reports",
        headers=edu,
        data={"period": "2025", "progress": "附名单", "reported_on": "2025-12-05"},
        files={"files": PDF},
        follow_redirects=False,
    )
    assert again.status_code == 303
    second = re.findall(r'id="report-(\d+)" data-status="submitted"', client.get(task, headers=health).text)[
        0
    ]
    client.post(f"/monitoring/370303/plan/reports/{second}/review", headers=health, data={"action": "accept"})
    done = client.get(task, headers=edu).text
    assert "李主任退回：请附名单" in done and "李主任验收通过" in done and 'id="report-form"' not in done
    evidence = re.search(r"/plan/evidence/(\d+)", done).group(1)
    file = client.get(f"/monitoring/370303/plan/evidence/{evidence}", headers=health)
    assert file.content == PDF[1] and "attachment" in file.headers["content-disposition"]
    wb = load_workbook(
        io.BytesIO(client.get("/monitoring/370303/plan/scorecard.xlsx", headers=health).content)
    )
    units = {r[0]: r for r in wb["按责任单位"].iter_rows(min_row=2, values_only=True)}
    assert units["张店区教育局"][4] == 1  # accepted
    english = client.get("/monitoring/370303/plan", params={"lang": "en"}, headers=edu).text
    assert "You report for Zhangdian District Education Bureau" in english and "逾期" not in english
    neighbour = bearer_for(svc_sqlite_url, "county_official", "370304")
    assert client.get("/monitoring/370303/plan", headers=neighbour).status_code == 403
    assert client.get(f"/monitoring/370303/plan/evidence/{evidence}", headers=neighbour).status_code == 403


def test_the_dashboard_warns_of_overdue_plan_items_to_officials_only(client, svc_sqlite_url):
    assert 'id="plan-overdue"' not in client.get("/monitoring/370303").text
    county = bearer_for(svc_sqlite_url, "county_official", "370303")
    page = client.get("/monitoring/370303", headers=county).text
    assert 'id="plan-overdue"' in page and 'id="projection-table"' in page


def test_the_survey_is_drawn_and_its_results_entered(client, svc_sqlite_url):
    from cradle.db import session_scope
    from cradle.registry.models import HukouEvent, IngestRun, Person, SourceRecord

    with session_scope(svc_sqlite_url) as s:
        run = IngestRun(dept="gongan", file_name="t.csv")
        s.add(run)
        s.flush()
        for n in range(12):
            p = Person(name="x", sex="F" if n % 2 else "M", birth_date=dt.date(1990, 1, 1))
            src = SourceRecord(
                dept="gongan", record_no=str(n), row_hash=n, run_id=run.id, row_no=n, event="register"
            )
            s.add_all([p, src])
            s.flush()
            s.add(
                HukouEvent(
                    source_id=src.id,
                    person_id=p.id,
                    event="register",
                    region="370305",
                    household_no=f"H{n // 3}",
                    hukou_type="urban",
                    valid_from=p.birth_date,
                )
            )
    county = bearer_for(svc_sqlite_url, "county_official", "370305", name="孙科长")
    drawn = client.post(
        "/monitoring/370305/survey",
        headers=county,
        data={"year": "2024", "fraction": "1", "seed": "4"},
        follow_redirects=False,
    )
    assert drawn.status_code == 303
    sample = drawn.headers["location"]
    page = client.get(sample, headers=county).text
    assert "从2024-12-31临淄区登记的4户中抽取4户" in page
    for h in range(4):
        r = client.post(
            f"{sample}/results",
            headers=county,
            data={
                "household_no": f"H{h}",
                "persons": "3",
                "births": "1",
                "under3": "1",
                "visited_on": "2025-02-01",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
    page = client.get(sample, headers=county, params={"lang": "en"}).text
    assert re.search(
        r'data-quantity="births"><th scope="row">Births in the year</th><td class="num">4</td>', page
    )
    assert "4 of 4 sampled households visited." in page


def test_a_whatif_is_run_charted_and_downloaded(client, svc_sqlite_url):
    county = bearer_for(svc_sqlite_url, "county_official", "370303")
    form = client.get("/whatif", headers=county).text
    assert 'value="zibo.nursery_fee_subsidy.second_child"' in form  # the district's documents' parameters
    started = client.post(
        "/whatif",
        headers=county,
        data={
            "region": "370303",
            "parameter": "zibo.nursery_fee_subsidy.second_child",
            "value": "600",
            "years": "2025",
            "source": "synthetic",
            "persons": "2000",
            "on": "2025-06-30",
        },
        follow_redirects=False,
    )
    assert started.status_code == 303
    run = started.headers["location"]
    for _ in range(100):
        page = client.get(run, headers=county).text
        if 'data-status="done"' in page or 'data-status="failed"' in page:
            break
        time.sleep(0.2)
    assert (
        'data-status="done"' in page
        and 'id="whatif-chart"' in page
        and "&#34;kind&#34;: &#34;bars&#34;" in page
    )
    assert " 元<" in re.search(r'id="whatif-table".*?</table>', page, re.S).group(0)
    csv = client.get(f"{run}/result.csv", headers=county)
    assert csv.status_code == 200 and csv.text.startswith("county,program,unit")
    assert client.get(run, headers=bearer_for(svc_sqlite_url, "county_official", "370304")).status_code == 404
