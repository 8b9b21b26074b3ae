"""Indicator values computed from registry records (:class:`cradle.monitoring.estimate.Records`).

Each function returns ``(value, numerator, denominator)`` for a region (its own records and those of every
region within it) and a calendar year, or ``None`` when the denominator is zero. Definitions are the
catalogue's (``data/indicators.yaml``); mortality rates follow the Chinese maternal and child health
statistics convention (deaths in the year before the given age per 1000 live births of the year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from sqlalchemy import select

from cradle import regions
from cradle.monitoring.estimate import Records, age_on, estimate
from cradle.monitoring.registry_source import load_records
from cradle.monitoring.schedules import DEFAULT_TFR
from cradle.monitoring.sources import Computation, Context
from cradle.registry.models import HukouEvent, Residence

Result = tuple[float, float, float] | None
MIN_EXPECTED_BIRTHS = 20.0


def _within(codes: np.ndarray, code: str) -> np.ndarray:
    cache: dict[str, bool] = {}
    out = np.zeros(len(codes), dtype=bool)
    for i, c in enumerate(codes):
        if c not in cache:
            cache[c] = c == code or (regions.exists(c) and regions.is_within(c, code))
        out[i] = cache[c]
    return out


def _year(d: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(d), 0, d.astype("datetime64[Y]").astype(int) + 1970)


def _ratio(num: float, den: float, scale: float) -> Result:
    return None if den == 0 else (num / den * scale, float(num), float(den))


def _births_mask(a, code, year):
    return _within(a["b_region"], code) & (_year(a["b_date"]) == year)


def births(a, code, year) -> Result:
    n = float(_births_mask(a, code, year).sum())
    return n, n, 1.0


def _order_share(a, code, year, lo, hi) -> Result:
    m = _births_mask(a, code, year) & (a["b_order"] > 0)
    o = a["b_order"][m]
    return _ratio(((o >= lo) & (o <= hi)).sum(), m.sum(), 100)


def second_birth_share(a, code, year) -> Result:
    return _order_share(a, code, year, 2, 2)


def third_plus_birth_share(a, code, year) -> Result:
    return _order_share(a, code, year, 3, 99)


def sex_ratio_at_birth(a, code, year) -> Result:
    m = _births_mask(a, code, year)
    boys = (a["b_sex"][m] == 1).sum()
    return _ratio(boys, m.sum() - boys, 100)


def _child_deaths(a, code, year, under_days: int | None = None, under_years: int | None = None) -> int:
    died = _within(a["p_region"], code) & (_year(a["p_death"]) == year)
    if under_days is not None:
        return int(((a["p_death"][died] - a["p_birth"][died]).astype(int) < under_days).sum())
    ages = np.array(
        [age_on(a["p_birth"][i : i + 1], a["p_death"][i].item())[0] for i in np.flatnonzero(died)]
    )
    return int((ages < under_years).sum()) if ages.size else 0


def _mortality(under_days=None, under_years=None):
    def rate(a, code, year) -> Result:
        return _ratio(
            _child_deaths(a, code, year, under_days, under_years), _births_mask(a, code, year).sum(), 1000
        )

    return rate


def inclusive_kindergarten_coverage(a, code, year) -> Result:
    m = _within(a["c_region"], code) & (a["c_type"] == "kindergarten")
    return _ratio(a["c_inclusive"][m].sum(), m.sum(), 100)


COMPUTERS: dict[str, Callable] = {
    "births": births,
    "second_birth_share": second_birth_share,
    "third_plus_birth_share": third_plus_birth_share,
    "sex_ratio_at_birth": sex_ratio_at_birth,
    "infant_mortality": _mortality(under_years=1),
    "infant_toddler_mortality": _mortality(under_years=3),
    "neonatal_mortality": _mortality(under_days=28),
    "under5_mortality": _mortality(under_years=5),
    "inclusive_kindergarten_coverage": inclusive_kindergarten_coverage,
}


def total_fertility_rate(rec: Records, code: str, year: int) -> Result:
    """TFR by indirect standardisation (see :mod:`cradle.monitoring.estimate`); numerator the observed
    births, denominator the births the standard schedule would give. ``None`` when too few are expected."""
    rec_codes = sorted(
        {c for c in rec.person_region if c == code or (regions.exists(c) and regions.is_within(c, code))}
    )
    if not rec_codes:
        return None
    est = estimate(rec, rec_codes, dt.date(year, 12, 31), [year])
    observed, expected = float(est.births.sum()), float(est.expected_births.sum())
    if expected < MIN_EXPECTED_BIRTHS:
        return None
    return DEFAULT_TFR * observed / expected, observed, expected


def compute(rec: Records, indicator_id: str, code: str, year: int) -> Result:
    """The value of a registry-computed indicator for ``code`` in ``year``."""
    if indicator_id == "total_fertility_rate":
        return total_fertility_rate(rec, code, year)
    return COMPUTERS[indicator_id](rec.arrays(), code, year)


SOURCE = "全员人口数据库 (cradle registry)"


def registry_records(ctx: Context) -> Records:
    return ctx.once("registry.records", lambda: load_records(ctx.session, ctx.as_of))


def registry_arrays(ctx: Context) -> dict[str, np.ndarray]:
    return ctx.once("registry.arrays", lambda: registry_records(ctx).arrays())


def registry_regions(ctx: Context) -> set[str]:
    """The regions where the registry places somebody (户籍 or 常住地)."""

    def load() -> set[str]:
        found = set(ctx.session.scalars(select(HukouEvent.region).distinct()))
        return found | set(ctx.session.scalars(select(Residence.region).distinct()))

    return ctx.once("registry.regions", load)


def holds(ctx: Context, code: str, year: int) -> bool:
    """The registry holds a region's data when it places somebody there."""
    return any(c == code or (regions.exists(c) and regions.is_within(c, code)) for c in registry_regions(ctx))


def _computation(indicator_id: str) -> Computation:
    if indicator_id == "total_fertility_rate":
        return Computation(
            indicator_id,
            SOURCE,
            lambda ctx, c, y: total_fertility_rate(registry_records(ctx), c, y),
            holds,
            "registry",
        )
    fn = COMPUTERS[indicator_id]
    return Computation(
        indicator_id, SOURCE, lambda ctx, c, y: fn(registry_arrays(ctx), c, y), holds, "registry"
    )


COMPUTATIONS = [_computation(i) for i in [*COMPUTERS, "total_fertility_rate"]]
