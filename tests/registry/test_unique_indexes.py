"""A person's ID number and a department's record number are kept unique by unique indexes since registry_0010
(a first load sets them aside, cradle.registry.bulk): a registry migrated from before keeps its rows and its
links between them, refuses a number twice as before, and goes back to the table constraints on downgrade."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from cradle.config import PROJECT_ROOT
from cradle.db import make_engine, upgrade
from cradle.registry import bulk

PERSONS = "SELECT id, id_number, name, merged_into_id FROM registry_person ORDER BY id"
RECORDS = "SELECT id, dept, record_no, person_id FROM registry_source_record ORDER BY id"


def _alembic(url: str) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def _uniques(engine) -> tuple[set[str], set[str]]:
    """The unique indexes and the unique table constraints of the two tables, by name."""
    insp = inspect(engine)
    tables = ("registry_person", "registry_source_record")
    indexes = {  # PostgreSQL lists a constraint's own index too
        ix["name"]
        for t in tables
        for ix in insp.get_indexes(t)
        if ix["unique"] and "duplicates_constraint" not in ix
    }
    constraints = {c["name"] for t in tables for c in insp.get_unique_constraints(t)}
    return indexes & set(bulk.UNIQUE), constraints & set(bulk.UNIQUE)


def _refused(engine, sql: str) -> None:
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(text(sql))


def test_a_registry_from_before_keeps_its_rows_and_refuses_a_number_twice(db_url):
    command.upgrade(_alembic(db_url), "registry_0009")
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO registry_person (id, id_number, name, sex, birth_date, region) VALUES "
                "(1, 'n1', '甲', 'F', '1990-01-01', '441523'), (2, 'n2', '乙', 'M', '1991-02-02', '441523')"
            )
        )
        c.execute(text("UPDATE registry_person SET merged_into_id = 2 WHERE id = 1"))
        c.execute(
            text(
                "INSERT INTO registry_source_record (id, dept, record_no, row_hash, run_id, row_no, event, "
                "person_id) VALUES (7, 'gongan', 'GA1', 5, 1, 2, 'register', 2)"
            )
        )
    with engine.connect() as c:
        persons, records = c.execute(text(PERSONS)).all(), c.execute(text(RECORDS)).all()
    assert _uniques(engine) == (set(), set(bulk.UNIQUE))
    engine.dispose()

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as c:
        assert c.execute(text(PERSONS)).all() == persons and c.execute(text(RECORDS)).all() == records
    assert _uniques(engine) == (set(bulk.UNIQUE), set())
    _refused(
        engine,
        "INSERT INTO registry_person (id, id_number, name, sex, birth_date) VALUES (3, 'n1', '丙', 'F', '2000-01-01')",
    )
    _refused(
        engine,
        "INSERT INTO registry_source_record (id, dept, record_no, row_hash, run_id, row_no, event) "
        "VALUES (8, 'gongan', 'GA1', 6, 1, 3, 'register')",
    )
    _refused(
        engine, "UPDATE registry_person SET merged_into_id = 99 WHERE id = 2"
    )  # the self-reference holds
    engine.dispose()

    command.downgrade(_alembic(db_url), "registry_0009")
    engine = make_engine(db_url)
    with engine.connect() as c:
        assert c.execute(text(PERSONS)).all() == persons and c.execute(text(RECORDS)).all() == records
    assert _uniques(engine) == (set(), set(bulk.UNIQUE))
    engine.dispose()
