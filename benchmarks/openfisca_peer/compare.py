"""cradle against the OpenFisca peer on the same synthetic population: agreement and throughput.

    .venv/bin/python -m benchmarks.openfisca_peer.compare --persons 1000000

The population mixes 淄博 (370300), 白银 (620400) and 山西 (140000) households so that every program of the
subset applies somewhere. Each program's amounts are compared per person (per household for the deed-tax
subsidy) in cents, and in total; the throughput is persons per second of each engine's computation.

What is timed, on both sides alike: from the population's arrays in memory to every program's amounts. Building
the synthetic population is outside (it is shared); OpenFisca's side includes building its simulation from those
arrays (its way of taking the population in), cradle's includes cutting each pack's sub-population. Each engine
runs `--repeat` times, alternating, and the best run counts (the machine may be shared); wall and CPU seconds are
both printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

import numpy as np
import polars as pl

from cradle.batch.synth import generate
from cradle.policy.engine import run
from cradle.policy.population import RELATION, Population

AS_OF = dt.date(2026, 7, 1)  # OpenFisca evaluates a month from its first day
PERIOD = "2026-07"
TARGET = 20  # times openfisca-core's persons/s (issue 25)
SHARES = {"370300": 0.4, "620400": 0.2, "140000": 0.4}


def population(persons: int, seed: int = 1) -> Population:
    parts, offset_h, offset_p = [], 0, 0
    for k, (region, share) in enumerate(SHARES.items()):
        f = generate(region, int(persons * share), seed + k, AS_OF)
        parts.append(
            (
                f.households.with_columns(pl.col("household_id") + offset_h),
                f.persons.with_columns(pl.col("household_id") + offset_h, pl.col("person_id") + offset_p),
                f.births.with_columns(pl.col("household_id") + offset_h, pl.col("child_id") + offset_p),
            )
        )
        offset_h += f.households.height
        offset_p += f.persons.height
    return Population.from_frames(*(pl.concat([p[i] for p in parts]) for i in range(3)))


class Clock:
    """Wall and CPU seconds of a block."""

    def __enter__(self):
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.t0, time.process_time() - self.c0


def cradle_amounts(pop: Population, programs: dict[str, str], set_amount: float) -> tuple[dict, Clock]:
    """Per program: cents per person (per household for household programs), and the time it took."""
    with Clock() as clock:  # the per-person arrays are what OpenFisca gives: making them is timed too
        results = run(
            pop, AS_OF, only=set(programs), overrides={"baiyin.childcare_allowance.monthly": set_amount}
        )
        out = {}
        for res in results:
            cents = np.round(np.nan_to_num(res.amount) * 100).astype(np.int64)
            household = res.program.entity == "household"
            total = np.zeros(pop.n_households if household else pop.n_persons, dtype=np.int64)
            np.add.at(
                total, res.household if household else res.beneficiary, cents
            )  # a father of twins: twice
            out[res.program.id] = total
    return out, clock


def openfisca_amounts(pop: Population, programs: dict[str, str]) -> tuple[dict, Clock]:
    from benchmarks.openfisca_peer.system import CradleSubset

    tbs = CradleSubset()
    with Clock() as clock:
        out = _openfisca_run(tbs, pop, programs)
    return out, clock


def _openfisca_run(tbs, pop: Population, programs: dict[str, str]) -> dict:
    from openfisca_core.simulation_builder import SimulationBuilder

    p, h = pop.persons, pop.households
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", np.arange(pop.n_persons))
    household = builder.declare_entity("household", np.arange(pop.n_households))
    roles = np.select(
        [
            p["relation"] == RELATION["mother"],
            p["relation"] == RELATION["father"],
            p["relation"] == RELATION["child"],
        ],
        ["mother", "father", "child"],
        "other",
    )
    builder.join_with_persons(household, p["hh"], roles)
    sim = builder.build(tbs)
    has_birth = np.zeros(pop.n_persons, dtype=bool)
    has_birth[pop.births["child"]] = True
    inputs = {
        "birth_date": p["birth_date"],
        "relation": p["relation"].astype(np.int32),
        "deceased": p["deceased"],
        "birth_order": p["birth_order"].astype(np.int32),
        "hukou": p["hukou"].astype(np.int32),
        "nursery_registered": (p["care_type"] == 2) & p["care_registered"],
        "employee": p["employment"] == 1,
        "has_birth_event": has_birth,
        "jurisdiction": h["jurisdiction"].astype(np.int32),
        "has_purchase": ~np.isnat(h["purchase_date"]),
        "purchase_date": np.where(
            np.isnat(h["purchase_date"]), np.datetime64("1970-01-01"), h["purchase_date"]
        ),
        "purchase_new_commercial": h["purchase_new_commercial"],
        "deed_tax_paid": np.nan_to_num(h["deed_tax_paid"]),
    }
    for name, values in inputs.items():
        sim.set_input(name, "eternity", values)
    out = {}
    for program, variable in programs.items():
        values = sim.calculate(variable, PERIOD)
        out[program] = (
            values.astype(np.int64)
            if variable.endswith("_cents")
            else np.round(values.astype(np.float64) * 100).astype(np.int64)
        )
    return out


def compare(persons: int, seed: int = 1, repeat: int = 1) -> dict:
    from benchmarks.openfisca_peer.system import BAIYIN_MONTHLY, PROGRAMS

    pop = population(persons, seed)
    run(pop.take_households(np.arange(3)), AS_OF, only=set(PROGRAMS))  # warm the pack cache
    clocks: dict[str, list[Clock]] = {"cradle": [], "openfisca": []}
    for _ in range(repeat):  # alternating, so that other load on the machine falls on both alike
        ours, clock = cradle_amounts(pop, PROGRAMS, BAIYIN_MONTHLY)
        clocks["cradle"].append(clock)
        theirs, clock = openfisca_amounts(pop, PROGRAMS)
        clocks["openfisca"].append(clock)
    rows = []
    for program in PROGRAMS:
        a, b = ours.get(program), theirs[program]
        if a is None:
            a = np.zeros_like(b)
        rows.append(
            {
                "program": program,
                "beneficiaries": int((a != 0).sum()),
                "total_cradle": int(a.sum()),
                "total_openfisca": int(b.sum()),
                "mismatched": int((a != b).sum()),
            }
        )
    best = {k: (min(c.wall for c in v), min(c.cpu for c in v)) for k, v in clocks.items()}
    return {
        "persons": pop.n_persons,
        "rows": rows,
        "cradle_s": best["cradle"][0],
        "openfisca_s": best["openfisca"][0],
        "cradle_cpu": best["cradle"][1],
        "openfisca_cpu": best["openfisca"][1],
        "runs": {k: [(c.wall, c.cpu) for c in v] for k, v in clocks.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each engine; the best counts")
    args = parser.parse_args()
    r = compare(args.persons, args.seed, args.repeat)
    print(f"{r['persons']:,} persons")
    print(
        f"{'program':34} {'beneficiaries':>13} {'total cradle':>16} {'total openfisca':>16} {'mismatched':>10}"
    )
    for row in r["rows"]:
        print(
            f"{row['program']:34} {row['beneficiaries']:13,} {row['total_cradle'] / 100:16,.2f} "
            f"{row['total_openfisca'] / 100:16,.2f} {row['mismatched']:10}"
        )
    agree = all(row["mismatched"] == 0 and row["total_cradle"] == row["total_openfisca"] for row in r["rows"])
    print("agreement:", "exact (every person, every program, every total)" if agree else "MISMATCH")
    n = r["persons"]
    for name in ("cradle", "openfisca"):
        runs = ", ".join(f"{w:.3f}" for w, _ in r["runs"][name])
        print(
            f"{name + ':':10} best {r[name + '_s']:.3f} s wall ({n / r[name + '_s']:,.0f} persons/s), "
            f"{r[name + '_cpu']:.3f} s CPU ({n / r[name + '_cpu']:,.0f} persons/s); runs: {runs}"
        )
    wall, cpu = r["openfisca_s"] / r["cradle_s"], r["openfisca_cpu"] / r["cradle_cpu"]
    print(
        f"ratio: cradle is {wall:.1f}x openfisca-core's persons/s (wall; {cpu:.1f}x in CPU time)   "
        f"target >= {TARGET:.0f}x: {wall / TARGET:.2f} of it (wall), {cpu / TARGET:.2f} (CPU)   "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
