"""Who takes which step of issue 22's cycle beyond the town and county: a village (村/社区) official checks, posts
and takes objections for the own village's people only, and nothing of another village or of the town's and
county's steps; a hospital's account asks the priority question and nothing else. On SQLite and PostgreSQL; the
API, the pages and `cradle assistance --actor` on SQLite."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from cradle.assistance import cycle, families, report
from cradle.assistance.models import Entry, Notice, Objection
from cradle.audit import AuditEntry
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.scope import in_scope, region_problem
from cradle.auth.testing import bearer_for, make_account
from cradle.cli import app
from cradle.db import session_scope
from cradle.errors import Conflict, Forbidden, IllegalTransition, OutOfScope
from cradle.health import institutions
from cradle.web.app import create_app

from .helpers import (
    COUNTY,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    accounts,
    county,
    day,
    entries_2025,
    father,
    mother,
    other_village,
    village,
    year_2025,
)

# families 0-3 live in the first village, 4-7 in the second
HOMES = {p(n): VILLAGE if n < 4 else OTHER_VILLAGE for n in range(8) for p in (mother, father)}


def _open_2025(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        cycle.find_candidates(s, county, COUNTY, 2025, year_2025())
    listed = entries_2025(url)
    with session_scope(url) as s:
        cycle.set_accounts(s, county, COUNTY, 2025, accounts(sorted(listed), villages=HOMES))
    return listed


def test_a_village_code_is_a_scope_of_its_own():
    assert region_problem(roles.VILLAGE, VILLAGE) is None
    assert region_problem(roles.VILLAGE, TOWN) is not None  # a town's code is not a village's
    assert region_problem(roles.TOWN, VILLAGE) is not None
    assert region_problem(roles.VILLAGE, "999999001001") is not None  # no such county
    assert in_scope(VILLAGE, VILLAGE) and in_scope(VILLAGE, TOWN) and in_scope(VILLAGE, COUNTY)
    assert (
        not in_scope(OTHER_VILLAGE, VILLAGE) and not in_scope(TOWN, VILLAGE) and not in_scope(COUNTY, VILLAGE)
    )
    assert village.county == COUNTY and village.town == TOWN and village.village == VILLAGE


def test_a_village_sees_checks_posts_and_objects_for_its_own_people_only(svc_url):
    url = svc_url
    listed = _open_2025(url)
    mine = {n for n, v in HOMES.items() if v == VILLAGE}
    with session_scope(url) as s:
        c = cycle.get_cycle(s, village, COUNTY, 2025)
        shown = report.status(s, c, village=VILLAGE)
    assert {e["name"] for e in shown["entries"]} == {f"{r}{n}" for n in range(4) for r in ("母", "父")}
    assert sum(shown["counts"].values()) == len(mine) == 8
    # the village's own check: its people's accounts; another village's person or village, refused, naming the row
    with session_scope(url) as s:
        cycle.set_accounts(
            s, village, COUNTY, 2025, [{"id_number": mother(1), "account_no": "621700000000009999"}]
        )
    for row, field in (
        ({"id_number": mother(5), "account_no": "621700000000008888"}, "rows[0].id_number"),
        ({"id_number": "620402199901010000", "account_no": "621700000000008888"}, "rows[0].id_number"),
        (
            {"id_number": mother(2), "account_no": "621700000000008888", "village": OTHER_VILLAGE},
            "rows[0].village",
        ),
    ):
        with session_scope(url) as s, pytest.raises(OutOfScope) as refused:
            cycle.set_accounts(s, village, COUNTY, 2025, [row])
        assert refused.value.field == field
    with session_scope(url) as s:
        numbers = {e.id_number: (e.account_no, e.village) for e in s.execute(select(Entry)).scalars()}
    assert numbers[mother(1)] == ("621700000000009999", VILLAGE)
    assert numbers[mother(5)][0] != "621700000000008888" and numbers[mother(2)][1] == VILLAGE
    # the county opens the 公示; posting before it is refused; the village posts its part once
    with session_scope(url) as s, pytest.raises(IllegalTransition) as early:
        cycle.post_notice(s, village, COUNTY, 2025, today=day("2025-03-01"))
    assert early.value.field == "status"
    with session_scope(url) as s, pytest.raises(Forbidden) as not_theirs:
        cycle.publicize(s, village, COUNTY, 2025, start=day("2025-03-01"), days=7)
    assert not_theirs.value.field == "actor.role"
    with session_scope(url) as s:
        cycle.publicize(s, county, COUNTY, 2025, start=day("2025-03-01"), days=7)
    with session_scope(url) as s:
        notice = cycle.post_notice(s, village, COUNTY, 2025, today=day("2025-03-02"))
        assert (notice.village, notice.people, notice.until) == (VILLAGE, 8, day("2025-03-07"))
    with session_scope(url) as s, pytest.raises(Conflict):
        cycle.post_notice(s, village, COUNTY, 2025, today=day("2025-03-03"))
    with session_scope(url) as s, pytest.raises(IllegalTransition) as late:
        cycle.post_notice(s, other_village, COUNTY, 2025, today=day("2025-03-08"))
    assert late.value.field == "posted_on"
    # objections: its own people, during the 公示; another village's person refused naming the entry
    with session_scope(url) as s:
        cycle.object_to(s, village, listed[mother(2)], "已迁往外省居住多年", today=day("2025-03-03"))
    with session_scope(url) as s, pytest.raises(OutOfScope) as other:
        cycle.object_to(s, village, listed[mother(5)], "户籍不在本村", today=day("2025-03-03"))
    assert other.value.field == "entry"
    with session_scope(url) as s:
        assert s.execute(select(func.count()).select_from(Objection)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(Notice)).scalar_one() == 1
        objection = s.execute(select(Objection)).scalar_one()
        shown = report.status(s, cycle.get_cycle(s, other_village, COUNTY, 2025), village=OTHER_VILLAGE)
        assert shown["objections"] == [] and [n["village"] for n in shown["notices"]] == []
    # the town's and county's steps stay theirs
    with session_scope(url) as s:
        for step in (
            lambda: cycle.decide(s, village, objection.id, True, "经核实"),
            lambda: cycle.review(s, village, COUNTY, 2025, today=day("2025-03-08")),
            lambda: cycle.approve(s, village, COUNTY, 2025, today=day("2025-03-08")),
            lambda: cycle.find_candidates(s, village, COUNTY, 2025, year_2025()),
        ):
            with pytest.raises(Forbidden) as refused:
                step()
            assert refused.value.field == "actor.role"
    # no special families' records for a village
    with session_scope(url) as s, pytest.raises(Forbidden):
        families.families(s, village, COUNTY)
    # a village of another county sees nothing of this one
    stranger = Actor(id="v9", role=roles.VILLAGE, region="620403001001")
    with session_scope(url) as s, pytest.raises(Forbidden) as outside:
        cycle.get_cycle(s, stranger, COUNTY, 2025)
    assert outside.value.field == "region"
    with session_scope(url) as s:
        posted = s.execute(select(AuditEntry).where(AuditEntry.action == "assistance.notice")).scalar_one()
    assert posted.actor.startswith(f"village_official:v1@{VILLAGE}") and posted.detail["people"] == 8


def test_a_village_official_over_the_api_the_pages_and_the_command_line(url):
    listed = _open_2025(url)
    with session_scope(url) as s:
        cycle.publicize(s, county, COUNTY, 2025, start=day("2025-03-01"), days=7)
    village_h = bearer_for(url, "village_official", VILLAGE)
    base = f"/api/v1/assistance/cycles/{COUNTY}/2025"
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as client:
        shown = client.get(base, headers=village_h).json()
        assert shown["village"] == VILLAGE and len(shown["entries"]) == 8
        assert {e["village"] for e in shown["entries"]} == {VILLAGE}
        assert mother(5) not in json.dumps(shown) and "母5" not in json.dumps(shown)
        r = client.post(
            f"/api/v1/assistance/entries/{listed[mother(5)]}/objections",
            json={"grounds": "户籍不在本村"},
            headers=village_h,
        )
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "entry"
        r = client.post(f"{base}/publicize", json={"days": 7}, headers=village_h)
        assert r.status_code in (403, 409) and r.json()["errors"][0]["field"] in ("actor.role", "status")
        r = client.post(
            f"{base}/accounts",
            json={"rows": [{"id_number": mother(6), "account_no": "6217000000000077"}]},
            headers=village_h,
        )
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "rows[0].id_number"
        assert client.get(f"/api/v1/assistance/families/{COUNTY}", headers=village_h).status_code == 403
        # the page: the village's part only, its objection and account forms, no step of the town's
        assert client.get("/assistance", headers=village_h).status_code == 200  # this year's, not begun
        page = client.get(f"/assistance/{COUNTY}/2025", headers=village_h)
        assert page.status_code == 200 and 'data-village="' + VILLAGE + '"' in page.text
        assert "母1" in page.text and "母5" not in page.text and mother(1) not in page.text
        assert 'data-step="publicize"' not in page.text and 'data-step="review"' not in page.text
        assert f'action="/assistance/entries/{listed[mother(1)]}/objections"' in page.text
        r = client.post(
            f"/assistance/entries/{listed[mother(5)]}/account",
            data={"account_no": "6217000000000055"},
            headers=village_h,
        )
        assert r.status_code == 403
        r = client.post(
            f"/assistance/entries/{listed[mother(1)]}/account", data={"account_no": "12"}, headers=village_h
        )
        assert r.status_code == 422 and 'href="#f-account_no"' in r.text
    # the command line, acting for the village's account
    account = make_account(url, "village_official", VILLAGE, username="cun-yi")
    assert account.region == VILLAGE
    runner = CliRunner()
    status = runner.invoke(
        app,
        [
            "assistance",
            "status",
            "--region",
            COUNTY,
            "--year",
            "2025",
            "--list",
            "--format",
            "json",
            "--actor",
            "cun-yi",
        ],
    )
    assert status.exit_code == 0, status.output
    assert {e["village"] for e in json.loads(status.output)["entries"]} == {VILLAGE}
    # the notice (the 公示 of 2025 is long over today: refused naming the date), and a step not the village's
    late = runner.invoke(
        app, ["assistance", "notice", "--region", COUNTY, "--year", "2025", "--actor", "cun-yi"]
    )
    assert late.exit_code != 0 and "posted_on" in late.output
    posted = runner.invoke(
        app,
        [
            "assistance",
            "notice",
            "--region",
            COUNTY,
            "--year",
            "2025",
            "--on",
            "2025-03-02",
            "--actor",
            "cun-yi",
        ],
    )
    assert posted.exit_code == 0, posted.output
    review = runner.invoke(
        app,
        [
            "assistance",
            "review",
            "--region",
            COUNTY,
            "--year",
            "2025",
            "--on",
            "2025-03-09",
            "--actor",
            "cun-yi",
        ],
    )
    assert review.exit_code != 0 and "actor.role" in review.output
    nobody = runner.invoke(
        app, ["assistance", "status", "--region", COUNTY, "--year", "2025", "--actor", "nobody"]
    )
    assert nobody.exit_code != 0 and "--actor" in nobody.output


def test_a_hospital_account_asks_from_the_command_line_and_nothing_else(url):
    with session_scope(url) as s:
        inst_id = institutions.register(s, "cli", "HROLE1", "白银区人民医院", COUNTY, "hospital", False).id
    make_account(url, "health_worker", COUNTY, username="yiyuan", institution_id=inst_id)
    runner = CliRunner()
    asked = runner.invoke(
        app, ["assistance", "priority", "--id-number", mother(0), "--actor", "yiyuan", "--format", "json"]
    )
    assert asked.exit_code == 0, asked.output
    assert json.loads(asked.output) == {"priority": False}  # no list approved yet
    refused = runner.invoke(
        app, ["assistance", "status", "--region", COUNTY, "--year", "2025", "--actor", "yiyuan"]
    )
    assert refused.exit_code != 0
    make_account(url, "county_official", COUNTY, username="quxian")
    not_a_hospital = runner.invoke(
        app, ["assistance", "priority", "--id-number", mother(0), "--actor", "quxian"]
    )
    assert not_a_hospital.exit_code != 0 and "actor.role" in not_a_hospital.output
    with session_scope(url) as s:
        asks = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "assistance.priority_check"))
            .scalars()
            .all()
        )
    assert [a.detail for a in asks] == [{"answer": False, "institution": inst_id}]
    assert all(mother(0) not in a.subject for a in asks)
