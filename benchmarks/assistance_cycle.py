"""The yearly assistance cycle's speed (issue 22): one county's cycle from candidates to the bank file, and
candidate detection over a province, each beside a baseline measured in the same run.

    flock /tmp/bench.lock .venv/bin/python benchmarks/assistance_cycle.py [--families 11000] [--db postgres|sqlite]
        [--persons 1000000] [--region 140000] [--workers 1 2] [--no-county]

County: a synthetic 白银区 (cradle.assistance.sample; about 1.85 recipients a family, so 11,000 families make
about 20,000), ID numbers encrypted at rest. Timed: candidates (the engine over the households, with reasons, and
the list written), the villages' accounts, 公示/review/approval, payment (entitlements and the yearly batch) and
the bank file. Baseline: the same recipients' next-year batch and bank file made by the payments domain alone.

Province: `cradle.assistance.detection.province` (the engine over the batch layout's partitions, with the
reasons) over a synthetic province, beside the floor of reading the same partitions and nothing else. The run
has a fixed start-up (worker processes, imports, packs), measured on a few households first; the 35-million
figure is that start-up plus the persons at the rate measured after it (the run is linear in persons:
benchmarks/batch_scale.py). Last, the batch runner restricted to the programs, as it was measured before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from batch_scale import ON, write_population  # the benchmarks' folder is the script's own, on sys.path
from cradle.assistance import cycle, detection, payment, rows, sample
from cradle.assistance.programs import for_county
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.batch.runner import BatchSpec, run_batch
from cradle.batch.source import plan, read_partition
from cradle.batch.synth import counties
from cradle.db import session_scope, upgrade
from cradle.payments import bankfile, batches, rates
from cradle.policy.packs import load_packs
from cradle.testing.postgres import start_temp_postgres

COUNTY = "620402"
PROGRAM = "baiyin.reward_assistance"
county = Actor(id="bench", role=roles.COUNTY, region=COUNTY)
town = Actor(id="bench-t", role=roles.TOWN, region=f"{COUNTY}001")
finance = Actor(id="bench-f", role=roles.DEPT, region=COUNTY, dept="caizheng")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def county_cycle(url: str, families: int, folder: Path) -> None:
    households = sample.county(COUNTY, families)
    with session_scope(url) as s:
        rates.set_rate(s, county, PROGRAM, COUNTY, dt.date(2025, 1, 1), "960", "bench")
    # the packs (programs, parameters) load once a process, on the first question; a server has them already
    t = time.perf_counter()
    load_packs()
    packs = time.perf_counter() - t
    laps: list[tuple[str, float]] = []
    t0 = t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        laps.append((name, now - t))
        t = now

    with session_scope(url) as s:
        c = cycle.find_candidates(s, county, COUNTY, 2025, households)
        ids = sorted({e["id_number"] for e in rows.read(s, c.id)})
    lap("candidates")
    with session_scope(url) as s:
        cycle.set_accounts(  # the county places each person in the town
            s,
            county,
            COUNTY,
            2025,
            [
                {"id_number": x, "account_no": f"6217000{i:012d}", "town": town.town}
                for i, x in enumerate(ids)
            ],
        )
    lap("accounts")
    with session_scope(url) as s:
        cycle.publicize(s, county, COUNTY, 2025, start=dt.date(2025, 3, 1))
        cycle.review(s, town, COUNTY, 2025, today=dt.date(2025, 3, 9))
        cycle.approve(s, county, COUNTY, 2025, today=dt.date(2025, 3, 9))
    lap("publicity+approval")
    with session_scope(url) as s:
        paid = payment.pay(s, county, COUNTY, 2025, "2025")
    lap("entitlements+batch")
    with session_scope(url) as s:
        out = bankfile.export(s, finance, paid["batches"][0], folder / "bank.csv")
    lap("bank file")
    total = time.perf_counter() - t0
    t = time.perf_counter()
    with session_scope(url) as s:
        base = batches.generate(s, finance, PROGRAM, "2026", COUNTY)
    with session_scope(url) as s:
        again = bankfile.export(s, finance, base.batch_no, folder / "bank2.csv")
    baseline = time.perf_counter() - t
    assert again["rows"] == out["rows"]
    print(
        f"county cycle: {families:,} families, {len(ids):,} people listed, {out['rows']:,} paid in the batch"
    )
    print(f"  (untimed: loading the packs, once a process, {packs:.2f} s)")
    for name, seconds in laps:
        print(f"  {name:<20} {seconds:7.2f} s")
    print(
        f"  {'total':<20} {total:7.2f} s   (target < 10 s: {total / 10:.2f} of it; "
        f"{total / baseline:.1f}x the baseline; load average {loadavg()})"
    )
    print(
        f"  baseline: the payments domain's batch and bank file for the same {again['rows']:,}: {baseline:.2f} s"
    )


def province(region: str, persons: int, folder: Path, workers: list[int]) -> None:
    src, tiny = folder / "population", folder / "tiny"
    src.mkdir()
    tiny.mkdir()
    write_population(region, persons, 1, src)
    small = write_population(region, 2 * len(counties(region)), 9, tiny)  # a few households: the fixed cost
    progs = {p.id for code in counties(region) for p in for_county(code)}
    parts = plan(src, region)
    # the floor: reading the partitions' households, persons and births (one process), nothing else
    t = time.perf_counter()
    for part in parts:
        read_partition(src, part)
    floor = time.perf_counter() - t
    print(f"province {region}: {persons:,} persons in {len(parts)} partition(s); target 35,000,000 in < 60 s")
    print(
        f"  floor: reading the partitions (one process) {floor:7.2f} s; 35,000,000 ≈ {35e6 / persons * floor:.0f} s"
    )
    for n in workers:
        # start-up, paid once a run: worker processes and their imports, the packs, the desk's check
        t = time.perf_counter()
        detection.province(tiny, region, ON, progs, workers=n, max_households=max(1, small // 6))
        startup = time.perf_counter() - t
        t = time.perf_counter()
        found = detection.province(src, region, ON, progs, workers=n)
        seconds = time.perf_counter() - t
        rate = persons / max(seconds - startup, 1e-9)
        projected = startup + 35_000_000 / rate
        print(
            f"  {n} process(es): {seconds:6.2f} s for {found.height:,} candidates "
            f"({found['reason'].n_unique():,} distinct reasons), start-up {startup:.2f} s, "
            f"{rate:,.0f} persons/s after it ({(seconds - startup) / floor:.2f}x the floor)"
        )
        print(
            f"     35,000,000 persons ≈ {projected:.0f} s (start-up + persons / rate): "
            f"{projected / 60:.2f} of the 60 s target; load average {loadavg()}"
        )
    t = time.perf_counter()
    summary = run_batch(BatchSpec(region, ON, str(src), only=sorted(progs)), folder / "batch", workers=2)
    print(
        f"  before: the batch runner (`cradle batch --only`, 2 processes, no reasons) over the same: "
        f"{time.perf_counter() - t:.1f} s, {summary.rows:,} rows"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=11_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--persons", type=int, default=1_000_000, help="0 skips the province part")
    parser.add_argument("--region", default="140000")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="processes of the province's detection"
    )
    parser.add_argument("--no-county", action="store_true", help="the province part alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cradle-assist-"))
    server = start_temp_postgres() if args.db == "postgres" else None
    try:
        url = server.create_database("bench_assist") if server else f"sqlite:///{folder}/assist.db"
        upgrade(url)
        print(f"{args.db}, load average {loadavg()}", flush=True)
        if not args.no_county:
            county_cycle(url, args.families, folder)
        if args.persons:
            province(args.region, args.persons, folder, args.workers)
    finally:
        if server:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
