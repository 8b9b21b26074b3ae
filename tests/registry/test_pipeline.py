"""The ingest's prepare-ahead thread and SQLite's ADBC scratch staging."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time

import polars as pl
import pytest

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
    s = Scratch()
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
    s = Scratch()
    try:
        assert not orphan.exists() and live.exists()
    finally:
        s.close()
