"""The 户-derived parent links (`cradle.registry.kinship`) after a 公安 ingest on PostgreSQL: whole register, as before
migration 0016, against the households the run touched.

    flock /tmp/bench.lock .venv/bin/python benchmarks/kinship_derive.py --file /tmp/bench/gongan_1m.csv [--explain]
        [--old OLD_KINSHIP.py]

--old names an earlier kinship module (e.g. `git show REV:src/cradle/registry/kinship.py`): "before" then uses
its whole-register statement, and it is timed from no links too.

Two databases on one throw-away server (production settings): "before" without the two indexes of migration 0016
and with the whole-register derivation, "after" as the code is. Each ingests the file (wall, client CPU, server
CPU, and the derivation's own share), then a one-row correction file touching one 户. Then, on "after", the
derivation from no links (each variant inside a transaction that is rolled back): whole register with and
without the indexes, and scoped to the whole run (as if below kinship.WHOLE_BEYOND). --explain prints EXPLAIN ANALYZE of the scoped reads.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

from sqlalchemy import text

from cradle.db import make_engine, upgrade
from cradle.registry import ingest, kinship
from cradle.testing.postgres import server_cpu_seconds


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


INDEXES = ("ix_registry_source_record_run_id", "ix_registry_hukou_event_household")
spent: list[float] = []
_derive = kinship.derive_parents


def timed(conn, run_id=None, whole=False):
    t = time.perf_counter()
    n = _derive(conn, None if whole else run_id)
    spent.append(time.perf_counter() - t)
    return n


def timed_old(old, conn):
    t = time.perf_counter()
    n = old.derive_parents(conn)
    spent.append(time.perf_counter() - t)
    return n


def load_old(path: Path | None):
    if path is None:
        return None
    spec = importlib.util.spec_from_file_location("kinship_before", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def clock(data_dir: Path):
    return time.perf_counter(), time.process_time(), server_cpu_seconds(data_dir)


def since(c0, data_dir: Path) -> str:
    w, p, s = clock(data_dir)
    return f"{w - c0[0]:6.1f} s wall, client CPU {p - c0[1]:5.1f} s, server CPU {s - c0[2]:5.1f} s"


def one_row(src: Path, dst: Path) -> None:
    """The file's first row under a new record number: one more event for one 户."""
    head, first = src.open(encoding="utf-8").readline(), None
    with src.open(encoding="utf-8") as f:
        f.readline()
        first = f.readline()
    rec, rest = first.split(",", 1)
    dst.write_text(head + f"FIX{rec},{rest}", encoding="utf-8")


def ingest_run(label: str, url: str, path: Path, data_dir: Path, whole: bool, old=None) -> None:
    engine = make_engine(url)
    spent.clear()
    if old is not None:
        kinship.derive_parents = lambda conn, run_id=None: timed_old(old, conn)
    else:
        kinship.derive_parents = lambda conn, run_id=None: timed(conn, run_id, whole)
    try:
        c0 = clock(data_dir)
        s = ingest.ingest_file("gongan", path, engine=engine, batch_rows=200_000)
        print(
            f"{label}: ingest {path.name} ({s.accepted:,} accepted): {since(c0, data_dir)};"
            f" derivation {spent[-1]:.2f} s; loadavg {loadavg()}",
            flush=True,
        )
    finally:
        kinship.derive_parents = _derive
        engine.dispose()


def derive_from_nothing(url: str, data_dir: Path, explain: bool, old=None, forced: bool = True) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        run = conn.execute(text("SELECT MIN(id) FROM registry_ingest_run WHERE dept = 'gongan'")).scalar_one()
        variants = [
            ("whole register, no 0016 indexes", None, True),
            ("whole register, 0016 indexes", None, False),
            ("scoped to the whole run (forced)", run, False),
        ]
        variants = variants if forced else variants[:2]
        if old is not None:
            variants.insert(0, ("whole register, statement before, no 0016 indexes", old, True))
        for label, run_id, drop in variants:
            conn.execute(text("DELETE FROM registry_relation"))
            for ix in INDEXES if drop else ():
                conn.execute(text(f"DROP INDEX {ix}"))
            kinship.WHOLE_BEYOND = 10**12 if run_id else kinship.WHOLE_BEYOND
            c0 = clock(data_dir)
            n = old.derive_parents(conn) if old is not None and run_id is old else _derive(conn, run_id)
            print(
                f"  from no links, {label}: {n:,} links, {since(c0, data_dir)}; loadavg {loadavg()}",
                flush=True,
            )
            conn.rollback()
        if explain:  # the one-row correction run's statements
            last = conn.execute(
                text("SELECT MAX(id) FROM registry_ingest_run WHERE dept = 'gongan'")
            ).scalar_one()
            conn.execute(
                text(f"CREATE TEMPORARY TABLE {kinship.SCOPE} (region VARCHAR(6), household_no VARCHAR(32))")
            )
            runs = "(" + ", ".join(map(str, conn.execute(text(kinship._RUNS), {"run": last}).scalars())) + ")"
            count = kinship._RECORDS.text.replace(":runs", runs)
            for sql in (
                count,
                kinship._TOUCHED.replace(":runs", runs),
                "ANALYZE",
                kinship._members_sql(kinship.SCOPED),
                kinship._persons_sql(kinship.SCOPED),
            ):
                if sql == "ANALYZE":
                    conn.execute(text(f"ANALYZE {kinship.SCOPE}"))
                    continue
                plan = conn.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql))
                print("\n".join(r[0] for r in plan))
            conn.rollback()
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, required=True)
    ap.add_argument("--explain", action="store_true")
    ap.add_argument(
        "--after-only", action="store_true", help="no 'before' database, no forced scope (big files)"
    )
    ap.add_argument("--old", type=Path, help="an earlier kinship.py, for the before figures")
    args = ap.parse_args()
    from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres

    server = start_temp_postgres(PRODUCTION_SETTINGS)
    data_dir = server.root / "data"
    fix = Path(server.root) / "one_row.csv"
    one_row(args.file, fix)
    try:
        before, after = server.create_database("before"), server.create_database("after")
        for url in (before, after):
            upgrade(url)
        engine = make_engine(before)
        with engine.begin() as conn:
            for ix in INDEXES:
                conn.execute(text(f"DROP INDEX {ix}"))
        engine.dispose()
        old = load_old(args.old)
        if not args.after_only:
            ingest_run("before", before, args.file, data_dir, whole=True, old=old)
        ingest_run("after ", after, args.file, data_dir, whole=False)
        if not args.after_only:
            ingest_run("before", before, fix, data_dir, whole=True, old=old)
        ingest_run("after ", after, fix, data_dir, whole=False)
        derive_from_nothing(after, data_dir, args.explain, old, forced=not args.after_only)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
