"""The ingest's prepare-ahead thread and SQLite's ADBC scratch staging."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time

import polars as pl
import pytest

from cradle.errors import Invalid
from cradle.registry.pipeline import prepared_ahead
from cradle.registry.scratch import Scratch


def test_yields_every_prepared_batch_in_order():
    assert list(prepared_ahead(lambda x: x * 10, range(7))) == [0, 10, 20, 30, 40, 50, 60]


def test_never_more_than_one_batch_ahead():
    made = []

    def prepare(x):
        made.append(x)
        return x

    for i in prepared_ahead(prepare, range(6)):
        time.sleep(0.05)  # the worker has had time to run ahead if it could
        assert len(made) <= i + 2


def test_an_error_while_preparing_is_raised_at_its_batch():
    def prepare(x):
        if x == 3:
            raise ValueError("bad batch 3")
        return x

    got = []
    with pytest.raises(ValueError, match="bad batch 3"):
        for x in prepared_ahead(prepare, range(6)):
            got.append(x)
    assert got == [0, 1, 2]


def test_a_writer_failure_stops_the_worker():
    made = []

    gen = prepared_ahead(lambda x: made.append(x) or x, iter(range(1000)))
    assert next(gen) == 0
    gen.close()
    assert not [t for t in threading.enumerate() if t.name == "cradle-ingest-prepare"]
    assert len(made) <= 2


def test_scratch_slots_alternate_and_read_back_equal():
    df = pl.DataFrame(
        {
            "record_no": ["r1", "r2", None],
            "when": [dt.date(2024, 2, 29), None, dt.date(1990, 1, 1)],
            "n": [1, None, 3],
            "flag": [True, False, None],
        }
    )
    s = Scratch(2)
    try:
        conn = sqlite3.connect(":memory:")
        first = s.fill(df)
        second = s.fill(df.head(1))
        assert first != second
        names = s.attach(conn)
        assert {first.split(".")[0], second.split(".")[0]} == set(names)
        rows = conn.execute(f'SELECT record_no, "when", n, flag FROM {first} ORDER BY rowid').fetchall()
        assert rows == [("r1", "2024-02-29", 1, 1), ("r2", None, None, 0), (None, "1990-01-01", 3, None)]
        assert conn.execute(f"SELECT count(*) FROM {second}").fetchone() == (1,)
        for n in names:
            conn.execute(f"DETACH DATABASE {n}")
        conn.close()
        third = s.fill(df.tail(2))  # reuses the first slot, replacing its batch
        assert third == first
        check = sqlite3.connect(str(s.paths[0]))
        assert check.execute("SELECT count(*) FROM stage").fetchone() == (2,)
        check.close()
    finally:
        s.close()
    assert not s.dir.exists()


def test_scratch_of_a_killed_run_is_removed_by_the_next(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    orphan = tmp_path / f"cradle-stage-{dead.stdout.strip()}-abc"
    orphan.mkdir()
    live = tmp_path / f"cradle-stage-{os.getpid()}-def"
    live.mkdir()
    s = Scratch(2)
    try:
        assert not orphan.exists() and live.exists()
    finally:
        s.close()


@pytest.mark.parametrize("commit_batches", [1, 3, 9])
def test_every_batch_of_a_transaction_is_read_from_its_own_scratch_file(
    tmp_path, commit_batches, migrated_sqlite_url
):
    """Several batches per transaction: a scratch file filled again before the commit would be read as SQLite
    cached it (the earlier batch twice, this one never)."""
    from cradle.db import make_engine
    from cradle.idcard import make_id_number
    from cradle.registry.ingest import ingest_file

    from .test_quarantine_identity import _gongan

    rows = []
    for i in range(230):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=97 * i)
        sex = "F" if i % 2 else "M"
        rows.append(
            [
                f"R{i:04d}",
                make_id_number("370303", born, i % 900, sex),
                f"人{i}",
                "2" if i % 2 else "1",
                born.isoformat(),
                "register",
                born.isoformat(),
                "370303",
                f"H{i}",
                "02",
                "2",
            ]
        )
    f = tmp_path / "gongan.csv"
    _gongan(f, rows)
    url = migrated_sqlite_url
    engine = make_engine(url)
    reader = make_engine(url)
    seen = []  # the run's progress as another connection reads it after each batch

    def progress(_rows: int) -> None:
        with reader.connect() as conn:
            seen.append(conn.exec_driver_sql("SELECT rows_read FROM registry_ingest_run").scalar_one())

    s = ingest_file(
        "gongan", f, engine=engine, batch_rows=20, commit_batches=commit_batches, on_batch=progress
    )  # 12 batches
    assert (s.rows_read, s.accepted, s.duplicates, s.quarantined) == (230, 230, 0, 0)
    # committed with each transaction: the rows read up to its first batch
    first_of_last_commit = [((k + 1) // commit_batches - 1) * commit_batches for k in range(12)]
    assert seen == [0 if b < 0 else min(20 * (b + 1), 230) for b in first_of_last_commit]
    reader.dispose()
    with engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT record_no FROM registry_source_record ORDER BY record_no"
        ).scalars()
        assert list(stored) == [r[0] for r in rows]
    engine.dispose()


def test_batches_per_transaction_beyond_the_scratch_files_are_refused(tmp_path, migrated_sqlite_url):
    from cradle.db import make_engine
    from cradle.registry.ingest import ingest_frames

    url = migrated_sqlite_url
    engine = make_engine(url)
    with pytest.raises(Invalid, match="commit_batches"):
        ingest_frames(engine, "gongan", [], file_name="x.csv", commit_batches=10)
    with engine.connect() as conn:  # refused before the run is recorded
        assert conn.exec_driver_sql("SELECT count(*) FROM registry_ingest_run").scalar_one() == 0
    engine.dispose()
