"""Ingest speed for a 公安 feed: rows/s into SQLite and PostgreSQL (COPY), with the ingest's peak memory and CPU.

    .venv/bin/python benchmarks/ingest_gongan.py --persons 5000000 [--db sqlite|postgres|both] [--file CSV]
        [--no-floor]

Before each ingest it measures the floor of the same file on the same database (`benchmarks/ingest_floor.py`, in
a child process of its own, into a database of its own) and prints the ingest's rows/s as a share of it, beside
the target (60% of the floor). `--no-floor` skips it.

PostgreSQL runs with `cradle.testing.postgres.PRODUCTION_SETTINGS` (shared_buffers, checkpoints) unless
--default-settings. Generates the feed with `cradle synth`'s generator (1% dirty rows) unless --file names one;
each ingest runs in a child process so its CPU seconds are its own, and its peak RSS is the child's own
`VmHWM` (Linux carries `ru_maxrss` across fork and exec, so a child of a large parent reported the parent's peak);
the feed is synthesised in a child process too. The machine may be shared: the load average is printed
beside each figure, and CPU seconds (the ingest process's, plus on PostgreSQL the server's) move less with load
than wall time does.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cradle.testing.postgres import server_cpu_seconds

CHILD = """
import json, resource, sys, time
from cradle.db import make_engine, upgrade
from cradle.registry.ingest import ingest_file
url, path, dept, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
upgrade(url)
t = time.perf_counter()
u = resource.getrusage(resource.RUSAGE_SELF)
s = ingest_file(dept, path, engine=make_engine(url), batch_rows=batch)
r = resource.getrusage(resource.RUSAGE_SELF)
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - t, "rows": s.rows_read, "accepted": s.accepted,
                  "quarantined": s.quarantined, "duplicates": s.duplicates,
                  "cpu": r.ru_utime + r.ru_stime - u.ru_utime - u.ru_stime, "peak_rss_mib": hwm / 1024}))
"""
FLOOR_CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from ingest_floor import floor
label, url, path, batch, data_dir = sys.argv[2], sys.argv[3], Path(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
print(json.dumps(floor(label, url, path, batch, Path(data_dir) if data_dir else None)))
"""
SYNTH_CHILD = """
import datetime as dt, sys
from pathlib import Path
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate
region, persons, path = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
pop = generate(region, persons, 1, dt.date(2025, 6, 30))
write_feeds(pop, path.parent, seed=1, dirty_rate=0.01, depts=["gongan"], formats={"gongan": ("csv", "utf-8")})
"""
TARGET_SHARE = 0.60  # of the floor measured in the same run


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def child(code: str, *args: str) -> dict:
    """`python -c code args…` in a child process of its own; the JSON of its last line."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:  # the child's own error says why (a full disk, say)
        print(out.stderr[-3000:], file=sys.stderr, flush=True)
        out.check_returncode()
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(url: str, path: Path, batch: int, data_dir: Path | None, dept: str = "gongan") -> dict:
    before = server_cpu_seconds(data_dir)
    r = child(CHILD, url, str(path), dept, str(batch))
    r["server_cpu"] = server_cpu_seconds(data_dir) - before
    return r


def run_floor(label: str, url: str, path: Path, batch: int, data_dir: Path | None) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            FLOOR_CHILD,
            str(Path(__file__).parent),
            label,
            url,
            str(path),
            str(batch),
            str(data_dir or ""),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    print(out.stdout.strip().splitlines()[-2], flush=True)  # the floor's own line
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=5_000_000)
    ap.add_argument("--region", default="441523")
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--batch-rows", type=int, default=200_000)
    ap.add_argument("--file", type=Path, help="an existing 公安 feed to ingest")
    ap.add_argument(
        "--default-settings",
        action="store_true",
        help="PostgreSQL with its default settings, not production's",
    )
    ap.add_argument("--no-floor", action="store_true", help="skip the floor measured before each ingest")
    ap.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting over production's, e.g. max_wal_size=2GB where the disk is short (a 5-million-row"
        " run keeps up to 8 GB of WAL with production's)",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cradle-bench-"))
    path = args.file or work / "feeds" / "gongan.csv"
    if not path.exists():
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", SYNTH_CHILD, args.region, str(args.persons), str(path)], check=True
        )
        print(f"synth: {args.persons:,} persons in {time.perf_counter() - t:.0f} s → {path}")
    targets = []
    if args.db in ("sqlite", "both"):
        targets.append(("SQLite", f"sqlite:///{work / 'bench.db'}", None, f"sqlite:///{work / 'floor.db'}"))
    server = None
    if args.db in ("postgres", "both"):
        from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres

        settings = {} if args.default_settings else dict(PRODUCTION_SETTINGS)
        settings.update(kv.split("=", 1) for kv in args.setting)
        server = start_temp_postgres(settings or None)
        targets.append(
            (
                "PostgreSQL",
                server.create_database("bench"),
                server.root / "data",
                server.create_database("floor"),
            )
        )
    try:
        for label, url, data_dir, floor_url in targets:
            fl = None if args.no_floor else run_floor(label, floor_url, path, args.batch_rows, data_dir)
            load = loadavg()
            r = run(url, path, args.batch_rows, data_dir)
            srv = f" + server {r['server_cpu']:.0f} s" if data_dir else ""
            print(
                f"{label:10s} {r['rows']:>10,} rows in {r['seconds']:7.1f} s = {r['rows'] / r['seconds']:>9,.0f} rows/s"
                f"  (accepted {r['accepted']:,}, quarantined {r['quarantined']:,}, duplicates {r['duplicates']:,});"
                f" CPU {r['cpu']:.0f} s{srv}; peak RSS {r['peak_rss_mib']:,.0f} MiB;"
                f" loadavg {load} → {loadavg()}",
                flush=True,
            )
            if fl:
                rate = r["rows"] / r["seconds"]
                print(
                    f"{label:10s} {rate:,.0f} rows/s = {rate / fl['rate']:.0%} of the floor measured just before "
                    f"({fl['rate']:,.0f} rows/s: prepare {fl['prepare_s']:.1f} s, bare load {fl['load_s']:.1f} s);"
                    f" target {TARGET_SHARE:.0%}: {'met' if rate >= TARGET_SHARE * fl['rate'] else 'NOT met'};"
                    f" peak RSS {'under' if r['peak_rss_mib'] < 2048 else 'OVER'} 2 GiB; CPU seconds (move less"
                    f" with load than wall time): floor {fl['cpu']:.0f} s, ingest {r['cpu'] + r['server_cpu']:.0f} s"
                    f" (floor/ingest {fl['cpu'] / (r['cpu'] + r['server_cpu']):.0%})",
                    flush=True,
                )
    finally:
        if server:
            server.stop()
        for db in work.glob("*.db*"):  # a 5-million-row registry is 2-3 GB; the feed, if made here, stays
            db.unlink()
    print(f"this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
