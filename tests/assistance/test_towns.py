"""A town (乡镇/街道) official sees and acts on the own town's people alone: the list and its counts, the villages'
notices and the objections of the town, the account check, objections, adding a person and the town's review of
its own part; a person with no town yet is the county's until it assigns one. The county opens the 公示 and sees
the whole county. On the service functions, the API, the pages and `cradle assistance --actor`."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cradle.assistance import cycle, families, report, sample
from cradle.assistance.models import Entry, Objection, TownReview
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.testing import bearer_for, make_account
from cradle.cli import app
from cradle.db import session_scope
from cradle.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound, OutOfScope
from cradle.web.app import create_app

from .helpers import (
    COUNTY,
    REWARD,
    TOWN,
    VILLAGE,
    accounts,
    county,
    day,
    entries_2025,
    father,
    mother,
    town,
    village,
    year_2025,
)

OTHER_TOWN = f"{COUNTY}002"
other_town = Actor(id="t2", role=roles.TOWN, region=OTHER_TOWN, name="二镇计生办")
# families 0-2 live in the town (its first village), 4-5 in the other town; 3, 6 and 7 are placed in none yet
MINE, THEIRS, NONE = (0, 1, 2), (4, 5), (3, 6, 7)


def _people(families_: tuple[int, ...]) -> set[str]:
    return {p(n) for n in families_ for p in (mother, father)}


def _names(families_: tuple[int, ...]) -> set[str]:
    return {f"{r}{n}" for n in families_ for r in ("母", "父")}


def _open_2025(url: str) -> dict[str, int]:
    """The county finds the candidates and places families 0-2 and 4-5 in their towns (3, 6, 7 in none)."""
    with session_scope(url) as s:
        cycle.find_candidates(s, county, COUNTY, 2025, year_2025())
    placed = accounts(sorted(_people(MINE)), villages={n: VILLAGE for n in _people(MINE)})
    placed += accounts(sorted(_people(THEIRS)), OTHER_TOWN)
    with session_scope(url) as s:
        cycle.set_accounts(s, county, COUNTY, 2025, placed)
    return entries_2025(url)


def test_a_town_sees_and_acts_on_its_own_people_and_reviews_its_own_part(svc_url):
    url = svc_url
    listed = _open_2025(url)
    with session_scope(url) as s:
        c = cycle.get_cycle(s, town, COUNTY, 2025)
        shown = report.status(s, c, town=TOWN)
        whole = report.status(s, c)
    assert {e["name"] for e in shown["entries"]} == _names(MINE) and shown["town"] == TOWN
    assert sum(shown["counts"].values()) == 6 and sum(whole["counts"].values()) == 16
    # the account check: the own town's people only; another town's, one of no town yet, or moving one away:
    # refused naming the row's field, nothing stored
    with session_scope(url) as s:
        cycle.set_accounts(
            s, town, COUNTY, 2025, [{"id_number": mother(1), "account_no": "621700000000009999"}]
        )
    for row, field in (
        ({"id_number": mother(4), "account_no": "621700000000008888"}, "rows[0].id_number"),
        ({"id_number": mother(6), "account_no": "621700000000008888"}, "rows[0].id_number"),
        ({"id_number": mother(2), "account_no": "621700000000008888", "town": OTHER_TOWN}, "rows[0].town"),
        (
            {"id_number": mother(2), "account_no": "621700000000008888", "village": f"{OTHER_TOWN}001"},
            "rows[0].village",
        ),
    ):
        with session_scope(url) as s, pytest.raises(OutOfScope) as refused:
            cycle.set_accounts(s, town, COUNTY, 2025, [row])
        assert refused.value.field == field
    # a village may not move its person to another town; the county moving one names the new town's village
    with session_scope(url) as s, pytest.raises(OutOfScope) as refused:
        row = {"id_number": mother(2), "account_no": "621700000000008888", "town": OTHER_TOWN}
        cycle.set_accounts(s, village, COUNTY, 2025, [row])
    assert refused.value.field == "rows[0].town"
    with session_scope(url) as s, pytest.raises(Invalid) as unplaced:
        row = {"id_number": mother(2), "account_no": "621700000000008888", "town": OTHER_TOWN}
        cycle.set_accounts(s, county, COUNTY, 2025, [row])
    assert unplaced.value.field == "rows[0].village"
    with session_scope(url) as s:
        stored = {e.id_number: (e.account_no, e.town) for e in s.execute(select(Entry)).scalars()}
    assert stored[mother(1)] == ("621700000000009999", TOWN)
    assert stored[mother(2)][1] == TOWN and stored[mother(6)][1] is None
    assert "621700000000008888" not in {a for a, _t in stored.values()}
    # a town adds a person of its own town (placed in it), never of another
    extra = sample.family(COUNTY, 31, "reward")
    with session_scope(url) as s, pytest.raises(OutOfScope) as refused:
        cycle.add_candidate(
            s, town, COUNTY, 2025, program=REWARD, household=extra, beneficiary="m", town=OTHER_TOWN
        )
    assert refused.value.field == "town"
    with session_scope(url) as s:
        added = cycle.add_candidate(s, town, COUNTY, 2025, program=REWARD, household=extra, beneficiary="m")
        assert added.town == TOWN
    # the county opens the 公示; a town may not (it would post every town's people)
    with session_scope(url) as s, pytest.raises(Forbidden) as refused:
        cycle.publicize(s, town, COUNTY, 2025, start=day("2025-03-01"), days=7)
    assert refused.value.field == "actor.role"
    with session_scope(url) as s:
        cycle.publicize(s, county, COUNTY, 2025, start=day("2025-03-01"), days=7)
    # objections: the town's own people; another town's or the county's own refused naming the entry
    with session_scope(url) as s:
        mine = cycle.object_to(s, town, listed[mother(2)], "已迁往外省居住多年", today=day("2025-03-03"))
    for n in (4, 6):
        with session_scope(url) as s, pytest.raises(OutOfScope) as refused:
            cycle.object_to(s, town, listed[mother(n)], "户籍不在本镇", today=day("2025-03-03"))
        assert refused.value.field == "entry"
    with session_scope(url) as s:
        theirs = cycle.object_to(s, county, listed[mother(5)], "已死亡", today=day("2025-03-03"))
    with session_scope(url) as s, pytest.raises(OutOfScope) as refused:
        cycle.decide(s, town, theirs.id, True, "经核实")
    assert refused.value.field == "objection"
    with session_scope(url) as s:
        shown = report.status(s, cycle.get_cycle(s, town, COUNTY, 2025), town=TOWN)
    assert [o["id"] for o in shown["objections"]] == [mine.id]
    # the review: the town's own part, once the 公示 has ended and its own objections are decided
    with session_scope(url) as s, pytest.raises(IllegalTransition) as early:
        cycle.review(s, town, COUNTY, 2025, today=day("2025-03-08"))
    assert early.value.field == "objections"
    with session_scope(url) as s:
        cycle.decide(s, town, mine.id, False, "经核实户籍在本镇")
    with session_scope(url) as s:
        c = cycle.review(s, town, COUNTY, 2025, today=day("2025-03-08"))
        assert c.status == "publicized"  # the other town has not reviewed yet
    with session_scope(url) as s, pytest.raises(Conflict) as twice:
        cycle.review(s, town, COUNTY, 2025, today=day("2025-03-09"))
    assert twice.value.field == "town"
    with session_scope(url) as s, pytest.raises(IllegalTransition):
        cycle.approve(s, county, COUNTY, 2025, today=day("2025-03-09"))
    with session_scope(url) as s, pytest.raises(IllegalTransition) as waiting:
        cycle.review(s, other_town, COUNTY, 2025, today=day("2025-03-09"))
    assert waiting.value.field == "objections"  # its own objection is still open
    with session_scope(url) as s:
        cycle.decide(s, other_town, theirs.id, True, "经核实已死亡")
    with session_scope(url) as s:
        assert cycle.review(s, other_town, COUNTY, 2025, today=day("2025-03-09")).status == "reviewed"
    with session_scope(url) as s:
        reviews = {r.town: r.people for r in s.execute(select(TownReview)).scalars()}
        shown = report.status(s, cycle.get_cycle(s, town, COUNTY, 2025), town=TOWN)
    assert reviews == {TOWN: 7, OTHER_TOWN: 4}
    assert [r["town"] for r in shown["reviews"]] == [TOWN]
    with session_scope(url) as s:
        assert cycle.approve(s, county, COUNTY, 2025, today=day("2025-03-10")).status == "approved"
    # the special families that joined: a town sees its own; one of no town is the county's
    with session_scope(url) as s:
        seen = {f.household for f in families.families(s, town, COUNTY)}
        every = {f.household: f for f in families.families(s, county, COUNTY)}
        assert seen == {mother(0)} and set(every) == {mother(0), mother(3)}
        with pytest.raises(NotFound):
            families.get_family(s, town, every[mother(3)].id)


def test_with_nobody_placed_in_a_town_the_county_approves_after_the_public_notice(svc_url):
    with session_scope(svc_url) as s:
        cycle.find_candidates(s, county, COUNTY, 2025, year_2025())
        cycle.publicize(s, county, COUNTY, 2025, start=day("2025-03-01"), days=7)
    with session_scope(svc_url) as s:
        assert report.status(s, cycle.get_cycle(s, town, COUNTY, 2025), town=TOWN)["entries"] == []
    with session_scope(svc_url) as s, pytest.raises(Conflict) as nobody:
        cycle.review(s, town, COUNTY, 2025, today=day("2025-03-08"))
    assert nobody.value.field == "town"
    with session_scope(svc_url) as s:
        assert cycle.approve(s, county, COUNTY, 2025, today=day("2025-03-08")).status == "approved"
        assert s.execute(select(Objection)).first() is None


def test_a_town_official_over_the_api_the_pages_and_the_command_line(url):
    listed = _open_2025(url)
    with session_scope(url) as s:
        cycle.publicize(s, county, COUNTY, 2025, start=day("2025-03-01"), days=7)
    town_h = bearer_for(url, "town_official", TOWN)
    county_h = bearer_for(url, "county_official", COUNTY)
    base = f"/api/v1/assistance/cycles/{COUNTY}/2025"
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as client:
        shown = client.get(base, headers=town_h).json()
        assert shown["town"] == TOWN and {e["name"] for e in shown["entries"]} == _names(MINE)
        assert sum(shown["counts"].values()) == 6
        for n in (*THEIRS, *NONE):
            assert f"母{n}" not in json.dumps(shown, ensure_ascii=False)
        whole = client.get(base, headers=county_h).json()
        assert whole["town"] is None and len(whole["entries"]) == 16
        r = client.post(
            f"/api/v1/assistance/entries/{listed[mother(4)]}/objections",
            json={"grounds": "户籍不在本镇"},
            headers=town_h,
        )
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "entry"
        r = client.post(
            f"{base}/accounts",
            json={"rows": [{"id_number": mother(6), "account_no": "6217000000000077"}]},
            headers=town_h,
        )
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "rows[0].id_number"
        r = client.post(f"{base}/publicize", json={"days": 7}, headers=town_h)
        assert r.status_code in (403, 409) and r.json()["errors"][0]["field"] in ("actor.role", "status")
        # the page: the town's part only, no step of the county's; another town's line refused
        page = client.get(f"/assistance/{COUNTY}/2025", headers=town_h)
        assert page.status_code == 200 and "母1" in page.text
        assert "母4" not in page.text and "母6" not in page.text and mother(1) not in page.text
        assert 'data-step="publicize"' not in page.text and 'data-step="review"' in page.text
        r = client.post(
            f"/assistance/entries/{listed[mother(5)]}/account",
            data={"account_no": "6217000000000055"},
            headers=town_h,
        )
        assert r.status_code == 403
        county_page = client.get(f"/assistance/{COUNTY}/2025", headers=county_h)
        assert "母4" in county_page.text and "母6" in county_page.text
        assert 'data-step="publicize"' in county_page.text and 'name="town"' not in page.text
        # the county places a person of no town yet in the town on its page; the town then sees them
        r = client.post(
            f"/assistance/entries/{listed[mother(6)]}/account",
            data={"account_no": "6217000000000066", "town": "12345"},
            headers=county_h,
        )
        assert r.status_code == 422 and 'href="#f-town"' in r.text
        r = client.post(
            f"/assistance/entries/{listed[mother(6)]}/account",
            data={"account_no": "6217000000000066", "town": TOWN},
            headers=county_h,
        )
        assert r.status_code == 303
        assert "母6" in client.get(f"/assistance/{COUNTY}/2025", headers=town_h).text
    # the command line, acting for the town's account: its part of the list; its review takes --actor
    make_account(url, "town_official", TOWN, username="zhen-yi")
    runner = CliRunner()
    status = runner.invoke(
        app,
        ["assistance", "status", "--region", COUNTY, "--year", "2025", "--list", "--format", "json"]
        + ["--actor", "zhen-yi"],
    )
    assert status.exit_code == 0, status.output
    out = json.loads(status.output)
    assert {e["name"] for e in out["entries"]} == _names(MINE) | {"母6"} and out["town"] == TOWN
    anonymous = runner.invoke(
        app, ["assistance", "review", "--region", COUNTY, "--year", "2025", "--on", "2025-03-08"]
    )
    assert anonymous.exit_code != 0 and "--actor" in anonymous.output
    review = runner.invoke(
        app,
        ["assistance", "review", "--region", COUNTY, "--year", "2025", "--on", "2025-03-08"]
        + ["--actor", "zhen-yi", "--format", "json"],
    )
    assert review.exit_code == 0, review.output
    done = json.loads(review.output)
    assert done["status"] == "publicized" and [r["town"] for r in done["reviews"]] == [TOWN]
