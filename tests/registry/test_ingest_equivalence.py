"""The rows a 100,000-row 公安 file leaves in the registry, table by table, are those the ingest stored before
its bulk path changed (`data/ingest_golden.json`, written by that code from the same synthetic file): on both
databases, as a daily feed and as a first load into an empty registry, and again after the same file is ingested
a second time (every row then a duplicate, nothing stored twice, no refused row filed twice).

The golden digests were written with

    .venv/bin/python -m tests.registry.test_ingest_equivalence

from the code before the change; run it again only for a change that means to store other rows."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from tests.registry.ingest_dump import digests

from cradle.db import make_engine
from cradle.registry import bulk
from cradle.registry.firstload import FirstLoad
from cradle.registry.ingest import ingest_file
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate

GOLDEN = Path(__file__).parent / "data" / "ingest_golden.json"
ROWS, BATCH = 100_000, 20_000


def write_feed(out: Path) -> Path:
    """100,000 data rows of a synthetic 陆河县's 公安 feed (1% dirty rows, repeats and conflicts)."""
    write_feeds(
        generate("441523", 97_000, 7, dt.date(2025, 6, 30)),
        out,
        seed=7,
        dirty_rate=0.01,
        depts=["gongan"],
        formats={"gongan": ("csv", "utf-8")},
    )
    path = out / "gongan.csv"
    header, *rows = path.read_bytes().rstrip(b"\n").split(b"\n")
    # the generator appends its repeats (duplicates and conflicting records) at the end: keep 500 of them
    path.write_bytes(b"\n".join([header, *rows[: ROWS - 500], *rows[-500:]]) + b"\n")
    return path


@pytest.fixture(scope="session")
def feed(tmp_path_factory) -> Path:
    return write_feed(tmp_path_factory.mktemp("equivalence"))


def _ingest(url: str, path: Path, first_load: bool, monkeypatch) -> dict:
    monkeypatch.setattr(bulk, "MIN_ROWS", 1 if first_load else 10 * ROWS)
    started = []
    real = FirstLoad.start
    monkeypatch.setattr(FirstLoad, "start", lambda conn, rows: started.append(rows) or real(conn, rows))
    engine = make_engine(url)
    try:
        s = ingest_file("gongan", path, engine=engine, batch_rows=BATCH)
        assert s.rows_read == ROWS and started == ([ROWS] if first_load else [])
        first = digests(engine)
        again = ingest_file("gongan", path, engine=engine, batch_rows=BATCH, force=True)
        assert again.accepted == 0 and again.rows_read == ROWS
        second = digests(engine)
    finally:
        engine.dispose()
    return first, second


@pytest.mark.slow
@pytest.mark.parametrize("first_load", [False, True], ids=["daily", "first_load"])
def test_the_stored_tables_are_those_stored_before(migrated_db_url, feed, first_load, monkeypatch):
    golden = json.loads(GOLDEN.read_text())
    first, second = _ingest(migrated_db_url, feed, first_load, monkeypatch)
    differ = {t: (first[t], golden[t]) for t in golden if first[t] != golden[t]}
    assert not differ, differ
    # a second run of the same file stores nothing and files no refused row again; only its run is new
    changed = sorted(t for t in first if t != "registry_ingest_run" and second[t] != first[t])
    assert changed == []
    assert second["registry_ingest_run"][0] == 2


def _write_golden() -> None:
    import tempfile

    from cradle.db import upgrade

    work = Path(tempfile.mkdtemp(prefix="cradle-golden-"))
    path = write_feed(work / "feed")
    results = []
    for first_load in (False, True):
        bulk.MIN_ROWS = 1 if first_load else 10 * ROWS
        url = f"sqlite:///{work / f'golden{int(first_load)}.db'}"
        upgrade(url)
        engine = make_engine(url)
        ingest_file("gongan", path, engine=engine, batch_rows=BATCH)
        results.append(digests(engine))
        engine.dispose()
    assert results[0] == results[1], "the daily and the first-load paths stored different rows"
    GOLDEN.write_text(json.dumps(results[0], indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    _write_golden()
