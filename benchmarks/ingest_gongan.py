"""Ingest speed for a 公安 feed: rows/s into SQLite and PostgreSQL (COPY), with the ingest's peak memory.

    .venv/bin/python benchmarks/ingest_gongan.py --persons 5000000 [--db sqlite|postgres|both] [--feeds DIR]

Generates the feed with `cradle synth` (1% dirty rows) unless --feeds names a directory that has it; each
ingest runs in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from cradle.db import make_engine, upgrade
from cradle.registry.ingest import ingest_file
url, path, dept = sys.argv[1], sys.argv[2], sys.argv[3]
upgrade(url)
t = time.perf_counter()
s = ingest_file(dept, path, engine=make_engine(url))
print(json.dumps({"seconds": time.perf_counter() - t, "rows": s.rows_read, "accepted": s.accepted,
                  "quarantined": s.quarantined, "duplicates": s.duplicates,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(url: str, path: Path, dept: str = "gongan") -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, url, str(path), dept], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=5_000_000)
    ap.add_argument("--region", default="441523")
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--feeds", type=Path)
    ap.add_argument("--file", type=Path, help="an existing 公安 feed to ingest")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cradle-bench-"))
    feeds = args.feeds or work / "feeds"
    path = args.file or feeds / "gongan.csv"
    if not path.exists():
        from cradle.synth.feeds import write_feeds
        from cradle.synth.population import generate

        t = time.perf_counter()
        pop = generate(args.region, args.persons, 1, dt.date(2025, 6, 30))
        write_feeds(pop, feeds, seed=1, dirty_rate=0.01, depts=["gongan"], formats={"gongan": ("csv", "utf-8")})
        del pop
        print(f"synth: {args.persons:,} persons in {time.perf_counter() - t:.0f} s → {feeds}")
    targets = []
    if args.db in ("sqlite", "both"):
        targets.append(("SQLite", f"sqlite:///{work / 'bench.db'}"))
    server = None
    if args.db in ("postgres", "both"):
        from cradle.testing.postgres import start_temp_postgres

        server = start_temp_postgres()
        targets.append(("PostgreSQL", server.create_database("bench")))
    try:
        for label, url in targets:
            r = run(url, path)
            print(f"{label:10s} {r['rows']:>10,} rows in {r['seconds']:7.1f} s = {r['rows'] / r['seconds']:>9,.0f} rows/s"
                  f"  (accepted {r['accepted']:,}, quarantined {r['quarantined']:,}, duplicates {r['duplicates']:,});"
                  f" peak RSS {r['peak_rss_mib']:,.0f} MiB", flush=True)
    finally:
        if server:
            server.stop()
    sys.stdout.flush()
    print(f"this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
