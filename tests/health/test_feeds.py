"""The 妇幼 feeds go through the registry's ingest on both databases: good rows land in the health tables (results
and grades encrypted at rest), bad rows go to the quarantine with the column and reason named, and the nightly
sync opens the cases of the high-risk grades the feed brought."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select, text

from cradle.db import make_engine, session_scope
from cradle.health import sync
from cradle.health.models import ChildRecord, DeathReport, Delivery, Pregnancy, RiskAssessment, RiskCase
from cradle.idcard import make_id_number
from cradle.registry import models as rm
from cradle.registry.feeds import get_feed
from cradle.registry.ingest import ingest_file

MOTHER = make_id_number("441523", dt.date(1994, 7, 1), 40, "F")
MAN = make_id_number("441523", dt.date(1990, 7, 1), 41, "M")
CHILD = make_id_number("441523", dt.date(2025, 3, 3), 42, "M")
INST = "H44152301,陆河县妇幼保健院,1"


def _write(path: Path, dept: str, rows: list[dict]) -> Path:
    names = get_feed(dept).names
    lines = [",".join(names)] + [",".join(str(r.get(c, "")) for c in names) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(record_no: str, number: str, name: str, sex: str, born: str, event: str, on: str, **more) -> dict:
    code, inst_name, kind = INST.split(",")
    return {
        "record_no": record_no,
        "id_number": number,
        "name": name,
        "sex": sex,
        "birth_date": born,
        "event": event,
        "event_date": on,
        "region": "441523",
        "institution_code": code,
        "institution_name": inst_name,
        "institution_kind": kind,
        **more,
    }


def test_maternal_rows_are_stored_or_quarantined_naming_the_column(migrated_db_url, tmp_path):
    born = "1994-07-01"
    rows = [
        _row("M1", MOTHER, "林小红", "2", born, "file", "2025-01-05", pregnancy_no="LH1", weeks="8"),
        _row(
            "M2",
            MOTHER,
            "林小红",
            "2",
            born,
            "risk",
            "2025-01-05",
            pregnancy_no="LH1",
            risk_grade="4",
            risk_factors="心脏病",
        ),
        _row("M3", MOTHER, "林小红", "2", born, "visit", "2025-02-05", pregnancy_no="LH1", weeks="12"),
        _row(
            "M4",
            MOTHER,
            "林小红",
            "2",
            born,
            "test",
            "2025-01-10",
            pregnancy_no="LH1",
            hiv_result="1",
            syphilis_result="2",
            hbv_result="1",
        ),
        _row("M5", MOTHER, "林小红", "2", born, "risk", "2025-02-05", pregnancy_no="LH1", risk_grade="6"),
        _row("M6", MAN, "林大明", "1", "1990-07-01", "file", "2025-01-05", pregnancy_no="LH2", weeks="8"),
        _row("M7", MOTHER, "林小红", "2", born, "delivery", "2025-06-01", pregnancy_no="LH1"),
        _row("M8", MOTHER, "林小红", "2", born, "visit", "1994-06-01", pregnancy_no="LH1"),
    ]
    engine = make_engine(migrated_db_url)
    s = ingest_file("fuyou_maternal", _write(tmp_path / "m.csv", "fuyou_maternal", rows), engine=engine)
    assert (s.accepted, s.quarantined) == (4, 4)
    with session_scope(migrated_db_url) as db:
        q = {r.record_no: (r.field, r.reason) for r in db.scalars(select(rm.QuarantineRow))}
        assert q == {
            "M5": ("risk_grade", "enum"),  # a grade outside the five colours
            "M6": ("sex", "enum"),  # a pregnancy file for a man
            "M7": ("live_births", "missing"),  # a delivery without its live births
            "M8": ("event_date", "event_before_birth"),
        }
        preg = db.scalar(select(Pregnancy))
        assert (preg.pregnancy_no, preg.id_number, preg.weeks_at_filing, preg.status) == (
            "LH1",
            MOTHER,
            8,
            "open",
        )
        assert preg.person_id == db.scalar(select(rm.Person.id).where(rm.Person.id_number == MOTHER))
        assert db.scalar(select(RiskAssessment.grade)) == "red"
        assert db.scalar(select(func.count()).select_from(Delivery)) == 0
    with engine.connect() as conn:  # at rest: the grade, its factors and the results are ciphertext
        grade, factors = conn.execute(text("SELECT grade, factors FROM health_risk_assessment")).one()
        syphilis, number = conn.execute(
            text("SELECT syphilis, id_number FROM health_infection_record, health_pregnancy")
        ).one()
        assert grade.startswith("$") and factors.startswith("$") and syphilis.startswith("$")
        assert "red" not in grade and "心脏病" not in factors and number.startswith("$")
    with session_scope(migrated_db_url) as db:  # the nightly sync opens the red pregnancy's case, once
        assert sync.run(db, dt.date(2025, 2, 10))["cases_opened"] == 1
        assert sync.run(db, dt.date(2025, 2, 10))["cases_opened"] == 0
        case = db.scalar(select(RiskCase))
        assert (case.pregnancy_no, case.grade, case.next_due) == ("LH1", "red", dt.date(2025, 1, 12))
    engine.dispose()


def test_child_and_death_rows_refuse_a_child_not_born_and_a_death_before_the_birth(migrated_db_url, tmp_path):
    child_born = "2025-03-03"
    engine = make_engine(migrated_db_url)
    kids = [
        _row("C1", CHILD, "林小宝", "1", child_born, "hearing", "2025-03-05", result="1"),
        _row("C2", CHILD, "林小宝", "1", child_born, "metabolic", "2025-02-01", result="1"),  # not born yet
        _row("C3", CHILD, "林小宝", "1", child_born, "metabolic", "2025-03-06", result="3"),
    ]
    s = ingest_file("fuyou_child", _write(tmp_path / "c.csv", "fuyou_child", kids), engine=engine)
    assert (s.accepted, dict(s.reasons)) == (1, {"event_before_birth": 1, "enum": 1})
    died = [
        _row("D1", CHILD, "林小宝", "1", child_born, "death", "2025-01-01", death_kind="2", cause="P07"),
        _row("D2", CHILD, "林小宝", "1", child_born, "death", "2025-04-01", death_kind="2", cause="P07.3"),
        _row("D3", MOTHER, "林小红", "2", "1994-07-01", "death", "2025-04-01", death_kind="3", cause="O72"),
    ]
    s = ingest_file("fuyou_death", _write(tmp_path / "d.csv", "fuyou_death", died), engine=engine)
    assert s.accepted == 1
    with session_scope(migrated_db_url) as db:
        q = {r.record_no: (r.field, r.reason) for r in db.scalars(select(rm.QuarantineRow))}
        assert q["C2"] == ("event_date", "event_before_birth") and q["C3"] == ("result", "enum")
        assert q["D1"] == ("event_date", "death_before_birth") and q["D3"] == ("death_kind", "enum")
        death = db.scalar(select(DeathReport))
        assert (death.kind, death.cause, death.review_status, death.died_on) == (
            "child",
            "P07.3",
            "pending",
            dt.date(2025, 4, 1),
        )
        assert db.scalar(select(ChildRecord.result)) == "pass"
    engine.dispose()
