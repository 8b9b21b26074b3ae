"""The cost preview an approver sees (the registry population through the engine), and a document registered on
the desk carrying a dated value whose provenance names it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cradle.db import make_engine, session_scope
from cradle.errors import Invalid, OutOfScope
from cradle.params import desk
from cradle.params.models import Document, Proposal
from cradle.params.preview import preview
from cradle.params.register import register
from cradle.policy import published
from cradle.policy.calc import calc_household
from cradle.registry.ingest import ingest_directory
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate

from .conftest import LUHE, REWARD, amount_source, official

MONTHLY, BAIYIN_DOC = "baiyin.childcare_allowance.monthly", "002_1981582cf3246a7b.txt"
TODAY = dt.date(2026, 7, 1)


def test_the_preview_costs_the_proposed_value_against_the_published_one(desk_url):
    with tempfile.TemporaryDirectory() as d:
        write_feeds(generate("620402", 600, 7, dt.date(2026, 6, 30)), Path(d), seed=7)
        ingest_directory(d, engine=make_engine(desk_url))
    a, b = official(desk_url, region="620402"), official(desk_url, region="620402")

    def propose(value):
        with session_scope(desk_url) as s:
            p = desk.propose(
                s,
                a,
                MONTHLY,
                value=value,
                unit="CNY/month",
                effective_from=dt.date(2024, 6, 1),
                region="620402",
                document=BAIYIN_DOC,
                clause="二、13",
            )
            return p.id, preview(s, p, TODAY)

    first_id, first = propose("200")
    assert first["programs"] == ["baiyin.childcare_allowance"] and first["households"] > 0
    years = first["years"]
    assert [y["year"] for y in years] == [2026, 2027, 2028]
    # the county has set no figure yet: the children are counted, nothing is paid
    assert years[0]["beneficiaries_current"] > 0 and all(y["cost_current"] == 0 for y in years)
    assert (
        years[0]["cost_proposed"] > 0
        and years[0]["beneficiaries_proposed"] == years[0]["beneficiaries_current"]
    )
    with session_scope(desk_url) as s:
        desk.approve(s, b, first_id, first)
    second_id, second = propose("300")
    # now the published 200 is the current value, and 300 costs half as much again
    for before, now in zip(years, second["years"], strict=True):
        assert now["cost_current"] == before["cost_proposed"]
        assert now["cost_proposed"] == pytest.approx(before["cost_proposed"] * 1.5)
        assert now["cost_change"] == pytest.approx(before["cost_proposed"] * 0.5)
    with session_scope(desk_url) as s:
        assert s.get(Proposal, first_id).preview == first  # what the approver saw is kept


NOTICE = (
    "陆河县卫生健康局关于调整计划生育家庭奖励扶助标准的通知\n"
    "一、自2026年3月1日起，全面两孩政策调整前的独生子女家庭和农村计划生育双女家庭奖励扶助标准提高到每户每年1800元。\n"
    "二、本通知自印发之日起施行。\n"
)
SPEC = dict(
    title="陆河县卫生健康局关于调整计划生育家庭奖励扶助标准的通知",
    jurisdiction=LUHE,
    text=NOTICE,
    clauses={"一": {"starts": "一、自2026年", "ends": "1800元。"}, "二": {"starts": "二、本通知"}},
    issuer="陆河县卫生健康局",
    doc_number="陆卫〔2026〕7号",
    issued=dt.date(2026, 2, 20),
)


def test_a_registered_document_carries_a_new_dated_value(desk_url, luhe_household):
    a, b = official(desk_url), official(desk_url)
    with session_scope(desk_url) as s:
        key = register(s, a, **SPEC).key
    assert key.startswith("reg-")
    info = published.document(key)
    assert info.title == SPEC["title"] and info.doc_number == "陆卫〔2026〕7号" and info.registered
    assert published.clause(key, "一").text.endswith("1800元。")
    with session_scope(desk_url) as s, pytest.raises(Invalid) as exc:  # before the notice was issued
        desk.propose(
            s,
            a,
            REWARD,
            value="1800",
            unit="CNY",
            effective_from=dt.date(2026, 1, 1),
            document=key,
            clause="一",
        )
    assert exc.value.field == "effective_from"
    with session_scope(desk_url) as s:
        pid = desk.propose(
            s,
            a,
            REWARD,
            value="1800",
            unit="CNY",
            effective_from=dt.date(2026, 3, 1),
            document=key,
            clause="一",
        ).id
    with session_scope(desk_url) as s:
        desk.approve(s, b, pid)
    (ent,) = [
        e
        for e in calc_household(luhe_household, dt.date(2026, 6, 1))["entitlements"]
        if e["program"] == "luhe.reward_assistance"
    ]
    assert ent["amount"] == 1800
    assert {"document": key, "title": SPEC["title"], "clause": "一"} in ent["citations"]
    source = amount_source(ent)
    assert source["doc_number"] == "陆卫〔2026〕7号" and source["title"] == SPEC["title"]
    assert "陆卫〔2026〕7号《陆河县卫生健康局关于调整计划生育家庭奖励扶助标准的通知》一" in ent["explanation"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "  "}, "text"),
        ({"title": ""}, "title"),
        ({"issued": None}, "issued"),
        ({"status": "final"}, "status"),
        ({"clauses": {"三": {"starts": "三、不存在"}}}, "clauses.三"),
        ({"jurisdiction": "441521"}, "jurisdiction"),  # another county's document
    ],
)
def test_a_bad_document_is_refused_naming_the_field(desk_url, changes, field):
    a = official(desk_url)
    with session_scope(desk_url) as s, pytest.raises((Invalid, OutOfScope)) as exc:
        register(s, a, **{**SPEC, **changes})
    assert exc.value.field == field
    with session_scope(desk_url) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
