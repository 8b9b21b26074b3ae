"""The parameter desk's cost preview (issue 21) for a county, beside the floor of reading the county's households
from the registry, measured in the same run.

    flock /tmp/bench.lock .venv/bin/python benchmarks/params_preview.py [--persons 250000] [--db sqlite|postgres]

Set-up (not timed): a synthetic 陆河县 of `--persons` (`cradle.synth`), its 公安, 卫健 and 民政 feeds ingested
through `cradle ingest`'s code. Timed: the floor, `registry_households` (the households the preview reads, as the batch
and what-if read them), then `params.preview.preview` for a proposed 奖励扶助 rate (those households checked and
run through the engine for this year and the next two, current value against proposed), as the approving
official's page and `GET /api/v1/params/proposals/{id}/preview` call it. No speed figure is named by the issue;
the ratio to the floor says how much the preview adds to reading the population at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from cradle.batch.registry_source import registry_households
from cradle.db import make_engine, session_scope, upgrade
from cradle.params.models import Proposal
from cradle.params.preview import preview
from cradle.policy.packs import load_packs
from cradle.registry.ingest import ingest_file
from cradle.synth.feeds import FORMATS, write_feeds
from cradle.synth.population import generate
from cradle.testing.postgres import start_temp_postgres

COUNTY = "441523"
PARAMETER = "luhe.reward_assistance.amount"
TODAY = dt.date(2026, 6, 30)
# 公安 for the persons and their 户, 卫健 for births and the family-planning facts 奖励扶助 reads (without them the
# preview found no beneficiary at all), 民政 for marriages
FEEDS_READ = ("gongan", "weijian", "minzheng")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def build(url: str, persons: int, folder: Path) -> None:
    t = time.perf_counter()
    write_feeds(
        generate(COUNTY, persons, 1, TODAY),
        folder,
        seed=1,
        dirty_rate=0.0,
        depts=list(FEEDS_READ),
        formats=dict.fromkeys(FORMATS, ("csv", "utf-8")),
    )
    upgrade(url)
    engine = make_engine(url)
    for dept in FEEDS_READ:
        s = ingest_file(dept, folder / f"{dept}.csv", engine=engine, batch_rows=200_000)
        print(f"  ingest {dept:9s} {s.accepted:>9,} rows", flush=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"set-up: {persons:,} persons in {time.perf_counter() - t:.0f} s", flush=True)


def measure(url: str) -> None:
    load_packs()  # a server has them loaded already
    proposal = Proposal(
        parameter=PARAMETER, scope=COUNTY, value="1800", effective_from=dt.date(TODAY.year, 1, 1)
    )
    with session_scope(url) as s:
        t = time.perf_counter()
        households = registry_households(s, COUNTY, TODAY)
        floor = time.perf_counter() - t
    with session_scope(url) as s:
        t = time.perf_counter()
        shown = preview(s, proposal, TODAY)
        took = time.perf_counter() - t
    first = shown["years"][0]
    print(f"load average {loadavg()}")
    print(f"floor: the county's {len(households):,} households read from the registry in {floor:.2f} s")
    print(
        f"preview: {shown['households']:,} households, 3 years, {took:.2f} s = {took / floor:.2f}× the floor; "
        f"{first['year']}: {first['beneficiaries_current']:,} → {first['beneficiaries_proposed']:,} "
        f"beneficiaries, cost change {first['cost_change']:,.0f} 元"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--persons", type=int, default=250_000, help="about a county (陆河县: 2020 census ≈ 0.23M)"
    )
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cradle-preview-") as d:
        folder = Path(d)
        server = start_temp_postgres() if args.db == "postgres" else None
        try:
            url = server.create_database("bench_preview") if server else f"sqlite:///{folder / 'cradle.db'}"
            build(url, args.persons, folder)
            measure(url)
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main()
