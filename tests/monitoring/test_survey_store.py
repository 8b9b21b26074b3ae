"""The household survey as officials run it: the sample drawn from the registry and kept, the field results entered
one by one or from the filled sheet (every row or none, each bad field named), and the estimates: with every
household visited they are the true totals; with a stratum not visited it is named and left out."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cradle.auth.actor import Actor
from cradle.db import session_scope
from cradle.errors import DomainError
from cradle.monitoring import survey_store
from cradle.monitoring.models import SurveyHousehold

BUILD = Path(__file__).with_name("test_household_survey.py")
OFFICIAL = Actor(id="account:1", role="city_official", region="370300", name="刘科长", account_id=1)
TODAY = dt.date(2025, 3, 1)


def _registry(url: str, households: int) -> dict:
    """Households in 淄川区 and 张店区 with the totals they hold (test_household_survey's builder)."""
    spec = importlib.util.spec_from_file_location("household_survey_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(url, households=households)


def _truth(url: str, survey_id: int) -> dict[str, dict]:
    """What an enumerator finds in each household: the registry's own figures (computed from the frame)."""
    from cradle.monitoring import household_survey

    with session_scope(url) as s:
        frame = household_survey.load_frame(s, "370300", 2024)
        numbers = set(
            s.scalars(select(SurveyHousehold.household_no).where(SurveyHousehold.survey_id == survey_id))
        )
    return {
        str(no): {"persons": int(p), "births": int(b), "under3": int(u), "visited_on": "2025-02-01"}
        for no, p, b, u in zip(frame.household, frame.size, frame.births, frame.under3, strict=True)
        if str(no) in numbers
    }


def test_every_household_visited_gives_the_true_totals(svc_url):
    truth = _registry(svc_url, 60)
    with session_scope(svc_url) as s:
        row = survey_store.draw(s, OFFICIAL, "370300", 2024, fraction=1.0, seed=3)
        survey_id = row.id
        assert row.frame_households == truth["households"] == len(row.households)
        assert row.strata == truth["strata"]
    found = _truth(svc_url, survey_id)
    with session_scope(svc_url) as s:
        row = survey_store.get(s, OFFICIAL, "370300", survey_id)
        n = survey_store.enter(
            s, OFFICIAL, row, [("", {"household_no": k, **v}) for k, v in found.items()], TODAY
        )
        assert n == truth["households"]
    with session_scope(svc_url) as s:
        est = survey_store.estimate(survey_store.get(s, OFFICIAL, "370300", survey_id))
    got = dict(est.results)
    assert est.visited == est.sampled == truth["households"] and est.strata_left_out == ()
    for key in ("births", "under3", "persons"):
        assert got[key].value == pytest.approx(truth[key]) and got[key].se == pytest.approx(0, abs=1e-9)


def test_a_stratum_not_visited_is_named_and_the_others_reweighted(svc_url):
    _registry(svc_url, 400)
    with session_scope(svc_url) as s:
        row = survey_store.draw(s, OFFICIAL, "370300", 2024, fraction=0.1, seed=5)
        survey_id = row.id
        strata = sorted(row.strata)
    found = _truth(svc_url, survey_id)
    with session_scope(svc_url) as s:
        row = survey_store.get(s, OFFICIAL, "370300", survey_id)
        skipped = strata[0]
        visits = [
            ("", {"household_no": h.household_no, **found[h.household_no]})
            for h in row.households
            if h.stratum != skipped
        ]
        survey_store.enter(s, OFFICIAL, row, visits, TODAY)
        est = survey_store.estimate(row)
    assert est.strata_left_out == (skipped,) and est.visited == len(visits)
    persons = dict(est.results)["persons"]
    assert persons.low < persons.value < persons.high


def test_bad_results_are_named_each_and_nothing_is_stored(svc_url):
    _registry(svc_url, 60)
    with session_scope(svc_url) as s:
        row = survey_store.draw(s, OFFICIAL, "370300", 2024, fraction=1.0, seed=1)
        first, second = row.households[0].household_no, row.households[1].household_no
        survey_id = row.id
    rows = [
        (
            "rows[3].",
            {"household_no": first, "persons": 2, "births": 3, "under3": 0, "visited_on": "2025-02-01"},
        ),
        (
            "rows[4].",
            {"household_no": "H-nope", "persons": "x", "births": 0, "under3": 0, "visited_on": "2026-01-01"},
        ),
        (
            "rows[5].",
            {"household_no": second, "persons": 4, "births": 0, "under3": 1, "visited_on": "2025-02-01"},
        ),
    ]
    with pytest.raises(DomainError) as exc, session_scope(svc_url) as s:
        survey_store.enter(s, OFFICIAL, survey_store.get(s, OFFICIAL, "370300", survey_id), rows, TODAY)
    assert [p.field for p in exc.value.items()] == [
        "rows[3].births",
        "rows[4].household_no",
        "rows[4].persons",
        "rows[4].visited_on",
    ]
    with session_scope(svc_url) as s:
        assert all(h.persons is None for h in survey_store.get(s, OFFICIAL, "370300", survey_id).households)


def test_the_sheet_round_trip_and_scope(svc_url):
    _registry(svc_url, 60)
    with session_scope(svc_url) as s:
        row = survey_store.draw(s, OFFICIAL, "370300", 2024, fraction=0.5, seed=2)
        data = survey_store.sheet(row, lambda m: m)
        survey_id = row.id
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    keys = [c.value for c in ws[2]]
    assert keys == ["household_no", "stratum", "persons", "births", "under3", "visited_on"]
    ws.cell(3, 3, 5)
    ws.cell(3, 4, 1)
    ws.cell(3, 5, 1)
    ws.cell(3, 6, "2025-02-10")
    buf = io.BytesIO()
    wb.save(buf)
    with session_scope(svc_url) as s:
        row = survey_store.get(s, OFFICIAL, "370300", survey_id)
        assert survey_store.enter(s, OFFICIAL, row, survey_store.read_sheet(buf.getvalue()), TODAY) == 1
        assert row.households[0].persons == 5 and row.households[0].entered_by == "刘科长"
    other = Actor(id="account:2", role="county_official", region="370304", name="x", account_id=2)
    with pytest.raises(DomainError) as exc, session_scope(svc_url) as s:
        survey_store.get(s, other, "370300", survey_id)
    assert exc.value.status == 403
