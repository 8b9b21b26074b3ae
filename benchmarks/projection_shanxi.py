"""Speed: project every county-level unit of 山西 (117) for 30 years, all three WPP variants + a policy one.

Run: .venv/bin/python benchmarks/projection_shanxi.py
Base populations are the province's census total (34 915 616) split over 117 units by a fixed random
weight, with the default schedules (cradle.monitoring.schedules) and a small net migration; the point is
the speed of the vectorised projection, not the numbers.
"""

from __future__ import annotations

import time

import numpy as np

from cradle.monitoring import scenarios
from cradle.monitoring.lifetable import life_table
from cradle.monitoring.projection import project
from cradle.monitoring.schedules import default_asfr, default_base, default_mx

COUNTIES = 117
YEARS = 30


def main() -> None:
    rng = np.random.default_rng(2020)
    weights = rng.uniform(0.3, 3.0, COUNTIES)
    totals = 34_915_616 * weights / weights.sum()
    t0 = time.perf_counter()
    base = default_base(totals)
    mortality = life_table(
        np.broadcast_to(default_mx(), (COUNTIES, 2, 101)) * rng.uniform(0.8, 1.2, (COUNTIES, 1, 1))
    )
    asfr = default_asfr()[None, :] * rng.uniform(0.8, 1.3, (COUNTIES, 1))
    migration = base * rng.uniform(-0.004, 0.004, (COUNTIES, 1, 1))
    t_inputs = time.perf_counter() - t0
    timings = {}
    for name in ("low", "medium", "high", "policy"):
        sc = scenarios.policy_scenario(0.15) if name == "policy" else scenarios.get(name)
        t = time.perf_counter()
        r = project(
            base,
            mortality,
            scenarios.scenario_asfr(asfr, sc, YEARS),
            srb=1.113,
            migration=migration,
            years=YEARS,
            start_year=2025,
        )
        timings[name] = time.perf_counter() - t
        print(
            f"{name:7s} {timings[name] * 1000:7.1f} ms  births 2025 {r.births_total()[0].sum():>10,.0f}  "
            f"2054 {r.births_total()[-1].sum():>10,.0f}  population 2055 {r.total()[-1].sum():>12,.0f}"
        )
    print(
        f"inputs (life tables, schedules) {t_inputs * 1000:.1f} ms; "
        f"{COUNTIES} counties x {YEARS} years, slowest scenario {max(timings.values()) * 1000:.1f} ms (target < 1000 ms)"
    )


if __name__ == "__main__":
    main()
