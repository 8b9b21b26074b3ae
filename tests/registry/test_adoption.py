"""民政 收养登记: an adoption row links the child to the parent who adopted it with the adoption's date, which the
household builder (one person's and the region's) gives as the child's `adopted_on`; a date before the child's
birth, a date in the future and an adopter who is the child are quarantined naming the field. On SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.batch.registry_region import RegionFacts
from cradle.db import make_engine
from cradle.idcard import make_id_number
from cradle.registry import models as m
from cradle.registry.feeds import FEEDS
from cradle.registry.household import build_household, household_of
from cradle.registry.ingest import ingest_file

COUNTY = "370303"
MOTHER = make_id_number(COUNTY, dt.date(1962, 3, 1), 1, "F")
CHILD = make_id_number(COUNTY, dt.date(2015, 5, 1), 2, "M")
OTHER = make_id_number(COUNTY, dt.date(2016, 7, 1), 3, "F")


def _row(record_no: str, child: str, born: str, when: str, adopter: str = MOTHER, **more) -> dict:
    return {
        "record_no": record_no,
        "id_number": child,
        "name": f"孩{record_no}",
        "sex": "1" if int(child[16]) % 2 else "2",
        "birth_date": born,
        "event": "adoption",
        "event_date": when,
        "region": COUNTY,
        "adopter_id_number": adopter,
        "adopter_name": "王收养",
        "adopter_sex": "2",
        **more,
    }


def _write(path, rows: list[dict]) -> None:
    names = FEEDS["minzheng"].names
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=names)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in names})


def test_an_adoption_is_dated_on_the_childs_relation_and_bad_rows_are_quarantined(migrated_db_url, tmp_path):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = tmp_path / "minzheng.csv"
    _write(
        path,
        [
            _row("MZA1", CHILD, "2015-05-01", "2025-06-01"),
            _row("MZA2", OTHER, "2016-07-01", "2016-06-30"),  # before the child's birth
            _row("MZA3", OTHER, "2016-07-01", future),  # not yet
            _row(
                "MZA4", OTHER, "2016-07-01", "2024-01-01", adopter=OTHER, adopter_sex="2"
            ),  # the child itself
        ],
    )
    summary = ingest_file("minzheng", path, url=migrated_db_url)
    assert summary.accepted == 1 and summary.quarantined == 3
    with Session(make_engine(migrated_db_url)) as s:
        refused = {q.record_no: (q.field, q.reason) for q in s.execute(select(m.QuarantineRow)).scalars()}
        assert refused == {
            "MZA2": ("event_date", "event_before_birth"),
            "MZA3": ("event_date", "date_implausible"),
            "MZA4": ("adopter_id_number", "adopter_is_child"),
        }
        link = s.execute(select(m.Relation).where(m.Relation.adopted_on.is_not(None))).scalar_one()
        assert (link.relation, link.adopted_on, link.valid_from) == (
            "mother",
            dt.date(2025, 6, 1),
            dt.date(2025, 6, 1),
        )
        # the household of the mother: before the adoption no child, after it the child, adopted, with the date
        before = build_household(s, MOTHER, dt.date(2025, 5, 31))
        assert [x["relation"] for x in before["members"]] == ["mother"]
        after = build_household(s, MOTHER, dt.date(2026, 1, 1))
        child = next(x for x in after["members"] if x["relation"] == "child")
        assert (child["id_number"], child["adopted"], child["adopted_on"]) == (CHILD, True, "2025-06-01")
        # the region's builder (what the assistance cycle reads: facts loaded for many persons at once)
        persons = list(s.execute(select(m.Person)).scalars())
        mother = next(p for p in persons if p.id_number == MOTHER)
        region = household_of(RegionFacts(s, dt.date(2026, 1, 1), (p.id for p in persons)), mother)
        kids = [x for x in region["members"] if x["relation"] == "child"]
        assert [(k["adopted"], k["adopted_on"]) for k in kids] == [(True, "2025-06-01")]


def test_a_minzheng_file_from_before_adoptions_still_loads(migrated_db_url, tmp_path):
    """The adopter columns came later: a file without them loads its other rows, and an adoption row in such a
    file is quarantined naming the adopter's ID number."""
    names = [c.name for c in FEEDS["minzheng"].columns if not c.name.startswith("adopter_")]
    death = {
        "record_no": "MZB1",
        "id_number": OTHER,
        "name": "旧格式",
        "sex": "2",
        "birth_date": "2016-07-01",
        "event": "death",
        "event_date": "2025-01-02",
        "region": COUNTY,
    }
    adoption = {k: v for k, v in _row("MZB2", CHILD, "2015-05-01", "2025-06-01").items() if k in names}
    path = tmp_path / "minzheng.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=names)
        w.writeheader()
        for r in (death, adoption):
            w.writerow({k: r.get(k, "") for k in names})
    summary = ingest_file("minzheng", path, url=migrated_db_url)
    assert (summary.accepted, summary.quarantined) == (1, 1)
    with Session(make_engine(migrated_db_url)) as s:
        q = s.execute(select(m.QuarantineRow)).scalar_one()
        assert (q.record_no, q.field) == ("MZB2", "adopter_id_number")
