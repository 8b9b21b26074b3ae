"""cradle against the OpenFisca peer on the same synthetic population: agreement and throughput.

    .venv/bin/python -m benchmarks.openfisca_peer.compare --persons 1000000

The population mixes 淄博 (370300), 白银 (620400) and 山西 (140000) households so that every program of the
subset applies somewhere. Each program's amounts are compared per person (per household for the deed-tax
subsidy) in cents, and in total; the throughput is persons per second of each engine's computation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import polars as pl

from cradle.batch.synth import generate
from cradle.policy.engine import run
from cradle.policy.population import RELATION, Population

AS_OF = dt.date(2026, 7, 1)  # OpenFisca evaluates a month from its first day
PERIOD = "2026-07"
SHARES = {"370300": 0.4, "620400": 0.2, "140000": 0.4}


def population(persons: int, seed: int = 1) -> Population:
    parts, offset_h, offset_p = [], 0, 0
    for k, (region, share) in enumerate(SHARES.items()):
        f = generate(region, int(persons * share), seed + k, AS_OF)
        parts.append((f.households.with_columns(pl.col("household_id") + offset_h),
                      f.persons.with_columns(pl.col("household_id") + offset_h, pl.col("person_id") + offset_p),
                      f.births.with_columns(pl.col("household_id") + offset_h, pl.col("child_id") + offset_p)))
        offset_h += f.households.height
        offset_p += f.persons.height
    return Population.from_frames(*(pl.concat([p[i] for p in parts]) for i in range(3)))


def cradle_amounts(pop: Population, programs: dict[str, str], set_amount: float) -> tuple[dict, float]:
    """Per program: cents per person (per household for household programs), and the seconds it took."""
    t0 = time.perf_counter()
    results = run(pop, AS_OF, only=set(programs), overrides={"baiyin.childcare_allowance.monthly": set_amount})
    seconds = time.perf_counter() - t0
    out = {}
    for res in results:
        cents = np.round(np.nan_to_num(res.amount) * 100)
        if res.program.entity == "household":
            out[res.program.id] = np.bincount(res.household, weights=cents, minlength=pop.n_households)
        else:
            out[res.program.id] = np.bincount(res.beneficiary, weights=cents, minlength=pop.n_persons)
    return {k: v.astype(np.int64) for k, v in out.items()}, seconds


def openfisca_amounts(pop: Population, programs: dict[str, str]) -> tuple[dict, float]:
    from benchmarks.openfisca_peer.system import CradleSubset
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = CradleSubset()
    t0 = time.perf_counter()
    p, h = pop.persons, pop.households
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", np.arange(pop.n_persons))
    household = builder.declare_entity("household", np.arange(pop.n_households))
    roles = np.select([p["relation"] == RELATION["mother"], p["relation"] == RELATION["father"],
                       p["relation"] == RELATION["child"]], ["mother", "father", "child"], "other")
    builder.join_with_persons(household, p["hh"], roles)
    sim = builder.build(tbs)
    has_birth = np.zeros(pop.n_persons, dtype=bool)
    has_birth[pop.births["child"]] = True
    inputs = {
        "birth_date": p["birth_date"], "relation": p["relation"].astype(np.int32), "deceased": p["deceased"],
        "birth_order": p["birth_order"].astype(np.int32), "hukou": p["hukou"].astype(np.int32),
        "nursery_registered": (p["care_type"] == 2) & p["care_registered"],
        "employee": p["employment"] == 1, "has_birth_event": has_birth,
        "jurisdiction": h["jurisdiction"].astype(np.int32), "has_purchase": ~np.isnat(h["purchase_date"]),
        "purchase_date": np.where(np.isnat(h["purchase_date"]), np.datetime64("1970-01-01"), h["purchase_date"]),
        "purchase_new_commercial": h["purchase_new_commercial"],
        "deed_tax_paid": np.nan_to_num(h["deed_tax_paid"]),
    }
    for name, values in inputs.items():
        sim.set_input(name, "eternity", values)
    out = {}
    for program, variable in programs.items():
        values = sim.calculate(variable, PERIOD)
        out[program] = (values.astype(np.int64) if variable.endswith("_cents")
                        else np.round(values.astype(np.float64) * 100).astype(np.int64))
    return out, time.perf_counter() - t0


def compare(persons: int, seed: int = 1) -> dict:
    from benchmarks.openfisca_peer.system import BAIYIN_MONTHLY, PROGRAMS

    pop = population(persons, seed)
    run(pop.take_households(np.arange(3)), AS_OF, only=set(PROGRAMS))  # warm the pack cache
    ours, t_cradle = cradle_amounts(pop, PROGRAMS, BAIYIN_MONTHLY)
    theirs, t_of = openfisca_amounts(pop, PROGRAMS)
    rows = []
    for program in PROGRAMS:
        a, b = ours.get(program), theirs[program]
        if a is None:
            a = np.zeros_like(b)
        rows.append({"program": program, "beneficiaries": int((a != 0).sum()), "total_cradle": int(a.sum()),
                     "total_openfisca": int(b.sum()), "mismatched": int((a != b).sum())})
    return {"persons": pop.n_persons, "rows": rows, "cradle_s": t_cradle, "openfisca_s": t_of}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    r = compare(args.persons, args.seed)
    print(f"{r['persons']:,} persons")
    print(f"{'program':34} {'beneficiaries':>13} {'total cradle':>16} {'total openfisca':>16} {'mismatched':>10}")
    for row in r["rows"]:
        print(f"{row['program']:34} {row['beneficiaries']:13,} {row['total_cradle'] / 100:16,.2f} "
              f"{row['total_openfisca'] / 100:16,.2f} {row['mismatched']:10}")
    agree = all(row["mismatched"] == 0 and row["total_cradle"] == row["total_openfisca"] for row in r["rows"])
    print("agreement:", "exact (every person, every program, every total)" if agree else "MISMATCH")
    c, o = r["persons"] / r["cradle_s"], r["persons"] / r["openfisca_s"]
    print(f"cradle:    {r['cradle_s']:.2f} s, {c:,.0f} persons/s")
    print(f"openfisca: {r['openfisca_s']:.2f} s, {o:,.0f} persons/s (building the simulation included)")
    print(f"ratio: cradle is {c / o:.1f}x openfisca-core's persons/s")


if __name__ == "__main__":
    main()
