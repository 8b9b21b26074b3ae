"""Quarantine round trip (correct and re-submit) and identity review (queue, confirm, split) on both databases."""

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle.db import make_engine
from cradle.errors import Invalid
from cradle.idcard import make_id_number
from cradle.registry import identity
from cradle.registry import models as m
from cradle.registry.ingest import ingest_file
from cradle.registry.quarantine import correct, export_csv, list_rows, resubmit

MOTHER = make_id_number("370303", dt.date(1992, 3, 4), 1, "F")
FATHER = make_id_number("370303", dt.date(1990, 6, 7), 2, "M")
CHILD = make_id_number("370303", dt.date(2025, 1, 9), 3, "M")
BAD = CHILD[:-1] + ("0" if CHILD[-1] != "0" else "1")


def _gongan(path, rows):
    cols = [
        "record_no",
        "id_number",
        "name",
        "sex",
        "birth_date",
        "event",
        "event_date",
        "hukou_region",
        "household_no",
        "relation_to_head",
        "hukou_type",
    ]
    pl.DataFrame(rows, schema=dict.fromkeys(cols, pl.String), orient="row").write_csv(path)


def test_correct_and_resubmit(migrated_db_url, tmp_path):
    engine = make_engine(migrated_db_url)
    f = tmp_path / "gongan.csv"
    _gongan(
        f,
        [
            ["G1", MOTHER, "赵敏", "2", "1992-03-04", "register", "1992-03-04", "370303", "H1", "02", "2"],
            ["G2", BAD, "孙浩", "1", "2025-01-09", "register", "2025-01-09", "370303", "H1", "20", "2"],
        ],
    )
    s = ingest_file("gongan", f, engine=engine)
    assert (s.accepted, s.quarantined, dict(s.reasons)) == (1, 1, {"id_checksum": 1})
    with Session(engine) as session:
        (row,) = list_rows(session)
        assert (row.row_no, row.field, row.reason, row.raw["id_number"]) == (
            3,
            "id_number",
            "id_checksum",
            BAD,
        )
        assert export_csv(session, tmp_path / "q.csv") == 1
        with pytest.raises(Invalid):
            correct(session, row.id, {"no_such_field": "x"})
        correct(session, row.id, {"id_number": CHILD})
        session.commit()
        row_id = row.id
    (again,) = resubmit(engine=engine)
    assert (again.accepted, again.quarantined) == (1, 0)
    with Session(engine) as session:
        row = session.get(m.QuarantineRow, row_id)
        assert row.status == "resubmitted" and row.raw["id_number"] == BAD  # the row as read is kept
        rec = session.execute(select(m.SourceRecord).where(m.SourceRecord.record_no == "G2")).scalar_one()
        assert rec.row_no == 3 and rec.run_id == again.run_id
        assert session.execute(select(func.count()).select_from(m.Person)).scalar_one() == 2
    engine.dispose()


def test_unnumbered_birth_is_queued_then_confirmed_and_split(migrated_db_url, tmp_path):
    engine = make_engine(migrated_db_url)
    w = tmp_path / "weijian.csv"
    pl.DataFrame(
        [
            {
                "record_no": "W1",
                "id_number": None,
                "name": "孙浩",
                "sex": "1",
                "birth_date": "2025-01-09",
                "event": "birth",
                "event_date": "2025-01-09",
                "region": "370303",
                "mother_id_number": MOTHER,
                "mother_name": "赵敏",
                "father_id_number": FATHER,
                "father_name": "孙强",
                "birth_order": "1",
                "babies": "1",
                "delivery_mode": "2",
                "dystocia": "0",
                "in_policy_cost": "9000",
            }
        ]
    ).write_csv(w)
    s = ingest_file("weijian", w, engine=engine)
    assert (s.accepted, s.queued) == (1, 0)  # nobody like him yet
    g = tmp_path / "gongan.csv"
    _gongan(
        g, [["G9", CHILD, "孙浩", "1", "2025-01-09", "register", "2025-01-20", "370303", "H1", "20", "2"]]
    )
    s = ingest_file("gongan", g, engine=engine)
    assert s.queued == 1
    with Session(engine) as session:
        (cand,) = identity.pending(session)
        numbered = session.execute(select(m.Person).where(m.Person.id_number == CHILD)).scalar_one()
        assert cand.candidate_id == numbered.id
        # not merged silently: the birth still belongs to the record without an ID number
        birth = session.execute(select(m.Birth)).scalar_one()
        assert birth.child_id == cand.person_id != numbered.id
        c = identity.decide(session, cand.id, confirm=True, actor="official-1")
        assert identity.cluster(session, numbered.id) == [numbered.id, cand.person_id]
        with pytest.raises(Invalid):
            identity.decide(session, cand.id, confirm=True, actor="official-1")
        identity.split(session, c.merge_id, actor="official-2", reason="不是同一人")
        assert identity.cluster(session, numbered.id) == [numbered.id]
        assert session.get(m.MatchCandidate, cand.id).status == "pending"
        actions = session.execute(select(m.MergeAudit.action).order_by(m.MergeAudit.id)).scalars().all()
        assert actions == ["merge", "split"]
        session.commit()
    engine.dispose()


def test_a_correction_keeps_the_earlier_value(migrated_db_url, tmp_path):
    from cradle.registry.history import history
    from cradle.registry.household import build_household

    engine = make_engine(migrated_db_url)
    f = tmp_path / "gongan.csv"
    _gongan(
        f,
        [
            ["G1", MOTHER, "赵敏", "2", "1992-03-04", "register", "1992-03-04", "370303", "H1", "02", "2"],
            ["G2", MOTHER, "赵晓敏", "2", "1992-03-04", "correct", "2024-05-01", "370303", "H1", "02", "2"],
        ],
    )
    assert ingest_file("gongan", f, engine=engine).accepted == 2
    with Session(engine) as s:
        person = s.execute(select(m.Person).where(m.Person.id_number == MOTHER)).scalar_one()
        assert person.name == "赵敏"  # as first registered
        names = [
            (x["valid_from"], x["name"]) for x in history(s, person.id)["facts"] if x["kind"] == "identity"
        ]
        assert names == [("2024-05-01", "赵晓敏")]
        before = build_household(s, MOTHER, dt.date(2024, 4, 30))["members"][0]["name"]
        after = build_household(s, MOTHER, dt.date(2024, 5, 1))["members"][0]["name"]
        assert (before, after) == ("赵敏", "赵晓敏")
    engine.dispose()
