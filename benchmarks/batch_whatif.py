"""A five-year what-if for about 1 million persons: baseline and scenario, by year and county.

    .venv/bin/python benchmarks/batch_whatif.py [--persons 1000000] [--region 370300] [--workers 2]

Times `run_whatif` (loading the population, the projection, five years of baseline and scenario runs, the
aggregation); the synthetic population is generated and written beforehand, outside the timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl

from cradle.batch.synth import generate
from cradle.batch.whatif import parse_sets, run_whatif

ON = dt.date(2026, 6, 30)


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--region", default="370300")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--set",
        dest="sets",
        nargs="*",
        default=[
            "cn.childcare_subsidy.yearly=5000",
            "zibo.nursery_fee_subsidy.second_child=500",
            "zibo.deed_tax_subsidy=off",
        ],
    )
    args = parser.parse_args()
    src = Path(tempfile.mkdtemp(prefix="cradle-whatif-"))
    generate(args.region, args.persons, 1, ON).write(src)
    change = parse_sets(args.sets)
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    result = run_whatif(args.region, src, ON, list(range(2026, 2031)), change, workers=args.workers)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    shutil.rmtree(src)
    years = result.by_year()
    print(f"{result.persons:,} persons, {args.region}, 2026–2030, {change.describe()}")
    print(result.population_note)
    with pl.Config(tbl_rows=20, tbl_cols=10, tbl_width_chars=160):
        print(years)
    print(
        f"what-if over 5 years: {seconds:.1f}s ({result.persons * 5 * 2 / seconds:,.0f} person-years/s, "
        f"baseline and scenario); CPU {cpu:.1f}s with the workers"
    )


if __name__ == "__main__":
    main()
