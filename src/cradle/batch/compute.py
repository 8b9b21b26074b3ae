"""One partition's entitlements: the engine's ProgramResults flattened into one table.

Columns (ENTITLEMENT_SCHEMA): program, kind, beneficiary (person_id, or "household"), amount (null where the
document leaves it to a lower level or the program has no amount), deadline (for deadline programs, whose
"amount" is a date), unit, period_start, period_end, household (household_id), county (jurisdiction).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from cradle.policy.engine import run
from cradle.policy.population import Population

ENTITLEMENT_SCHEMA = {
    "program": pl.String,
    "kind": pl.String,
    "beneficiary": pl.String,
    "amount": pl.Float64,
    "deadline": pl.Date,
    "unit": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "household": pl.String,
    "county": pl.Int64,
}


def _id_lookup(ids: np.ndarray, extra: str | None = None) -> pl.Series:
    """The ids as a text Series (with `extra` appended as the last entry), for gathering by row."""
    series = pl.Series(ids).cast(pl.String)
    return series.append(pl.Series([extra], dtype=pl.String)) if extra is not None else series


def entitlements(
    pop: Population, as_of: dt.date, overrides: dict | None = None, only: set[str] | None = None
) -> pl.DataFrame:
    """Every eligible row of every program for `pop` as of `as_of`, in ENTITLEMENT_SCHEMA."""
    frames = []
    persons = _id_lookup(pop.person_ids, "household")  # row -1 (a household's entitlement) -> "household"
    households = _id_lookup(pop.household_ids)
    for res in run(pop, as_of, overrides=overrides, only=only):
        k = len(res.rows)
        if not k:
            continue
        amount = np.full(k, np.nan) if res.amount is None else res.amount
        is_date = amount.dtype.kind == "M"
        deadline = amount if is_date else np.full(k, np.datetime64("NaT"), dtype="datetime64[D]")
        value = np.full(k, np.nan) if is_date else amount.astype(float)
        frames.append(
            pl.DataFrame(
                {
                    # constant texts repeated by Polars, not built as NumPy string arrays
                    "program": pl.repeat(res.program.id, k, dtype=pl.String, eager=True),
                    "kind": pl.repeat(res.program.kind, k, dtype=pl.String, eager=True),
                    "beneficiary": persons.gather(
                        np.where(res.beneficiary >= 0, res.beneficiary, pop.n_persons)
                    ),
                    "amount": pl.Series(value, dtype=pl.Float64, nan_to_null=True),
                    "deadline": deadline.astype("datetime64[D]"),
                    "unit": pl.repeat(res.program.unit, k, dtype=pl.String, eager=True),
                    "period_start": res.start,
                    "period_end": res.end,
                    "household": households.gather(res.household),
                    "county": pop.households["jurisdiction"][res.household],
                },
                schema_overrides={"deadline": pl.Date, "period_start": pl.Date, "period_end": pl.Date},
            )
        )
    if not frames:
        return pl.DataFrame(schema=ENTITLEMENT_SCHEMA)
    return pl.concat(frames).cast(ENTITLEMENT_SCHEMA)
