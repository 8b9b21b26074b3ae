"""Speed: the annual report of a whole province (山西 140000: 11 cities, 117 county-level units), target < 30 s.

Run: .venv/bin/python benchmarks/report_province.py [--keep DIR]
A fresh SQLite database gets synthetic indicator values (every indicator, the province, every city and county,
2020–2024; deterministic random numbers — the point is the speed, not the numbers) and status updates for
the province's plan measures. The registry is left empty, so the projection starts from the census split.
Prints the time of each step: gathering (scorecard, capacity, payments, plan, warnings, 3-scenario projection
of 117 counties), HTML, PDF (WeasyPrint), and the PDF's page count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REGION, YEAR, TODAY = "140000", 2024, dt.date(2025, 6, 30)


def seed(url: str) -> int:
    from cradle import regions
    from cradle.db import session_scope
    from cradle.monitoring import catalogue, plan, values

    rng = np.random.default_rng(8)
    codes = [REGION] + [r.code for r in regions.descendants(REGION)]
    entries = []
    for ind in catalogue.load().indicators.values():
        base = {"%": 80.0, "‰": 4.0, "个/千人": 3.5, "1/10万": 10.0}.get(ind.unit, 50.0)
        for code in codes:
            level = rng.uniform(0.8, 1.2) * base
            for year in range(YEAR - 4, YEAR + 1):
                v = level * (1 + 0.03 * (year - YEAR)) * rng.uniform(0.97, 1.03)
                v = min(v, 100.0) if ind.unit == "%" else v
                entries.append(
                    values.Entry(
                        ind.id,
                        code,
                        year,
                        round(float(v), 2),
                        "benchmark synthetic",
                        dt.date(YEAR + 1, 1, 15),
                    )
                )
    with session_scope(url) as s:
        values.record(s, entries, department="benchmark", entered_by="bench")
        for i, m in enumerate(plan.for_region(REGION)):
            if m.owners:
                status = ("in_progress", "done", "blocked")[i % 3]
                plan.update(
                    s,
                    m.id,
                    REGION,
                    m.owners[0],
                    status,
                    "bench",
                    evidence="文件" if status == "done" else None,
                )
    return len(entries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="write the HTML and PDF here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        import os

        os.environ["CRADLE_DATABASE_URL"] = url
        from cradle.db import session_scope, upgrade

        upgrade(url)
        t = time.perf_counter()
        n = seed(url)
        print(f"seeded {n:,} values in {time.perf_counter() - t:.1f} s", file=sys.stderr)

        t0 = time.perf_counter()
        from cradle.monitoring.report import annual, render  # imports WeasyPrint lazily, inside render.pdf

        with session_scope(url) as s:
            rep = annual.build(s, REGION, YEAR, TODAY)
        t1 = time.perf_counter()
        html = render.html(rep)
        t2 = time.perf_counter()
        pdf = render.pdf(rep)
        t3 = time.perf_counter()
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / f"report_{REGION}_{YEAR}.html").write_text(html, encoding="utf-8")
            (args.keep / f"report_{REGION}_{YEAR}.pdf").write_bytes(pdf)
    print(
        f"{rep.name} {YEAR}: {len(rep.scorecard.rows)} indicators, {len(rep.scorecard.units)} cities, "
        f"{rep.projection.counties if rep.projection else 0} counties projected, {len(rep.warnings)} warnings, "
        f"{len(rep.plan)} measures"
    )
    print(
        f"gather {t1 - t0:.2f} s  html {t2 - t1:.2f} s  pdf {t3 - t2:.2f} s ({pages} pages, {len(pdf) / 1e6:.1f} MB)"
    )
    print(f"total {t3 - t0:.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
