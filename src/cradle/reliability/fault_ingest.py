"""kill -9 of `cradle ingest` in the middle of a file, then the same command again: every row the file should
store is stored once, every refused row is quarantined once."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cradle.reliability.procs import cradle, kill9, start_cradle


@dataclass
class IngestFaultResult:
    dept: str
    rows_in_file: int
    expected_stored: int
    rows_stored_when_killed: int
    stored: int
    distinct_records: int
    lost: int
    duplicated: int
    quarantined_open: int
    quarantined_distinct_rows: int
    runs_left_running: int

    def as_dict(self) -> dict:
        return asdict(self)


def synth(out: Path, persons: int, seed: int = 7) -> dict:
    done = cradle(
        [
            "synth",
            "--region",
            "370303",
            "--persons",
            str(persons),
            "--seed",
            str(seed),
            "--out",
            str(out),
            "--csv",
        ],
        "sqlite:///" + str(out / "unused.db"),
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads((out / "manifest.json").read_text())


def _count(db: Path, sql: str, *args) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute(sql, args).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        con.close()


def kill_and_rerun(
    workdir: Path,
    *,
    persons: int = 3000,
    dept: str = "gongan",
    batch_rows: int = 200,
    kill_at_fraction: float = 0.4,
    timeout: float = 240,
) -> IngestFaultResult:
    feeds = workdir / "feeds"
    manifest = synth(feeds, persons)
    info = manifest["feeds"][dept]
    db = workdir / "ingest.db"
    url = f"sqlite:///{db}"
    init = cradle(["init-db", "--no-demo"], url)
    if init.returncode != 0:
        raise RuntimeError(init.stderr[-2000:])
    # a commit per batch, so the kill finds some of the file stored
    args = [
        "ingest",
        dept,
        str(feeds / info["file"]),
        "--batch-rows",
        str(batch_rows),
        "--commit-batches",
        "1",
    ]
    proc = start_cradle(args, url, workdir / "ingest-1.log")
    target = max(1, int(info["stored"] * kill_at_fraction))
    deadline = time.monotonic() + timeout
    stored_at_kill = 0
    while time.monotonic() < deadline and proc.poll() is None:
        stored_at_kill = _count(db, "SELECT count(*) FROM registry_source_record WHERE dept = ?", dept)
        if stored_at_kill >= target:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        raise RuntimeError("ingest finished before it could be killed: use a bigger file or smaller batches")
    kill9(proc)
    stored_at_kill = _count(db, "SELECT count(*) FROM registry_source_record WHERE dept = ?", dept)
    again = cradle(args, url, timeout=timeout)
    if again.returncode != 0:
        raise RuntimeError("rerun failed: " + again.stderr[-2000:])
    stored = _count(db, "SELECT count(*) FROM registry_source_record WHERE dept = ?", dept)
    distinct = _count(db, "SELECT count(DISTINCT record_no) FROM registry_source_record WHERE dept = ?", dept)
    q_open = _count(db, "SELECT count(*) FROM registry_quarantine WHERE dept = ? AND status = 'open'", dept)
    q_rows = _count(
        db, "SELECT count(DISTINCT row_no) FROM registry_quarantine WHERE dept = ? AND status = 'open'", dept
    )
    running = _count(
        db, "SELECT count(*) FROM registry_ingest_run WHERE dept = ? AND status = 'running'", dept
    )
    expected = info["stored"]
    return IngestFaultResult(
        dept,
        info["rows"],
        expected,
        stored_at_kill,
        stored,
        distinct,
        lost=max(0, expected - distinct),
        duplicated=stored - distinct + max(0, distinct - expected),
        quarantined_open=q_open,
        quarantined_distinct_rows=q_rows,
        runs_left_running=running,
    )
