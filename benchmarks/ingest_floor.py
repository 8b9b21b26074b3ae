"""The least any ingest of a file must spend here: its preparation alone, and a bare bulk load of its rows.

    .venv/bin/python benchmarks/ingest_floor.py --file gongan.csv [--db sqlite|postgres|both] [--batch-rows N]

Two lower bounds for `benchmarks/ingest_gongan.py`, on the same machine and file:

- **prepare**: what `Ingester.prepare` does to every batch before the database (read, validate, settle repeats,
  encrypt and sort the ID numbers, serialise for the load), with no database work at all;
- **load**: the three rows the schema holds for every accepted row (its person, its source record, its 户
  event) written into tables with no index, no key, no sequence and no look-up (PostgreSQL: `COPY` into an
  unlogged stage and an `INSERT … SELECT` per table; SQLite: an `INSERT … SELECT` per table from the ADBC-filled
  scratch file), each batch committed. A real ingest also keeps their indexes, settles persons named twice and
  derives the 户's parents.

The two overlap in an ingest (`cradle.registry.pipeline`) on two cores, so no ingest of the file can be faster
than either of them, nor than their CPU seconds shared by two cores; that bound is printed in rows/s beside the
issue's targets.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl
from sqlalchemy import text

from cradle.db import make_engine, upgrade
from cradle.registry.feeds import get_feed
from cradle.registry.ingest import Ingester
from cradle.registry.reader import read_batches
from cradle.testing.postgres import server_cpu_seconds

TARGETS = {"SQLite": 50_000, "PostgreSQL": 200_000}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# The rows the schema holds for each accepted 公安 row, as (table, its columns from the stage's): a person, a
# source record and a 户 event. Ids are the stage's row numbers: no sequence, no look-up.
SHAPES = {
    "floor_person": (
        "registry_person",
        "(id, id_number, name, sex, birth_date, region) "
        "SELECT _row_no, id_number, name, sex, birth_date, _id_number_region",
    ),
    "floor_source_record": (
        "registry_source_record",
        "(id, dept, record_no, row_hash, run_id, row_no, event, valid_from, person_id) "
        "SELECT _row_no, 'gongan', record_no, _row_hash, 0, _row_no, event, event_date, _row_no",
    ),
    "floor_hukou_event": (
        "registry_hukou_event",
        "(source_id, person_id, event, region, household_no, relation_to_head, hukou_type, valid_from) "
        "SELECT _row_no, _row_no, event, hukou_region, household_no, relation_to_head, hukou_type, event_date",
    ),
}


def _load(ing: Ingester, payload, good: pl.DataFrame) -> None:
    """One batch into the three tables, bare. PostgreSQL: the CSV of the staged rows COPYed into an unlogged
    table like the stage, then moved on by one INSERT … SELECT per table (COPY cannot reshape a row); SQLite: one
    INSERT … SELECT per table from the scratch file."""
    conn = ing.conn
    source = payload
    if ing.pg:
        cols = ", ".join(f'"{n}"' for n in good.columns)
        conn.execute(text("TRUNCATE floor_stage"))
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY floor_stage ({cols}) FROM STDIN (FORMAT csv)") as cp:
            cp.write(payload)
        source = "floor_stage"
    for table, (_, select) in SHAPES.items():
        conn.exec_driver_sql(f"INSERT INTO {table} {select} FROM {source}")


def floor(label: str, url: str, path: Path, batch_rows: int, data_dir: Path | None) -> dict:
    """Prints the two bounds and returns them: rows, prepare and load seconds, the bound's seconds and rows/s."""
    upgrade(url)
    engine = make_engine(url)
    ing = Ingester(engine, get_feed("gongan"), 0, str(path), commit_batches=1)
    conn = ing.conn
    unlogged = "UNLOGGED " if ing.pg else ""
    tables = dict(SHAPES, floor_stage=(ing.stage.name, None)) if ing.pg else SHAPES
    for table, (like, _) in tables.items():
        conn.execute(text(f"CREATE {unlogged}TABLE {table} AS SELECT * FROM {like} WHERE false"))
    conn.commit()
    rows = prepare_s = load_s = prepare_cpu = load_cpu = 0.0
    server_before = server_cpu_seconds(data_dir)
    try:
        for raw in read_batches(path, batch_rows):
            t, c = time.perf_counter(), _cpu()
            p = ing.prepare(raw)
            prepare_s += time.perf_counter() - t
            prepare_cpu += _cpu() - c
            rows += p.raw.height
            t, c = time.perf_counter(), _cpu()
            if p.good.height:
                _load(ing, p.payload, p.good)
            conn.commit()
            load_s += time.perf_counter() - t
            load_cpu += _cpu() - c
        if data_dir:  # the server's work is done by its own process
            load_cpu += server_cpu_seconds(data_dir) - server_before
        stored = conn.execute(text("SELECT count(*) FROM floor_person")).scalar_one()
    finally:
        for table in tables:
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        conn.commit()
        ing.close()
    # The two overlap in an ingest, on two cores: no faster than either alone, nor than both CPUs' sum on two.
    bound = max(prepare_s, load_s, (prepare_cpu + load_cpu) / 2)
    print(
        f"{label:10s} {int(rows):,} rows, {stored:,} stored: prepare {prepare_s:.1f} s ({prepare_cpu:.1f} CPU s), "
        f"bare load of person + source record + 户 event {load_s:.1f} s ({load_cpu:.1f} CPU s); "
        f"at best {bound:.1f} s = {rows / bound:,.0f} rows/s; target {TARGETS[label]:,} rows/s = "
        f"{rows / TARGETS[label]:.1f} s",
        flush=True,
    )
    return {
        "rows": int(rows),
        "prepare_s": prepare_s,
        "load_s": load_s,
        "bound_s": bound,
        "cpu": prepare_cpu + load_cpu,  # on PostgreSQL with the server's
        "rate": rows / bound,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--file", type=Path, required=True, help="a 公安 feed, as benchmarks/ingest_gongan.py writes"
    )
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--batch-rows", type=int, default=200_000)
    args = ap.parse_args()
    if args.db in ("sqlite", "both"):
        work = Path(tempfile.mkdtemp(prefix="cradle-floor-"))
        try:
            floor("SQLite", f"sqlite:///{work / 'floor.db'}", args.file, args.batch_rows, None)
        finally:
            shutil.rmtree(work)
    if args.db in ("postgres", "both"):
        from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres

        server = start_temp_postgres(PRODUCTION_SETTINGS)
        try:
            floor(
                "PostgreSQL",
                server.create_database("floor"),
                args.file,
                args.batch_rows,
                server.root / "data",
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
