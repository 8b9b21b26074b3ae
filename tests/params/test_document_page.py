"""Registering a document on the desk's page: an official of 陆河县 registers the county's notice and it is
listed by title; a bad date or a missing title comes back beside its field with nothing stored; an official of
another county is refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cradle.auth import roles
from cradle.auth.testing import PASSWORD, make_account
from cradle.db import session_scope
from cradle.params.models import Document, DocumentClause
from cradle.web.app import create_app

from .conftest import LUHE

TITLE = "陆河县卫生健康局关于调整计划生育家庭奖励扶助标准的通知"
NOTICE = (
    f"{TITLE}\n"
    "一、自2026年3月1日起，全面两孩政策调整前的独生子女家庭和农村计划生育双女家庭奖励扶助标准提高到每户每年1800元。\n"
    "二、本通知自印发之日起施行。\n"
)


def _signed_in(url: str, region: str = LUHE) -> TestClient:
    username = make_account(url, roles.COUNTY, region).username
    c = TestClient(create_app(), base_url="https://testserver")
    r = c.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.csrf = r.json()["csrf_token"]
    return c


def _form(c: TestClient, **changes) -> dict:
    return {
        "csrf_token": c.csrf,
        "title": TITLE,
        "jurisdiction": LUHE,
        "issuer": "陆河县卫生健康局",
        "doc_number": "陆卫〔2026〕7号",
        "issued": "2026-02-20",
        "in_force_from": "2026-03-01",
        "status": "issued",
        "text": NOTICE,
        "clauses": "一|一、自2026年|1800元。\n二|二、本通知\n",
        **changes,
    }


def _stored(url: str) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(Document))


def test_an_official_registers_a_document_on_the_page(desk_url):
    c = _signed_in(desk_url)
    desk = c.get("/params")
    assert 'href="/params/documents/new"' in desk.text
    page = c.get("/params/documents/new")
    assert (
        page.status_code == 200
        and "登记政策文件" in page.text
        and "文号" in page.text
        and "正式" in page.text
    )
    done = c.post(
        "/params/documents",
        params={"csrf_token": c.csrf},
        data=_form(c, text="", in_force_to="2030-12-31", source_url="https://www.luhe.gov.cn/wjk/7.html"),
        files={"text_file": ("notice.txt", NOTICE.encode("utf-8"), "text/plain")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    key = done.headers["location"].split("/")[2]
    assert done.headers["location"] == f"/clauses/{key}/%E4%B8%80"
    clause = c.get(done.headers["location"])
    assert clause.status_code == 200 and TITLE in clause.text and "1800元。" in clause.text
    assert TITLE in c.get("/documents").text
    with session_scope(desk_url) as s:
        doc = s.scalar(select(Document).where(Document.key == key))
        assert (
            doc.doc_number,
            doc.issued.isoformat(),
            doc.in_force_from.isoformat(),
            doc.in_force_to.isoformat(),
            doc.source_url,
        ) == (
            "陆卫〔2026〕7号",
            "2026-02-20",
            "2026-03-01",
            "2030-12-31",
            "https://www.luhe.gov.cn/wjk/7.html",
        )
        ends = dict(s.execute(select(DocumentClause.clause, DocumentClause.ends)).all())
        assert ends == {"一": "1800元。", "二": None}
    assert "Issuing body" in c.get("/params/documents/new?lang=en").text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"issued": "2026-02-30"}, "issued", "2026-02-30"),
        ({"title": "  "}, "title", "文件须有标题"),
        ({"clauses": "一 一、自2026年"}, "clauses", "第 1 行"),
        ({"clauses": "三|三、不存在"}, "clauses", "三:"),
        ({"in_force_to": "2026-01-31"}, "in_force_to", "2026-01-31"),
        ({"source_url": "luhe.gov.cn/7.html"}, "source_url", "https://"),
    ],
)
def test_a_bad_form_comes_back_filled_in_beside_the_field(desk_url, changes, field, message):
    c = _signed_in(desk_url)
    r = c.post("/params/documents", params={"csrf_token": c.csrf}, data=_form(c, **changes))
    assert r.status_code == 422
    error = r.text.split(f'id="f-{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "陆卫〔2026〕7号" in r.text and "二、本通知" in r.text  # what was typed is kept
    assert _stored(desk_url) == 0


def test_an_official_of_another_county_is_refused(desk_url):
    c = _signed_in(desk_url, "441521")
    r = c.post("/params/documents", params={"csrf_token": c.csrf}, data=_form(c))
    assert r.status_code == 403 and 'id="f-jurisdiction-error"' in r.text
    assert _stored(desk_url) == 0
    citizen = TestClient(create_app(), base_url="https://testserver")
    assert "/auth/login" in citizen.get("/params/documents/new", follow_redirects=False).headers["location"]
