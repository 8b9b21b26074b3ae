"""The plan and its 考核: every measure of every document (保障措施 / 组织实施 included) split into tasks with 牵头
and 配合 units as department accounts; due items from deadlines and recurrence; a unit reports only on its own
tasks (its account says which unit), the leading office (卫健) accepts or returns; overdue items; scorecards."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cradle.audit import AuditEntry
from cradle.auth.actor import Actor
from cradle.auth.roles import DEPARTMENTS
from cradle.config import get_settings
from cradle.db import session_scope
from cradle.errors import DomainError
from cradle.monitoring import plan, plan_score, units
from cradle.monitoring.models import PlanEvidence, PlanReport
from cradle.policy.packs import load_packs

TODAY = dt.date(2026, 1, 5)
PDF = ("进展.pdf", "application/pdf", b"%PDF-1.4 evidence")


def dept(code: str, region: str, n: int = 1, name: str = "王芳") -> Actor:
    return Actor(id=f"account:{n}", role="dept_clerk", region=region, dept=code, name=name, account_id=n)


def test_every_chapter_of_every_document_is_in_the_plan():
    by_doc: dict[str, int] = {}
    for m in plan.measures().values():
        by_doc[m.jurisdiction] = by_doc.get(m.jurisdiction, 0) + 1
    # 二、工作措施 and the closing chapter (三、组织保障 / 保障措施 / 组织实施) of each document
    assert by_doc == {"620400": 28, "140000": 29, "370300": 20, "330600": 14, "441523": 22}
    sections = {
        m.jurisdiction: {m.section for m in plan.measures().values()} for m in plan.measures().values()
    }
    assert "组织保障" in sections["620400"] and "组织实施" in sections["441523"]
    assert {"保障措施"} <= sections["370300"] & sections["330600"] & sections["140000"]


def test_baiyin_owners_verbatim_and_the_first_unit_leads():
    ms = plan.measures()
    text = re.sub(
        r"\s+", "", (get_settings().seeds_dir / "002_1981582cf3246a7b.txt").read_text(encoding="utf-8")
    )
    for n in range(1, 24):
        m = ms[f"baiyin.{n:02d}"]
        assert f"{n}.{m.title}" in text
        assert f"责任单位:{m.owners_text}" in text, m.id
    t = plan.plan_task(ms["baiyin.13"].tasks[0], ms["baiyin.13"], "620400")
    assert (t.lead, t.support, t.basis) == (("weijian",), ("gongan", "caizheng"), "text")
    assert [units.office(c, "620400") for c in t.units()] == [
        "白银市卫生健康委",
        "白银市公安局",
        "白银市财政局",
    ]
    assert units.office("jiaoyu", "620421") == "靖远县教育局"
    assert units.office("jiaoyu", "620421", "en") == "Jingyuan County Education Bureau"


def test_titles_are_in_their_documents():
    seeds = get_settings().seeds_dir
    texts = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}
    for m in plan.measures().values():
        assert m.title.replace("“", "").replace("”", "") in texts[m.document].replace("“", "").replace(
            "”", ""
        ), m.id


def test_every_unit_the_documents_name_is_a_department():
    named = {u for p in load_packs() for m in p.measures for t in m.tasks for u in t.lead + t.support}
    codes = {u: units.code_of(u) for u in named}
    assert [u for u, c in codes.items() if c is None] == []
    assert set(codes.values()) - {units.ANY} <= set(DEPARTMENTS)
    for code in (
        "weijian",
        "fagai",
        "caizheng",
        "renshe",
        "zhujian",
        "jiaoyu",
        "minzheng",
        "yibao",
        "shuiwu",
    ):
        assert code in codes.values()
    for code in ("gonghui", "fulian", "jishengxie", "shichang", "ziyuan", "jinrong"):
        assert code in codes.values()
    assert codes["市直各有关部门"] == units.ANY and codes["市财政局(市政府国资委)"] == "caizheng"


def test_a_measure_naming_several_units_is_split_into_tasks():
    t1, t2, *_ = plan.measures()["zibo.3-2"].tasks
    assert (t1.lead, t2.lead) == (("教育部门",), ("卫生健康部门",))
    county = {t.id: t for t in plan.tasks_for("370303")}
    city = {t.id: t for t in plan.tasks_for("370300")}
    # a task the document gives each 区县 falls due in the district, not at the city
    assert "zibo.org-4.1" in county and "zibo.org-4.1" not in city
    assert county["zibo.3-2.1"].lead == ("jiaoyu",) and county["zibo.3-2.2"].lead == ("weijian",)


def test_deadlines_and_recurrence_make_the_due_items():
    tasks = {t.id: t for t in plan.tasks_for("370303")}
    assert tasks["zibo.3-2.1"].periods(TODAY) == [("2025", dt.date(2025, 12, 31))]
    annual = tasks["zibo.org-4.1"].periods(TODAY)  # 每年向市委、市政府报告, from the plan's 2023-09-20
    assert annual == [(str(y), dt.date(y, 12, 31)) for y in (2023, 2024, 2025, 2026)]
    quarterly = tasks["zibo.3-3.1"].periods(TODAY)
    assert quarterly[0] == ("2023Q3", dt.date(2023, 9, 30)) and quarterly[-1] == (
        "2026Q1",
        dt.date(2026, 3, 31),
    )


def test_a_unit_reports_the_lead_office_accepts_or_returns(svc_url):
    edu, health = dept("jiaoyu", "370303", 1, "王芳"), dept("weijian", "370303", 2, "李主任")
    with session_scope(svc_url) as s:
        r = plan.submit(
            s,
            edu,
            "370303",
            "zibo.3-2.1",
            "2025",
            "12所幼儿园开设托班",
            dt.date(2025, 11, 20),
            [{"label": "开设托班的幼儿园", "value": "12", "unit": "所"}],
            [PDF],
            today=TODAY,
        )
        report_id = r.id
    with session_scope(svc_url) as s:
        row = s.get(PlanReport, report_id)
        assert (row.department, row.reported_by, row.status) == ("jiaoyu", "王芳", "submitted")
        assert row.figures == [{"label": "开设托班的幼儿园", "value": 12.0, "unit": "所"}]
        assert [e.name for e in row.evidence] == ["进展.pdf"]
        with pytest.raises(DomainError) as exc:  # the 教育局 cannot accept its own report
            plan.review(s, edu, "370303", report_id, "accept")
        assert exc.value.status == 403
        with pytest.raises(DomainError, match="reason"):
            plan.review(s, health, "370303", report_id, "return", "")
        plan.review(s, health, "370303", report_id, "return", "请补充托班名单")
    with session_scope(svc_url) as s:
        assert s.get(PlanReport, report_id).reason == "请补充托班名单"
        again = plan.submit(
            s, edu, "370303", "zibo.3-2.1", "2025", "补充名单", TODAY, files=[PDF], today=TODAY
        )
        plan.review(s, health, "370303", again.id, "accept")
        with pytest.raises(DomainError) as exc:
            plan.review(s, health, "370303", again.id, "return", "x")
        assert exc.value.status == 409
    with session_scope(svc_url) as s:
        rows = {r.task.id: r for r in plan.board(s, "370303", TODAY)}
        item = rows["zibo.3-2.1"].items[0]
        assert item.state == "accepted" and item.on_time and not item.overdue(TODAY)
        assert rows["zibo.3-2.2"].items[0].overdue(TODAY)  # 卫健's part, never reported
        evidence = plan.evidence_file(s, health, "370303", item.reports[0].evidence[0].id)
        assert evidence.data == PDF[2]
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {
            "plan.report",
            "plan.report_returned",
            "plan.report_accepted",
            "plan.evidence_read",
        } <= actions


@pytest.mark.parametrize(
    "actor, args, field, status",
    [
        (dept("jiaoyu", "370303"), ("zibo.3-2.2", "2025", "x"), "task_id", 403),  # 卫健's task
        (dept("jiaoyu", "370302"), ("zibo.3-2.1", "2025", "x"), "region", 403),  # another district's 教育局
        (
            Actor(id="account:9", role="county_official", region="370303", account_id=9),
            ("zibo.3-2.1", "2025", "x"),
            None,
            403,
        ),
        (dept("jiaoyu", "370303"), ("zibo.9-9.1", "2025", "x"), "task_id", 404),
        (dept("jiaoyu", "370303"), ("zibo.3-2.1", "2031", "x"), "period", 422),
        (dept("jiaoyu", "370303"), ("zibo.3-2.1", "2025", " "), "progress", 422),
    ],
)
def test_a_report_outside_the_units_own_tasks_is_refused_and_nothing_stored(
    svc_url, actor, args, field, status
):
    with pytest.raises(DomainError) as exc, session_scope(svc_url) as s:
        plan.submit(s, actor, "370303", *args, dt.date(2025, 12, 1), today=TODAY)
    assert exc.value.status == status and field in [p.field for p in exc.value.items()]
    with session_scope(svc_url) as s:
        assert s.scalar(select(func.count()).select_from(PlanReport)) == 0


def test_bad_figures_and_files_are_named_each(svc_url):
    edu = dept("jiaoyu", "370303")
    with pytest.raises(DomainError) as exc, session_scope(svc_url) as s:
        plan.submit(
            s,
            edu,
            "370303",
            "zibo.3-2.1",
            "2025",
            "x",
            dt.date(2025, 12, 1),
            [{"label": "托班", "value": "十二"}],
            [("a.exe", "application/x-msdownload", b"MZ"), ("b.pdf", "application/pdf", b"")],
            today=TODAY,
        )
    assert [p.field for p in exc.value.items()] == ["figures[0].value", "files[0]", "files[1]"]
    with session_scope(svc_url) as s:
        assert s.scalar(select(func.count()).select_from(PlanEvidence)) == 0


def test_scorecard_by_unit_and_chapter_and_its_excel(svc_url):
    edu, health = dept("jiaoyu", "370303", 1), dept("weijian", "370303", 2)
    with session_scope(svc_url) as s:
        late = plan.submit(
            s, edu, "370303", "zibo.4-3.1", "2025", "普惠园覆盖率91%", dt.date(2026, 1, 3), today=TODAY
        )
        plan.review(s, health, "370303", late.id, "accept")
        rows = plan.board(s, "370303", TODAY)
    score = {u.key: u for u in plan_score.by_unit(rows, TODAY)}
    jiaoyu = score["jiaoyu"]
    assert (jiaoyu.tasks, jiaoyu.accepted, jiaoyu.on_time) == (2, 1, 0)  # reported after its due date
    assert jiaoyu.overdue == jiaoyu.due - 1 and jiaoyu.rate == 0.0
    chapters = {c.key: c for c in plan_score.by_chapter(rows, TODAY)}
    assert chapters["建设生育友好型社会"].accepted == 1 and "保障措施" in chapters
    overdue = plan.overdue_items(rows, TODAY, "jiaoyu")
    assert {i.task.id for i in overdue} == {"zibo.3-2.1"}  # its other task; 4-3 was accepted, late
    wb = load_workbook(io.BytesIO(plan_score.workbook("370303", rows, TODAY)))
    assert wb.sheetnames == ["按责任单位", "按章节", "事项"]
    first = [c.value for c in next(wb["按责任单位"].iter_rows(min_row=2, max_row=2))]
    assert first[0] == "张店区卫生健康局"
