"""Identity resolution across departments: about a million records from 卫健, 民政, 教育, 医保, 人社 and 统计
resolved against a registry already holding the 公安 population.

    .venv/bin/python benchmarks/identity_resolution.py [--persons 400000] [--db sqlite|postgres|both]

Prints the whole cross-department ingest (read, validate, resolve, store) and, within it, the time of the
resolution statements themselves: persons matched or created by ID number, records without one queued against
look-alikes, and each record's person attached. The load average and CPU seconds (this process's and, on
PostgreSQL, the server's) are printed beside the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from ingest_gongan import loadavg, server_cpu

RESOLUTION = (
    "INSERT INTO registry_person",
    "INSERT INTO registry_match_candidate",
    "INSERT INTO registry_source_record",
    "UPDATE registry_stage",
    "SELECT count(*) FROM registry_stage",
)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(url: str, feeds: Path, data_dir: Path | None = None) -> None:
    from cradle.db import make_engine, upgrade
    from cradle.registry.ingest import ingest_file

    upgrade(url)
    engine = make_engine(url)
    ingest_file("gongan", feeds / "gongan.csv", engine=engine)
    spent = {"resolution": 0.0}

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, *args):
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _stop(conn, cursor, statement, *args):
        if " ".join(statement.split()).startswith(RESOLUTION):
            spent["resolution"] += time.perf_counter() - conn.info["t0"]

    rows = queued = merged = 0
    load, cpu0, server0 = loadavg(), cpu(), server_cpu(data_dir)
    t = time.perf_counter()
    for dept in ("weijian", "minzheng", "jiaoyu", "yibao", "renshe", "tongji"):
        s = ingest_file(dept, feeds / f"{dept}.csv", engine=engine)
        rows, queued, merged = rows + s.rows_read, queued + s.queued, merged + s.merged
    total = time.perf_counter() - t
    engine.dispose()
    server = f" + server {server_cpu(data_dir) - server0:.0f} s" if data_dir else ""
    print(
        f"  {rows:,} cross-department records: whole ingest {total:.1f} s ({rows / total:,.0f} rows/s); "
        f"resolution statements {spent['resolution']:.1f} s; {merged:,} joined an existing person, "
        f"{queued:,} queued for review; CPU {cpu() - cpu0:.0f} s{server}; loadavg {load} → {loadavg()}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=400_000)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--feeds", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cradle-ident-"))
    feeds = args.feeds or work / "feeds"
    if not (feeds / "yibao.csv").exists():
        from cradle.synth.feeds import FORMATS, write_feeds
        from cradle.synth.population import generate

        t = time.perf_counter()
        pop = generate("441523", args.persons, 3, dt.date(2025, 6, 30))
        write_feeds(pop, feeds, seed=3, dirty_rate=0.01, formats=dict.fromkeys(FORMATS, ("csv", "utf-8")))
        print(f"synth: {args.persons:,} persons in {time.perf_counter() - t:.0f} s → {feeds}", flush=True)
    if args.db in ("sqlite", "both"):
        print("SQLite", flush=True)
        measure(f"sqlite:///{work / 'ident.db'}", feeds)
    if args.db in ("postgres", "both"):
        from cradle.testing.postgres import start_temp_postgres

        server = start_temp_postgres()
        try:
            print("PostgreSQL", flush=True)
            measure(server.create_database("ident"), feeds, server.root / "data")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
