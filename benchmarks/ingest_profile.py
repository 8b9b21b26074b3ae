"""Where an ingest's database time goes, by statement: a timing hook on every statement of one run.

    flock /tmp/bench.lock .venv/bin/python benchmarks/ingest_profile.py --file gongan.csv --db sqlite|postgres

Prints the run's wall and CPU seconds, then the statements (first 90 characters, literals kept) by total wall
time, with their count; and the time spent in the named phases (the kinship derivation, the index builds)."""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event

from cradle.db import make_engine, upgrade
from cradle.registry import ingest, kinship
from cradle.registry.ingest import ingest_file

TOTALS: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])


def _key(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()[:90]


def _hook(engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("t", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        t = TOTALS[_key(statement)]
        t[0] += time.perf_counter() - conn.info["t"].pop()
        t[1] += 1


def _phase(module, name: str) -> None:
    real = getattr(module, name)

    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            TOTALS[f"[phase] {module.__name__}.{name}"][0] += time.perf_counter() - t
            TOTALS[f"[phase] {module.__name__}.{name}"][1] += 1

    setattr(module, name, timed)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, required=True)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--batch-rows", type=int, default=200_000)
    args = ap.parse_args()
    server = None
    if args.db == "postgres":
        from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres

        server = start_temp_postgres(PRODUCTION_SETTINGS)
        url = server.create_database("profile")
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='cradle-profile-')) / 'p.db'}"
    try:
        upgrade(url)
        engine = make_engine(url)
        _hook(engine)
        for module, name in ((kinship, "derive_parents"), (kinship, "links"), (ingest, "_build_deferred")):
            _phase(module, name)
        for name in ("prepare", "write", "commit"):
            _phase(ingest.Ingester, name)
        t, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        s = ingest_file("gongan", args.file, engine=engine, batch_rows=args.batch_rows)
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
        print(
            f"{s.rows_read:,} rows in {time.perf_counter() - t:.1f} s, {cpu:.1f} CPU s; accepted {s.accepted:,}"
        )
        for k, (secs, n) in sorted(TOTALS.items(), key=lambda kv: -kv[1][0])[:30]:
            print(f"{secs:8.2f} s {n:6d}×  {k}")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
