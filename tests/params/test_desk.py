"""Four eyes, scope, bad input and dated history of the parameter desk, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from cradle.audit import AuditEntry
from cradle.auth import roles
from cradle.db import make_engine, session_scope
from cradle.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound, OutOfScope
from cradle.params import desk
from cradle.params.models import Proposal, PublishedValue
from cradle.policy.calc import calc_household

from .conftest import LUHE, LUHE_CLAUSE, LUHE_DOC, REWARD, amount_source, official

PROPOSAL = dict(
    value="1440", unit="CNY", effective_from=dt.date(2026, 1, 1), document=LUHE_DOC, clause=LUHE_CLAUSE
)


def _reward(household, on):
    found = [
        e for e in calc_household(household, on)["entitlements"] if e["program"] == "luhe.reward_assistance"
    ]
    assert len(found) == 1
    return found[0]


def _count(url, table) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_four_eyes_publish_for_the_calculator_from_its_date_with_provenance(desk_url, luhe_household):
    a, b = official(desk_url), official(desk_url)
    before = _reward(luhe_household, dt.date(2026, 6, 1))
    assert before["amount"] is None and amount_source(before)["source"] == "release"
    with session_scope(desk_url) as s:
        p = desk.propose(s, a, REWARD, **PROPOSAL)
        pid = p.id
    assert _reward(luhe_household, dt.date(2026, 6, 1))["amount"] is None  # proposed is not published
    with session_scope(desk_url) as s, pytest.raises(Forbidden) as exc:
        desk.approve(s, a, pid)
    assert exc.value.field == "proposal"
    with session_scope(desk_url) as s:
        desk.approve(s, b, pid, {"years": []})
    after = _reward(luhe_household, dt.date(2026, 6, 1))
    assert after["amount"] == 1440
    source = amount_source(after)
    assert source["source"] == "desk" and source["office"] == "陆河县" and source["proposal"] == pid
    assert "陆河县于" in after["explanation"] and "在参数台发布" in after["explanation"]
    # answers for a date before the value's start are as they were
    assert _reward(luhe_household, dt.date(2025, 6, 1))["amount"] is None
    with session_scope(desk_url) as s, pytest.raises(IllegalTransition):
        desk.approve(s, b, pid)
    history = desk.history(REWARD)
    assert [(h["start"], h["value"], h["source"]) for h in history] == [
        ("2023-01-01", None, "release"),
        ("2026-01-01", 1440, "desk"),
    ]
    with session_scope(desk_url) as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.subject == f"params:{pid}").order_by(AuditEntry.seq)
        )
        assert list(actions) == ["params.propose", "params.approve"]


def test_a_correction_is_a_newer_publication_and_history_is_never_edited(desk_url, luhe_household):
    a, b = official(desk_url), official(desk_url)
    for value, start in (("1440", dt.date(2026, 1, 1)), ("1500", dt.date(2026, 3, 1))):
        with session_scope(desk_url) as s:
            pid = desk.propose(s, a, REWARD, **{**PROPOSAL, "value": value, "effective_from": start}).id
        with session_scope(desk_url) as s:
            desk.approve(s, b, pid)
    assert _reward(luhe_household, dt.date(2026, 2, 1))["amount"] == 1440
    assert _reward(luhe_household, dt.date(2026, 6, 1))["amount"] == 1500
    with make_engine(desk_url).connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("UPDATE params_published SET value = '1'"))
    assert _count(desk_url, PublishedValue) == 2


@pytest.mark.parametrize(
    ("who", "name", "changes", "kind", "field"),
    [
        ((roles.COUNTY, "441521"), REWARD, {}, OutOfScope, "parameter"),  # another county's official
        ((roles.CITY, "441500"), REWARD, {}, OutOfScope, "parameter"),  # the city does not set the county's
        ((roles.COUNTY, "441523"), "cn.no_such.thing", {}, NotFound, "parameter"),
        ((roles.COUNTY, "441523"), REWARD, {"unit": "CNY/month"}, Invalid, "unit"),
        ((roles.COUNTY, "441523"), REWARD, {"value": "一千"}, Invalid, "value"),
        ((roles.COUNTY, "441523"), REWARD, {"value": "-5"}, Invalid, "value"),
        ((roles.COUNTY, "441523"), REWARD, {"document": "nope.txt"}, Invalid, "document"),
        ((roles.COUNTY, "441523"), REWARD, {"clause": "九十九"}, Invalid, "clause"),
        ((roles.COUNTY, "441523"), REWARD, {"effective_to": dt.date(2025, 1, 1)}, Invalid, "effective_to"),
        ((roles.COUNTY, "441523"), REWARD, {"region": "441523"}, Invalid, "region"),  # not set per county
        # 白银's document was issued on 2024-05-17: a value cannot rest on it before then
        (
            (roles.COUNTY, "620402"),
            "baiyin.childcare_allowance.monthly",
            {
                "unit": "CNY/month",
                "region": "620402",
                "document": "002_1981582cf3246a7b.txt",
                "clause": "二、13",
                "effective_from": dt.date(2024, 1, 1),
            },
            Invalid,
            "effective_from",
        ),
    ],
)
def test_bad_proposals_are_refused_naming_the_field_and_nothing_is_stored(
    desk_url, who, name, changes, kind, field
):
    actor = official(desk_url, *who)
    with session_scope(desk_url) as s, pytest.raises(kind) as exc:
        desk.propose(s, actor, name, **{**PROPOSAL, **changes})
    assert exc.value.field == field
    assert _count(desk_url, Proposal) == 0


def test_a_second_pending_proposal_for_the_same_date_is_refused(desk_url):
    a, b = official(desk_url), official(desk_url)
    with session_scope(desk_url) as s:
        desk.propose(s, a, REWARD, **PROPOSAL)
    with session_scope(desk_url) as s, pytest.raises(Conflict) as exc:
        desk.propose(s, b, REWARD, **{**PROPOSAL, "value": "1500"})
    assert exc.value.field == "effective_from" and _count(desk_url, Proposal) == 1


def test_a_returned_proposal_publishes_nothing_and_needs_a_reason(desk_url, luhe_household):
    a, b = official(desk_url), official(desk_url)
    with session_scope(desk_url) as s:
        pid = desk.propose(s, a, REWARD, **PROPOSAL).id
    with session_scope(desk_url) as s, pytest.raises(Invalid) as exc:
        desk.return_(s, b, pid, "  ")
    assert exc.value.field == "reason"
    other = official(desk_url, roles.COUNTY, "441521")
    with session_scope(desk_url) as s, pytest.raises(NotFound):  # outside their scope: not even seen
        desk.return_(s, other, pid, "不是本县")
    with session_scope(desk_url) as s:
        desk.return_(s, b, pid, "文号有误")
    with session_scope(desk_url) as s:
        p = s.get(Proposal, pid)
        assert (p.state, p.reason) == ("returned", "文号有误")
    assert _count(desk_url, PublishedValue) == 0
    assert _reward(luhe_household, dt.date(2026, 6, 1))["amount"] is None
    with session_scope(desk_url) as s:  # the same date may be proposed again once the first is decided
        desk.propose(s, a, REWARD, **PROPOSAL)


def test_a_county_publishes_its_own_value_of_a_city_parameter(desk_url):
    a, b = official(desk_url, roles.COUNTY, "620402"), official(desk_url, roles.COUNTY, "620402")
    name = "baiyin.childcare_allowance.monthly"
    with session_scope(desk_url) as s:
        pid = desk.propose(
            s,
            a,
            name,
            value="200",
            unit="CNY/month",
            effective_from=dt.date(2024, 6, 1),
            region="620402",
            document="002_1981582cf3246a7b.txt",
            clause="二、13",
        ).id
    with session_scope(desk_url) as s:
        desk.approve(s, b, pid)
    assert [h["value"] for h in desk.history(name, "620402")] == [None, 200]
    assert [h["value"] for h in desk.history(name, "620403")] == [None]  # the next county's is untouched
    assert desk.history(name)[-1]["value"] is None


def test_the_batch_reads_the_published_value(desk_url, luhe_household):
    from cradle.batch.compute import entitlements
    from cradle.policy.household import parse_household
    from cradle.policy.population import Population

    a, b = official(desk_url), official(desk_url)
    with session_scope(desk_url) as s:
        pid = desk.propose(s, a, REWARD, **PROPOSAL).id
    with session_scope(desk_url) as s:
        desk.approve(s, b, pid)
    on = dt.date(2026, 6, 1)
    pop = Population.from_households([parse_household(luhe_household, on)] * 3)
    rows = entitlements(pop, on, only={"luhe.reward_assistance"})
    assert rows["amount"].to_list() == [1440.0] * 3


def test_a_desk_that_cannot_be_read_answers_with_the_values_last_read(desk_url, monkeypatch, luhe_household):
    a, b = official(desk_url), official(desk_url)
    with session_scope(desk_url) as s:
        pid = desk.propose(s, a, REWARD, **PROPOSAL).id
    with session_scope(desk_url) as s:
        desk.approve(s, b, pid)
    assert _reward(luhe_household, dt.date(2026, 6, 1))["amount"] == 1440
    monkeypatch.setenv("CRADLE_DATABASE_URL", "postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    assert _reward(luhe_household, dt.date(2026, 6, 1))["amount"] == 1440  # no error, nothing forgotten


def test_a_desk_value_wins_over_the_rate_a_county_entered_for_payments(desk_url, luhe_household):
    from cradle.payments import rates
    from cradle.services.applications import evaluate

    a, b = official(desk_url), official(desk_url)
    with session_scope(desk_url) as s:
        rates.set_rate(s, a, "luhe.reward_assistance", LUHE, dt.date(2025, 1, 1), 1000, "陆卫〔2025〕1号")
    on = dt.date(2026, 6, 1)
    with session_scope(desk_url) as s:
        assert (
            evaluate(s, "luhe.reward_assistance", luhe_household, None, on)["entitlement"]["amount"] == 1000
        )
        pid = desk.propose(s, a, REWARD, **PROPOSAL).id
    with session_scope(desk_url) as s:
        desk.approve(s, b, pid, {"years": []})
    with session_scope(desk_url) as s:
        verdict = evaluate(s, "luhe.reward_assistance", luhe_household, None, on)
        assert (
            verdict["entitlement"]["amount"] == 1440
        )  # published on the desk: new applications get it at once
        earlier = evaluate(s, "luhe.reward_assistance", luhe_household, None, dt.date(2025, 6, 1))
        assert earlier["entitlement"]["amount"] == 1000  # before the desk value's start, the county's rate
