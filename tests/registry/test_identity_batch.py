"""Rows without an ID number, resolved set-based: one new person each, every earlier look-alike in the same city
queued once (also one from the same batch), none merged, and re-ingesting the file changes nothing."""

import datetime as dt

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle.db import make_engine
from cradle.idcard import make_id_number
from cradle.registry import identity
from cradle.registry import models as m
from cradle.registry.ingest import ingest_file

BORN = dt.date(2025, 1, 9)
CHILD = make_id_number("370303", BORN, 3, "M")
AWAY = make_id_number("441523", BORN, 4, "M")  # the same name and birth date in another city
MOTHER = make_id_number("370303", dt.date(1992, 3, 4), 1, "F")


def _birth(rec: str, name: str, id_number: str | None = None) -> dict:
    return {
        "record_no": rec,
        "id_number": id_number,
        "name": name,
        "sex": "1",
        "birth_date": BORN.isoformat(),
        "event": "birth",
        "event_date": BORN.isoformat(),
        "region": "370303",
        "mother_id_number": MOTHER,
        "mother_name": "赵敏",
        "birth_order": "1",
        "babies": "1",
    }


def test_unnumbered_rows_of_one_batch_are_queued_once_each(migrated_db_url, tmp_path):
    engine = make_engine(migrated_db_url)
    g = tmp_path / "gongan.csv"
    cols = ["record_no", "id_number", "name", "sex", "birth_date", "event", "event_date", "hukou_region"]
    pl.DataFrame(
        [
            ["G1", CHILD, "孙浩", "1", BORN.isoformat(), "register", BORN.isoformat(), "370303"],
            ["G2", AWAY, "孙浩", "1", BORN.isoformat(), "register", BORN.isoformat(), "441523"],
        ],
        schema=dict.fromkeys(cols, pl.String),
        orient="row",
    ).write_csv(g)
    ingest_file("gongan", g, engine=engine)
    w = tmp_path / "weijian.csv"
    pl.DataFrame([_birth("W1", "孙浩"), _birth("W2", "孙浩"), _birth("W3", "李想")]).write_csv(w)
    s = ingest_file("weijian", w, engine=engine)
    assert (s.accepted, s.queued) == (3, 2)  # 李想 looks like nobody

    with Session(engine) as session:
        by_record = dict(
            session.execute(
                select(m.SourceRecord.record_no, m.SourceRecord.person_id).where(
                    m.SourceRecord.dept == "weijian"
                )
            ).all()
        )
        numbered = session.execute(select(m.Person.id).where(m.Person.id_number == CHILD)).scalar_one()
        w1, w2, w3 = by_record["W1"], by_record["W2"], by_record["W3"]
        assert len({w1, w2, w3, numbered}) == 4  # a new person per row, none merged
        for pid in (w1, w2, w3):
            p = session.get(m.Person, pid)
            assert p.id_number is None and p.merged_into_id is None and p.region == "370303"
        pairs = {(c.person_id, c.candidate_id) for c in identity.pending(session)}
        assert pairs == {(w1, numbered), (w2, numbered), (w2, w1)}  # not the 441523 one, each pair once
        assert {b.child_id for b in session.execute(select(m.Birth)).scalars()} == {w1, w2, w3}

    assert ingest_file("weijian", w, engine=engine).skipped_as_already_ingested
    again = ingest_file("weijian", w, engine=engine, force=True)
    assert (again.accepted, again.duplicates, again.queued) == (0, 3, 0)
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(m.Person)).scalar_one() == 6  # 2 + mother + 3
        assert session.execute(select(func.count()).select_from(m.MatchCandidate)).scalar_one() == 3
    engine.dispose()
