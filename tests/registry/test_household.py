"""`cradle household` builds the catalogue's JSON from the registry, and `cradle calc` accepts it."""

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cradle.cli import app
from cradle.db import make_engine
from cradle.errors import NotFound
from cradle.policy.household import parse_household
from cradle.registry import models as m
from cradle.registry.household import _Builder, build_household
from cradle.registry.ingest import ingest_directory
from cradle.testing.postgres import copy_sqlite

ON = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def county_db(county_feeds, tmp_path_factory, _migrated_sqlite_template):
    url = copy_sqlite(_migrated_sqlite_template, tmp_path_factory.mktemp("hh"))  # migrated
    ingest_directory(county_feeds[0], engine=make_engine(url))
    return url


def _recent_mothers(session, n=8):
    q = (
        select(m.Person.id_number)
        .join(m.Birth, m.Birth.mother_id == m.Person.id)
        .where(m.Birth.birth_date >= dt.date(2023, 1, 1))
        .distinct()
        .limit(n)
    )
    return list(session.execute(q).scalars())


def test_household_of_a_recent_mother_matches_the_catalogue(county_db):
    with Session(make_engine(county_db)) as s:
        mothers = _recent_mothers(s)
        assert mothers
        for id_number in mothers:
            h = build_household(s, id_number, ON)
            parse_household(h, ON)  # the engine's own validation: unknown fields and bad values are refused
            me = next(x for x in h["members"] if x.get("id_number") == id_number)
            assert me["relation"] == "mother"
            births = [e for e in h["events"] if e["type"] == "birth"]
            assert births, "a birth since 2023 is within three years of the date"
            child = next(x for x in h["members"] if x["id"] == births[0]["child"])
            assert child["relation"] == "child" and child["birth_date"] == births[0]["date"]
            # the same household is reached from the child's ID number
            if child.get("id_number"):
                again = build_household(s, child["id_number"], ON)
                assert {x.get("id_number") for x in again["members"] if x["relation"] == "mother"} == {
                    id_number
                }


def test_household_reflects_the_date(county_db):
    with Session(make_engine(county_db)) as s:
        id_number = _recent_mothers(s, 1)[0]
        now = build_household(s, id_number, ON)
        born = min(e["date"] for e in now["events"])
        before = build_household(s, id_number, dt.date.fromisoformat(born) - dt.timedelta(days=1))
        assert len([x for x in before["members"] if x["relation"] == "child"]) < len(
            [x for x in now["members"] if x["relation"] == "child"]
        )
        with pytest.raises(NotFound):
            build_household(s, "110101199001011234", ON)


def test_household_feeds_calc_end_to_end(county_db, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", county_db)
    with Session(make_engine(county_db)) as s:  # an employed mother, whom maternity leave covers
        id_number = next(
            n
            for n in _recent_mothers(s, 50)
            if build_household(s, n, ON)["members"][0].get("employment") == "employee"
        )
    runner = CliRunner()
    built = runner.invoke(app, ["household", id_number, "--on", ON.isoformat()])
    assert built.exit_code == 0, built.output
    calc = runner.invoke(app, ["calc", "-", "--on", ON.isoformat()], input=built.stdout)
    assert calc.exit_code == 0, calc.output
    result = json.loads(calc.stdout)
    programs = {e["program"] for e in result["entitlements"]}
    assert "cn.maternity_leave" in programs
    assert all(
        e["beneficiary"] in {x["id"] for x in json.loads(built.stdout)["members"]} | {None}
        for e in result["entitlements"]
    )


def test_family_planning_parent_from_the_registry_gets_reward_assistance(county_db):
    """The 卫健 family-planning record and the 公安 户口性质 reach the household (certificate date, hukou type),
    and the engine decides 陆河's reward assistance on them: each living certificate holder aged 60+."""
    from cradle.policy.calc import calc_household

    with Session(make_engine(county_db)) as s:
        holders = s.execute(
            select(m.Person.id_number)
            .join(m.FamilyPlanning, m.FamilyPlanning.person_id == m.Person.id)
            .where(
                m.FamilyPlanning.status == "only_child_certificate",
                m.Person.birth_date <= dt.date(1960, 1, 1),
            )
            .distinct()
        ).scalars()
        checked = 0
        for id_number in holders:
            h = build_household(s, id_number, ON)
            parse_household(h, ON)
            me = next(x for x in h["members"] if x.get("id_number") == id_number)
            if me["relation"] not in ("mother", "father") or me.get("deceased"):
                continue
            assert h["family_planning"]["only_child_certificate"]
            assert dt.date.fromisoformat(h["family_planning"]["certificate_date"]) <= ON
            assert me.get("hukou_type") in ("rural", "urban")
            got = {
                e["beneficiary"]
                for e in calc_household(h, ON)["entitlements"]
                if e["program"] == "luhe.reward_assistance"
            }
            born_2016 = any(
                x["relation"] == "child" and x["birth_date"] >= "2016-01-01" for x in h["members"]
            )
            before_2016 = h["family_planning"]["certificate_date"] < "2016-01-01"
            assert (me["id"] in got) == (before_2016 and not born_2016), id_number
            checked += 1
        assert checked > 0


def test_a_child_who_left_the_nursery_keeps_it_until_the_month_after(migrated_db_url):
    """淄博 保育费补助 is monthly: the 教育/托育 leaving record ends it from the month after the child left."""
    with Session(make_engine(migrated_db_url)) as s:
        child = m.Person(name="小明", sex="M", birth_date=dt.date(2023, 5, 1))
        s.add(child)
        s.flush()
        common = {"person_id": child.id, "care_type": "nursery", "registered": True, "inclusive": True}
        s.add(m.CareEnrolment(source_id=1, event="enrol", valid_from=dt.date(2024, 9, 1), **common))
        s.add(m.CareEnrolment(source_id=2, event="leave", valid_from=dt.date(2025, 6, 15), **common))
        s.flush()
        before = _Builder(s, dt.date(2025, 6, 14)).care(child.id)
        assert before == {"type": "nursery", "public": False, "inclusive": True, "registered": True}
        assert _Builder(s, dt.date(2025, 6, 30)).care(child.id) == dict(before, left="2025-06-15")
        assert _Builder(s, dt.date(2025, 7, 1)).care(child.id) is None
