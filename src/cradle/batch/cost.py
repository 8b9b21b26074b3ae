"""What an entitlement costs in one calendar year, and the yearly aggregation by county.

- CNY/month: the amount times the months of its period that fall in the year (a started month counts);
- CNY/year: the amount times the share of the year's months in its period;
- CNY (one-off): the amount, in the year its period starts (the as-of year when it has no start).
A period with an end runs to its end; without an end, a payment in CNY, a leave (of a length left open) and a
deadline count in the year they start, and anything else (a waiver, a priority) holds from its start on. Beneficiaries in a year are the entitlement rows active in
it by the same reading, weighted; other units (days, percent) carry no cost but their beneficiaries count.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cradle.policy.dates import months_between

MONEY_UNITS = ("CNY", "CNY/month", "CNY/year")


def _bounds(table: pl.DataFrame, year: int):
    y0, y1 = np.datetime64(f"{year}-01-01", "D"), np.datetime64(f"{year + 1}-01-01", "D")
    start = table["period_start"].to_numpy().astype("datetime64[D]")
    end = table["period_end"].to_numpy().astype("datetime64[D]")
    return y0, y1, start, end


def active(table: pl.DataFrame, year: int) -> np.ndarray:
    """Per row: whether the entitlement is in force (or, without an end, starts) in `year`."""
    y0, y1, start, end = _bounds(table, year)
    started = np.isnat(start) | (start < y1)
    with_end = ~np.isnat(end) & (end > y0)
    once = (table["unit"].fill_null("").to_numpy() == "CNY") | np.isin(
        table["kind"].to_numpy(), ["leave", "deadline"]
    )
    open_ended = np.isnat(end) & (~once | np.isnat(start) | (start >= y0))
    return started & (with_end | open_ended)


def yearly_cost(table: pl.DataFrame, year: int) -> np.ndarray:
    """Per entitlement row of `table` (ENTITLEMENT_SCHEMA): its cost in `year`, 0 where it has none."""
    y0, y1 = np.datetime64(f"{year}-01-01", "D"), np.datetime64(f"{year + 1}-01-01", "D")
    amount = table["amount"].fill_null(0.0).to_numpy()
    unit = table["unit"].fill_null("").to_numpy()
    start = table["period_start"].to_numpy().astype("datetime64[D]")
    end = table["period_end"].to_numpy().astype("datetime64[D]")
    s = np.where(np.isnat(start), y0, np.maximum(start, y0))
    e = np.where(np.isnat(end), y1, np.minimum(end, y1))
    months = np.where(e > s, months_between(s, e), 0)
    in_year = np.isnat(start) | ((start >= y0) & (start < y1))
    return np.select(
        [unit == "CNY/month", unit == "CNY/year", unit == "CNY"],
        [amount * months, amount * months / 12.0, np.where(in_year, amount, 0.0)],
        0.0,
    )


def summarise(table: pl.DataFrame, year: int, weight: pl.Series | None = None) -> pl.DataFrame:
    """By county and program: weighted beneficiaries (entitlement rows) and cost in `year`."""
    w = np.ones(table.height) if weight is None else weight.to_numpy()
    frame = table.select("county", "program", "unit").with_columns(
        beneficiaries=pl.Series(w * active(table, year), dtype=pl.Float64),
        cost=pl.Series(yearly_cost(table, year) * w, dtype=pl.Float64),
    )
    return (
        frame.group_by("county", "program", "unit")
        .agg(pl.col("beneficiaries").sum(), pl.col("cost").sum())
        .with_columns(year=pl.lit(year, dtype=pl.Int32))
    )
