"""Ages a base population over the years of a what-if.

The base households stay as they are: everyone's age follows from the dates, so children grow out of the
under-three programs year by year. What a fixed population lacks is the children born after the base date.
They are represented by the base year's birth cohort (households with a birth in the 365 days before the
base date) carried forward: for a year `base + j` the cohort's households are copied with every date moved
`j` years later, and their newborn's entitlements (rows of the newborn, and of its birth event) are weighted
by the projected number of births in that year relative to the base year, per county.

The projected births come from the monitoring module's cohort-component projection
(`cradle.monitoring.projection.project`), started from the base population's own counts by county, sex and
single year of age, with its default (2020 census-shaped) mortality and fertility schedules. With `--static`
the cohort is carried forward with weight 1 (constant births) and the note says the population is static.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from cradle.monitoring.lifetable import life_table
from cradle.monitoring.projection import project
from cradle.monitoring.schedules import DEFAULT_SRB, default_asfr, default_mx
from cradle.policy.dates import add_years


@dataclass
class Aging:
    note: str
    counties: list[int]
    weights: (
        dict[int, np.ndarray] | None
    )  # year -> births weight per county (index as `counties`); None: static


def _ages(
    persons: pl.DataFrame, households: pl.DataFrame, on: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = persons.join(households.select("household_id", "jurisdiction"), on="household_id", how="left")
    birth = p["birth_date"].to_numpy().astype("datetime64[D]")
    age = ((np.datetime64(on, "D") - birth).astype(np.int64) / 365.25).astype(np.int64)
    return p["jurisdiction"].to_numpy(), np.where(p["female"].to_numpy(), 0, 1), np.clip(age, 0, 100)


def projected(
    households: pl.DataFrame, persons: pl.DataFrame, base: dt.date, years: list[int], aging: bool = True
) -> Aging:
    """Births weights per year and county, from the monitoring projection (none with `aging=False`)."""
    counties = sorted(int(c) for c in households["jurisdiction"].unique())
    if not aging:
        return Aging("人口静态：未推算人口变化（--static）", counties, None)
    county, sex, age = _ages(persons, households, base)
    index = np.searchsorted(counties, county)
    base_pop = np.zeros((len(counties), 2, 101))
    np.add.at(base_pop, (index, sex, age), 1.0)
    horizon = max(1, max(years) - base.year + 1)
    result = project(
        base_pop,
        life_table(default_mx()),
        default_asfr(),
        DEFAULT_SRB,
        None,
        years=horizon,
        start_year=base.year,
        regions=tuple(str(c) for c in counties),
    )
    births = result.births.sum(axis=2)  # [year, county]
    b0 = np.where(births[0] > 0, births[0], 1.0)
    weights = {base.year + k: births[k] / b0 for k in range(horizon)}
    return Aging("人口按监测模块的队列要素法预测逐年推移（出生按预测出生数加权）", counties, weights)


def cohort(households: pl.DataFrame, persons: pl.DataFrame, births: pl.DataFrame, base: dt.date):
    """The base year's birth cohort: (households, persons, births) of households with a birth in the 365
    days before `base`, and the newborns' person ids."""
    start = np.datetime64(base, "D") - np.timedelta64(365, "D")
    recent = births.filter(pl.col("date") > pl.lit(start.item()))
    ids = recent["household_id"].unique()
    return (
        households.filter(pl.col("household_id").is_in(ids.implode())),
        persons.filter(pl.col("household_id").is_in(ids.implode())),
        births.filter(pl.col("household_id").is_in(ids.implode())),
        recent["child_id"],
    )


def _shift(frame: pl.DataFrame, cols: list[str], years: int) -> pl.DataFrame:
    out = {}
    for col in cols:
        d = frame[col].to_numpy().astype("datetime64[D]")
        out[col] = pl.Series(col, add_years(d, years), dtype=pl.Date)
    return frame.with_columns(**out)


def shifted(households: pl.DataFrame, persons: pl.DataFrame, births: pl.DataFrame, years: int):
    """A copy of the cohort `years` later: every date moved, ids suffixed `~years` (as text)."""
    tag = f"~{years}"

    def ids(frame: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
        return frame.with_columns(*(pl.col(c).cast(pl.String) + tag for c in cols))

    return (
        ids(_shift(households, ["purchase_date"], years), ["household_id"]),
        ids(_shift(persons, ["birth_date"], years), ["household_id", "person_id"]),
        ids(_shift(births, ["date"], years), ["household_id", "child_id"]),
    )
