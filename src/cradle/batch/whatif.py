"""What-if: a parameter change rerun against the baseline, by year and county.

`--set NAME=VALUE` replaces a parameter's value (a number; `null` leaves it to a lower level);
`--set PROGRAM=off` switches a program off. Only the programs that read a changed parameter are rerun for the
scenario; every other program's rows are the baseline's. By default the programs paid in money and the
programs the change touches are computed (`all_programs` adds every other one). Each year is computed as of 1 July (or the base
date, if later in the base year) and costed over the calendar year (`cost.yearly_cost`).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from cradle.batch import aging as ag
from cradle.batch.compute import entitlements
from cradle.batch.cost import summarise
from cradle.batch.source import check_layout
from cradle.batch.synth import counties as counties_of
from cradle.errors import N_, Invalid
from cradle.policy.engine import run
from cradle.policy.packs import all_parameters, find_program, load_packs
from cradle.policy.population import Population


@dataclass
class Change:
    overrides: dict[str, float | None] = field(default_factory=dict)
    off: set[str] = field(default_factory=set)

    def describe(self) -> str:
        parts = [f"{k}={'null' if v is None else f'{v:g}'}" for k, v in self.overrides.items()]
        return ", ".join(parts + [f"{p}=off" for p in sorted(self.off)]) or "（无变化）"


def parse_sets(sets: list[str]) -> Change:
    """`--set` values; Invalid naming the option and the parameter."""
    params = all_parameters()
    change = Change()
    for item in sets:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise Invalid("--set", N_("expected NAME=VALUE, got %(item)s"), item=repr(item))
        if value.lower() == "off":
            try:
                find_program(name)
            except KeyError:
                raise Invalid(f"--set {name}", N_("unknown program")) from None
            change.off.add(name)
            continue
        if name not in params:
            raise Invalid(f"--set {name}", N_("unknown parameter (see `cradle programs`)"))
        if value.lower() in ("null", "none"):
            change.overrides[name] = None
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise Invalid(f"--set {name}", N_("date values are not supported yet (parameters hold numbers)"))
        try:
            change.overrides[name] = float(value)
        except ValueError:
            raise Invalid(f"--set {name}", N_("not a number: %(value)s"), value=repr(value)) from None
    return change


def parse_years(text: str | None, base: dt.date) -> list[int]:
    if not text:
        return [base.year]
    m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not m:
        raise Invalid("--years", N_("expected YYYY or YYYY-YYYY, got %(text)s"), text=repr(text))
    first, last = int(m[1]), int(m[2] or m[1])
    if last < first:
        raise Invalid("--years", N_("%(last)s is before %(first)s"), last=last, first=first)
    if first < base.year:
        raise Invalid(
            "--years",
            N_("%(first)s is before the population's base year %(base)s (--on)"),
            first=first,
            base=base.year,
        )
    return list(range(first, last + 1))


def as_of_for(year: int, base: dt.date) -> dt.date:
    return max(dt.date(year, 7, 1), base)


@dataclass
class WhatIfResult:
    region: str
    change: Change
    years: list[int]
    population_note: str
    by_program: pl.DataFrame  # year, county, program, unit, beneficiaries/cost _base/_scenario/_diff
    persons: int

    def by_county(self) -> pl.DataFrame:
        """Year and county totals over money programs (beneficiaries: entitlement rows of those programs)."""
        money = self.by_program.filter(pl.col("unit").is_in(["CNY", "CNY/month", "CNY/year"]))
        cols = [c for c in money.columns if c.startswith(("beneficiaries", "cost"))]
        return money.group_by("year", "county").agg(pl.col(c).sum() for c in cols).sort("year", "county")

    def by_year(self) -> pl.DataFrame:
        t = self.by_county()
        return t.group_by("year").agg(pl.exclude("year", "county").sum()).sort("year")


def load_region(directory: Path, region: str) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    paths = check_layout(directory)
    wanted = [int(c) for c in counties_of(region)]
    households = pl.scan_parquet(paths["households"]).filter(pl.col("jurisdiction").is_in(wanted)).collect()
    keep = households.select("household_id")
    persons = pl.read_parquet(paths["persons"]).join(
        keep, on="household_id", how="semi", maintain_order="left"
    )
    births = pl.read_parquet(paths["births"]).join(keep, on="household_id", how="semi", maintain_order="left")
    return households, persons, births


def _affected(pop: Population, as_of: dt.date, change: Change) -> set[str]:
    """Programs that read a changed parameter (on a small slice: which parameters a formula reads does not
    depend on the rows)."""
    if not change.overrides:
        return set()
    per_county = (
        pl.DataFrame({"j": pop.households["jurisdiction"], "i": np.arange(pop.n_households)})
        .group_by("j")
        .agg(pl.col("i").head(200))
    )
    rows = np.sort(np.concatenate([np.asarray(x) for x in per_county["i"].to_list()]))
    sample = pop.take_households(rows)
    return {
        r.program.id for r in run(sample, as_of) if any(u.parameter.name in change.overrides for u in r.uses)
    }


def _frames_for_year(frames, base: dt.date, year: int, aging: ag.Aging):
    """The year's population frames with the carried-forward cohorts, and each household's weight."""
    households, persons, births = frames
    parts = [
        (
            households.with_columns(pl.col("household_id").cast(pl.String)),
            persons.with_columns(pl.col("household_id").cast(pl.String), pl.col("person_id").cast(pl.String)),
            births.with_columns(pl.col("household_id").cast(pl.String), pl.col("child_id").cast(pl.String)),
        )
    ]
    newborn: list[pl.DataFrame] = []
    weights = [pl.DataFrame({"household": parts[0][0]["household_id"], "weight": 1.0})]
    if year > base.year:
        ch, cp, cb, kids = ag.cohort(households, persons, births, base)
        index = np.searchsorted(aging.counties, ch["jurisdiction"].to_numpy())
        for j in range(1, year - base.year + 1):
            h, p, b = ag.shifted(ch, cp, cb, j)
            parts.append((h, p, b))
            newborn.append(
                b.filter(pl.col("child_id").is_in((kids.cast(pl.String) + f"~{j}").implode())).select(
                    household=pl.col("household_id"), child=pl.col("child_id"), date=pl.col("date")
                )
            )
            w = aging.weights[base.year + j][index] if aging.weights is not None else np.ones(len(index))
            weights.append(pl.DataFrame({"household": h["household_id"], "weight": w}))
    merged = tuple(pl.concat([x[i] for x in parts]) for i in range(3))
    return merged, pl.concat(weights), pl.concat(newborn) if newborn else None


def _keep_cohort_rows(table: pl.DataFrame, newborn: pl.DataFrame) -> pl.DataFrame:
    """Base households' rows, and of carried-forward households only the newborn's rows and the rows of its
    birth (birth programs whose period starts on or after the newborn's birth). Other members' rows of a copy
    (e.g. the parents' yearly parental leave) are not counted: the base household already has them."""
    births = [p for p in table["program"].unique() if find_program(p).entity == "birth"]
    copy = pl.col("household").str.contains("~", literal=True)
    first = newborn.group_by("household").agg(first=pl.col("date").min())
    of_birth = (
        table.filter(copy & pl.col("program").is_in(births))
        .join(first, on="household", how="inner")
        .filter(pl.col("period_start") >= pl.col("first"))
        .drop("first")
    )
    return pl.concat(
        [
            table.filter(
                ~copy
                | (pl.col("beneficiary").is_in(newborn["child"].implode()) & ~pl.col("program").is_in(births))
            ),
            of_birth,
        ]
    )


_LOADED: dict = {}


def money_programs() -> set[str]:
    return {
        p.id for pack in load_packs() for p in pack.programs if p.unit in ("CNY", "CNY/month", "CNY/year")
    }


def year_figures(args) -> pl.DataFrame:
    source, region, base, year, aging, change, all_programs = args
    key = (str(source), region)
    if key not in _LOADED:  # once per worker process
        _LOADED.clear()
        _LOADED[key] = load_region(Path(source), region)
    frames = _LOADED[key]
    as_of = as_of_for(year, base)
    (h, p, b), weights, newborn = _frames_for_year(frames, base, year, aging)
    pop = Population.from_frames(h, p, b)
    affected = _affected(pop, as_of, change)
    scope = None if all_programs else money_programs() | affected | change.off
    baseline = entitlements(pop, as_of, only=scope)
    rerun = affected - change.off
    scenario = pl.concat(
        [
            baseline.filter(~pl.col("program").is_in(list(affected | change.off))),
            entitlements(pop, as_of, change.overrides, rerun) if rerun else baseline.clear(),
        ]
    )
    if newborn is not None:
        baseline, scenario = _keep_cohort_rows(baseline, newborn), _keep_cohort_rows(scenario, newborn)
    out = []
    for name, table in (("base", baseline), ("scenario", scenario)):
        w = table.select("household").join(weights, on="household", how="left", maintain_order="left")[
            "weight"
        ]
        out.append(
            summarise(table, year, w).rename(
                {"beneficiaries": f"beneficiaries_{name}", "cost": f"cost_{name}"}
            )
        )
    keys = ["year", "county", "program", "unit"]
    merged = (
        out[0].join(out[1], on=keys, how="full", coalesce=True).with_columns(pl.exclude(keys).fill_null(0.0))
    )
    return merged.with_columns(
        beneficiaries_diff=pl.col("beneficiaries_scenario") - pl.col("beneficiaries_base"),
        cost_diff=pl.col("cost_scenario") - pl.col("cost_base"),
    )


def run_whatif(
    region: str,
    source: Path,
    base: dt.date,
    years: list[int],
    change: Change,
    *,
    aging: bool = True,
    workers: int | None = None,
    all_programs: bool = False,
) -> WhatIfResult:
    """Baseline and scenario by year, county and program: the programs paid in money and every program the
    change touches (`all_programs`: every program, e.g. for leave days by county)."""
    frames = load_region(Path(source), region)
    if frames[0].height == 0:
        raise Invalid(
            "--region", N_("no households of %(region)s in %(source)s"), region=region, source=source
        )
    plan = ag.projected(frames[0], frames[1], base, years, aging)
    _LOADED.clear()
    _LOADED[(str(source), region)] = frames
    jobs = [(source, region, base, y, plan, change, all_programs) for y in years]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        tables = [year_figures(j) for j in jobs]
    else:
        with mp.get_context("spawn").Pool(workers) as pool:
            tables = pool.map(year_figures, jobs)
    by_program = pl.concat(tables).sort("year", "county", "program")
    return WhatIfResult(region, change, years, plan.note, by_program, frames[1].height)
