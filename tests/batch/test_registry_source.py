"""Catalogue households (what the registry's builder returns) into the batch layout and back."""

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from cradle.batch.compute import entitlements
from cradle.batch.registry_source import to_frames
from cradle.policy.calc import calc_household
from cradle.policy.population import Population

from .conftest import ON
from .helpers import batch_rows, calc_rows

EXAMPLE = Path(__file__).resolve().parent.parent / "policy" / "household_370303.json"


def test_households_through_the_batch_layout_equal_calc(tmp_path):
    household = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    frames = to_frames([household, household], ON)
    frames.write(tmp_path)
    back = [pl.read_parquet(tmp_path / f"{n}.parquet") for n in ("households", "persons", "births")]
    table = entitlements(Population.from_frames(*back), ON)
    expected = calc_rows(calc_household(household, ON))
    assert expected
    for hid in ("1", "2"):
        rows = table.filter(pl.col("household") == hid).with_columns(
            pl.col("beneficiary").str.replace(r"^\d+:", "")
        )
        assert batch_rows(rows.to_dicts()) == expected


def test_optional_person_facts_travel_through_the_batch_layout_and_may_be_missing(tmp_path):
    """The person facts added for issue 20 (pregnancy, diagnosis, social insurance, marriage, assisted
    reproduction) go through the batch tables and back to the household JSON; a table written before they
    existed reads as "not given"."""
    from cradle.batch.household import households_json
    from cradle.policy.population import OPTIONAL_PERSON_COLUMNS

    household = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    mother, father, c1, _ = household["members"]
    mother.update(pregnancy_months=8, social_insurance="enterprise", marriage_date="2018-05-20")
    father.update(marriage_date="2018-05-20", assisted_reproduction=True)
    c1.update(diagnosis="autism")
    frames = to_frames([household], ON)
    table = entitlements(Population.from_frames(frames.households, frames.persons, frames.births), ON)
    assert batch_rows(table.with_columns(pl.col("beneficiary").str.replace(r"^\d+:", "")).to_dicts()) == (
        calc_rows(calc_household(household, ON))
    )
    (back,) = households_json(frames.households, frames.persons, frames.births, [1]).values()
    facts = {m["id"]: {k: m.get(k) for k in OPTIONAL_PERSON_COLUMNS if k in m} for m in back["members"]}
    assert facts["1:m"] == {
        "pregnancy_months": 8,
        "social_insurance": "enterprise",
        "marriage_date": "2018-05-20",
    }
    assert facts["1:f"] == {"marriage_date": "2018-05-20", "assisted_reproduction": True}
    assert facts["1:c1"] == {"diagnosis": "autism"}
    older = Population.from_frames(
        frames.households, frames.persons.drop(OPTIONAL_PERSON_COLUMNS), frames.births
    )
    assert not older.persons["pregnancy_months"].any() and not older.persons["assisted_reproduction"].any()
    assert older.persons["marriage_date"].dtype == "datetime64[D]"


def test_registry_source_equals_calc(tmp_path, migrated_sqlite_url):
    """A small 陆河县 registry (the registry's own synthetic feeds, ingested), exported and run as a batch."""
    import datetime as dt

    from cradle.batch.household import households_json
    from cradle.batch.registry_source import export_region
    from cradle.batch.runner import BatchSpec, read_output, run_batch
    from cradle.db import make_engine
    from cradle.registry.ingest import ingest_directory
    from cradle.synth.feeds import write_feeds
    from cradle.synth.population import generate as registry_synth

    on = dt.date(2025, 7, 1)
    feeds = tmp_path / "feeds"
    write_feeds(registry_synth("441523", 300, 5, dt.date(2025, 6, 30)), feeds, seed=5, dirty_rate=0.0)
    url = migrated_sqlite_url
    ingest_directory(feeds, engine=make_engine(url))
    src = export_region("441523", on, tmp_path / "src", url)
    frames = [pl.read_parquet(src / f"{n}.parquet") for n in ("households", "persons", "births")]
    assert frames[0].height > 20 and frames[2].height > 0
    run_batch(BatchSpec("441523", on, str(src)), tmp_path / "out", workers=1)
    table = read_output(tmp_path / "out")
    assert table.height > 0
    sample = frames[2]["household_id"].unique().head(8).to_list()
    for hid, household in households_json(*frames, sample).items():
        expected = calc_rows(calc_household(household, on))
        got = batch_rows(table.filter(pl.col("household") == str(hid)).to_dicts())
        assert got == expected


@pytest.mark.slow
def test_set_based_registry_source_equals_the_builder_person_by_person(tmp_path, migrated_db_url):
    """The region's households from facts loaded in bulk equal the registry's own builder asked person by
    person (the 免申即享 path), household for household, on both databases (PostgreSQL is sent each chunk of
    ids as an array); and the bulk load sends a few queries per table, not some per person. The feeds carry
    dirty rows (corrections, duplicates), so the newest-fact rules matter."""
    import datetime as dt

    from sqlalchemy import event

    from cradle.batch.registry_source import region_persons, registry_households
    from cradle.db import make_engine, session_scope
    from cradle.errors import Invalid
    from cradle.registry.household import build_household
    from cradle.registry.ingest import ingest_directory
    from cradle.registry.models import Employment, Person, SourceRecord
    from cradle.synth.feeds import write_feeds
    from cradle.synth.population import generate as registry_synth

    on = dt.date(2025, 7, 1)
    feeds = tmp_path / "feeds"
    write_feeds(registry_synth("441523", 400, 7, dt.date(2025, 6, 30)), feeds, seed=7, dirty_rate=0.05)
    url = migrated_db_url
    engine = make_engine(url)
    ingest_directory(feeds, engine=engine)
    with session_scope(url) as session:
        # A record merged into an adult of the region (identity resolution) holding their newest job: read with
        # the survivor, whom the region's read already gave (`RegionFacts(read=…)`).
        adult = next(p for p in region_persons(session, "441523", on) if on.year - p.birth_date.year > 30)
        source = SourceRecord(
            dept="renshe", record_no="merged-1", row_hash=0, run_id=0, row_no=1, event="employment"
        )
        session.add(source)
        session.flush()
        merged = Person(name="merged", sex=adult.sex, birth_date=adult.birth_date, merged_into_id=adult.id)
        session.add(merged)
        session.flush()
        session.add(
            Employment(
                source_id=source.id,
                person_id=merged.id,
                status="employee",
                employer_avg_monthly_wage=12345,
                valid_from=on - dt.timedelta(days=1),
            )
        )
    statements = []
    with session_scope(url) as session:
        persons = region_persons(session, "441523", on)
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.get_bind(), "before_cursor_execute", listener)
        bulk = registry_households(session, "441523", on)
        event.remove(session.get_bind(), "before_cursor_execute", listener)
        reference, seen = [], set()
        for person in persons:
            try:
                household = build_household(session, person.id_number, on)
            except Invalid:
                continue
            key = frozenset(
                m.get("id_number") or f"{m['name']}|{m['birth_date']}" for m in household["members"]
            )
            if key not in seen:
                seen.add(key)
                reference.append(household)
    assert len(persons) > 100 and len(bulk) > 50
    assert sum(len(h["events"]) for h in bulk) > 0
    assert any(m.get("employer_avg_monthly_wage") == 12345 for h in bulk for m in h["members"])
    assert bulk == reference
    assert len(statements) < 40, len(statements)


def _twins(county: str) -> dict:
    born = "2025-03-10"
    kids = [
        {
            "id": k,
            "relation": "child",
            "sex": "M",
            "birth_date": born,
            "medical_insurance": "none",
            "care": {"type": "nursery", "registered": True, "left": "2025-06-20"},
        }
        for k in ("t1", "t2")
    ]
    return {
        "jurisdiction": county,
        "members": [
            {
                "id": "m",
                "relation": "mother",
                "sex": "F",
                "birth_date": "1992-01-01",
                "employment": "employee",
                "medical_insurance": "employee",
                "maternity_insurance": True,
                "employer_avg_monthly_wage": 8000,
            },
            {
                "id": "f",
                "relation": "father",
                "sex": "M",
                "birth_date": "1990-01-01",
                "employment": "employee",
            },
            {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2020-01-05"},
            *kids,
        ],
        "events": [
            {"type": "birth", "children": ["t1", "t2"], "date": born, "in_policy_delivery_cost": 5000}
        ],
    }


def test_twins_are_one_delivery_in_the_batch_path_as_in_calc(tmp_path):
    """The batch layout has a births row per newborn; the vectorised path reads the two rows of one date as one
    delivery, as calc does, and a nursery leaving date travels with the child."""
    on = "2025-06-30"
    households = [_twins(c) for c in ("140105", "370303", "441523")]
    frames = to_frames(households, ON)
    frames.write(tmp_path)
    back = [pl.read_parquet(tmp_path / f"{n}.parquet") for n in ("households", "persons", "births")]
    assert back[2].height == 6  # two newborn rows per household
    day = dt.date.fromisoformat(on)
    table = entitlements(Population.from_frames(*back), day)
    for hid, household in enumerate(households, 1):
        rows = table.filter(pl.col("household") == str(hid)).with_columns(
            pl.col("beneficiary").str.replace(r"^\d+:", "")
        )
        assert batch_rows(rows.to_dicts()) == calc_rows(calc_household(household, day))
    programs = table["program"].to_list()
    assert programs.count("sx.paternity_leave") == 1 and programs.count("cn.maternity_leave") == 3
    assert programs.count("luhe.newborn_insurance_window") == 2
    assert programs.count("zibo.nursery_fee_subsidy") == 2  # the second and third child, until July


def test_region_persons_are_those_whose_newest_hukou_event_on_the_date_lies_in_the_region(migrated_db_url):
    """Movers out and in, a move after the date, other counties and cities, a merged record and a person without
    an ID number: the persons of a county, a city and a province are those whose newest 户籍 event on the date
    places them there, as judged from every event (the query looks only among persons with some event there)."""
    import datetime as dt
    import itertools

    from cradle import regions
    from cradle.batch.registry_source import region_persons
    from cradle.db import session_scope
    from cradle.registry.models import HukouEvent, IngestRun, Person, SourceRecord

    D, on = dt.date, dt.date(2025, 7, 1)
    histories = {  # person -> (event, region, day), oldest first
        "stays": [("register", "441523", D(2000, 1, 1))],
        "moved_out": [("register", "441523", D(2000, 1, 1)), ("move_out", "441523", D(2020, 5, 1))],
        "moved_in": [("register", "441521", D(2000, 1, 1)), ("move_in", "441523", D(2021, 3, 1))],
        "moved_away": [("register", "441523", D(2000, 1, 1)), ("move_in", "441521", D(2022, 8, 1))],
        "moves_later": [("register", "441523", D(2000, 1, 1)), ("move_in", "441521", D(2026, 1, 1))],
        "born_later": [("register", "441523", D(2025, 9, 1))],
        "other_city": [("register", "440303", D(2001, 1, 1))],
        "came_from_city": [("register", "440303", D(2001, 1, 1)), ("move_in", "441581", D(2019, 1, 1))],
        "merged": [("register", "441523", D(2000, 1, 1))],
        "no_id_number": [("register", "441523", D(2000, 1, 1))],
    }
    with session_scope(migrated_db_url) as s:
        run = IngestRun(dept="gongan", file_name="t.csv")
        s.add(run)
        s.flush()
        seq, ids = itertools.count(1), {}
        for n, (who, events) in enumerate(histories.items()):
            p = Person(
                name=who,
                sex="F",
                birth_date=D(1990, 1, 1),
                id_number=None if who == "no_id_number" else f"4415231990010{n:04d}",
            )
            s.add(p)
            s.flush()
            ids[who] = p.id
            for event, region, day in events:
                k = next(seq)
                r = SourceRecord(
                    dept="gongan",
                    record_no=str(k),
                    row_hash=k,
                    run_id=run.id,
                    row_no=k,
                    event=event,
                    valid_from=day,
                )
                s.add(r)
                s.flush()
                s.add(HukouEvent(source_id=r.id, person_id=p.id, event=event, region=region, valid_from=day))
        s.flush()
        s.get(Person, ids["merged"]).merged_into_id = ids["stays"]

    def expected(region: str) -> set[str]:
        out = set()
        for who, events in histories.items():
            newest = max((e for e in events if e[2] <= on), key=lambda e: e[2], default=None)
            if who in ("merged", "no_id_number") or newest is None or newest[0] == "move_out":
                continue
            if regions.is_within(newest[1], region):
                out.add(who)
        return out

    names = {v: k for k, v in ids.items()}
    with session_scope(migrated_db_url) as s:
        for region in ("441523", "441521", "441581", "441500", "440303", "440000"):
            got = {names[p.id] for p in region_persons(s, region, on)}
            assert got == expected(region), region
    assert expected("441523") == {"stays", "moved_in", "moves_later"}
    assert expected("441500") == {"stays", "moved_in", "moves_later", "moved_away", "came_from_city"}
