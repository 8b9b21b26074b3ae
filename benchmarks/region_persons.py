"""Finding one county's persons in a registry that holds many (`batch.registry_source.region_persons`, what
`cradle batch --source registry`, the what-if preview and the 奖励扶助 candidates read first), beside the same
county in a registry that holds it alone, measured in the same run.

    flock /tmp/bench.lock .venv/bin/python benchmarks/region_persons.py --file gongan_5m.csv
        [--persons 50000] [--county 441521] [--db sqlite|postgres|both] [--repeat 3]

Set-up (timed, not the figure): the small county's 公安 feed synthesised (`cradle.synth`, `--persons`), and two
registries through `cradle ingest`'s code: the county alone, and `--file` (another county's 公安 feed, e.g. the
5,180,830 rows `benchmarks/ingest_gongan.py` writes for 陆河县) with the county after it. Timed: `region_persons`
for the county in each (best of `--repeat`, each in a session of its own), and once for the large county. The
ratio of the two small-county figures says how much a registry's other persons cost a county's read: about 1
when it reads the county's own index entries only. PostgreSQL runs with `PRODUCTION_SETTINGS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import polars as pl

from cradle.batch.registry_source import region_persons
from cradle.db import make_engine, session_scope, upgrade
from cradle.registry.ingest import ingest_file
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate
from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres

ON = dt.date(2025, 6, 30)  # the synthesised feeds' last day


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def ingest(url: str, files: list[Path]) -> None:
    upgrade(url)
    engine = make_engine(url)
    for path in files:
        t = time.perf_counter()
        s = ingest_file("gongan", path, engine=engine, batch_rows=200_000)
        print(f"  ingest {path.name}: {s.accepted:,} rows in {time.perf_counter() - t:.1f} s", flush=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def best(url: str, region: str, repeat: int) -> tuple[float, int]:
    """(best seconds, persons found) of `repeat` reads, each in a session of its own."""
    times, found = [], 0
    for _ in range(repeat):
        with session_scope(url) as s:
            t = time.perf_counter()
            found = len(region_persons(s, region, ON))
            times.append(time.perf_counter() - t)
    return min(times), found


def run(label: str, urls: tuple[str, str], small: Path, large: Path, county: str, repeat: int) -> None:
    alone_url, shared_url = urls
    ingest(alone_url, [small])
    ingest(shared_url, [large, small])
    big = large.read_text(encoding="utf-8", errors="replace")[:4096].splitlines()[1].split(",")[7]
    alone, n_alone = best(alone_url, county, repeat)
    shared, n_shared = best(shared_url, county, repeat)
    whole, n_big = best(shared_url, big, 1)
    print(f"{label} (load {loadavg()})")
    print(f"  {county} alone in its registry:        {n_alone:>9,} persons in {alone:6.2f} s")
    print(
        f"  {county} among {n_shared + n_big:,} persons: {n_shared:>9,} persons in {shared:6.2f} s "
        f"= {shared / alone:.2f}× alone"
    )
    print(f"  {big} (the file's county), same registry: {n_big:>9,} persons in {whole:6.2f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, required=True, help="a large 公安 feed of another county")
    ap.add_argument("--persons", type=int, default=50_000)
    ap.add_argument("--county", default="441521")
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cradle-region-") as d:
        folder = Path(d)
        t = time.perf_counter()
        write_feeds(  # another seed than `ingest_gongan.py`'s feed (1)
            generate(args.county, args.persons, 2, ON),
            folder,
            seed=2,
            dirty_rate=0.0,
            depts=["gongan"],
            formats={"gongan": ("csv", "utf-8")},
        )
        small = folder / "gongan.csv"
        # its own record numbers: the generator numbers every county's records from 1, and a registry takes a
        # record number it holds already as a repeat of that record
        feed = pl.read_csv(small, infer_schema=False)
        feed.with_columns((pl.lit(f"{args.county}-") + pl.col("record_no")).alias("record_no")).write_csv(
            small
        )
        print(f"set-up: {args.county}'s feed of {args.persons:,} persons in {time.perf_counter() - t:.1f} s")
        if args.db in ("sqlite", "both"):
            urls = (f"sqlite:///{folder / 'alone.db'}", f"sqlite:///{folder / 'shared.db'}")
            run("SQLite", urls, small, args.file, args.county, args.repeat)
            for name in ("alone.db", "shared.db"):
                (folder / name).unlink()
        if args.db in ("postgres", "both"):
            server = start_temp_postgres(PRODUCTION_SETTINGS)
            try:
                urls = (server.create_database("alone"), server.create_database("shared"))
                run("PostgreSQL", urls, small, args.file, args.county, args.repeat)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
