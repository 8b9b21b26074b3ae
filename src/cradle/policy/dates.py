"""Calendar arithmetic on NumPy day arrays (datetime64[D]), exact for ages and month-end cases.

Adding months or years clamps to the last day of the target month (2024-08-31 + 6 months = 2025-02-28,
2024-02-29 + 3 years = 2027-02-28): the reading used for legal deadlines ("满六个月", "满3周岁").
"""

from __future__ import annotations

import datetime as dt

import numpy as np

NAT = np.datetime64("NaT", "D")


def day(value: dt.date | str | np.datetime64 | None) -> np.datetime64:
    if value is None:
        return NAT
    return np.datetime64(value, "D")


def days(values) -> np.ndarray:
    """An array of datetime64[D]; None becomes NaT."""
    return np.array([NAT if v is None else np.datetime64(v, "D") for v in values], dtype="datetime64[D]")


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(d, dtype="datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    dom = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, dom


TABLE_FROM = 20_000  # arrays at least this long are answered through a table over their span of days
TABLE_SPAN = 400_000  # days (about 1,100 years): a wider span is computed directly


def _tabulated(d: np.ndarray, fn, missing):
    """`fn(d)` for a long array of days, computed once per distinct day of its span and looked up: millions of
    birth dates fall on a few tens of thousands of days, and NumPy's calendar conversions are the slow part."""
    valid = ~np.isnat(d)
    if not valid.any():
        return None
    lo, hi = d[valid].min(), d[valid].max()
    span = int((hi - lo).astype(np.int64)) + 1
    if span > TABLE_SPAN or span * 2 > d.size:
        return None
    table = fn(np.arange(lo, hi + np.timedelta64(1, "D")))
    out = table[np.where(valid, (d - lo).astype(np.int64), 0)]
    out[~valid] = missing
    return out


def add_months(d, months) -> np.ndarray:
    """`d` plus whole months, clamped to the end of the target month; NaT stays NaT."""
    d = np.asarray(d, dtype="datetime64[D]")
    if d.size >= TABLE_FROM and np.ndim(months) == 0:
        found = _tabulated(d, lambda days: _add_months(days, months), NAT)
        if found is not None:
            return found
    return _add_months(d, months)


def _add_months(d: np.ndarray, months) -> np.ndarray:
    month = d.astype("datetime64[M]")
    offset = d - month.astype("datetime64[D]")  # days into the month, 0-based
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    last = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(first + offset, last)  # NaT propagates through every step


def add_years(d, years) -> np.ndarray:
    return add_months(d, np.asarray(years, dtype=np.int64) * 12)


def add_days(d, n) -> np.ndarray:
    """`d` plus `n` days; NaT where `n` is NaN (an unknown number of days gives no date)."""
    n = np.asarray(n)
    if n.dtype.kind == "f":
        unknown = np.isnan(n)
        out = np.asarray(d, dtype="datetime64[D]") + np.where(unknown, 0, n).astype(np.int64).astype("timedelta64[D]")
        return np.where(unknown, NAT, out)
    return np.asarray(d, dtype="datetime64[D]") + n.astype(np.int64).astype("timedelta64[D]")


MAX_AGE = 150


def age(birth, on) -> np.ndarray:
    """Age in completed years on `on` (the birthday itself counts); -1 where birth is NaT."""
    birth = np.asarray(birth, dtype="datetime64[D]")
    if np.ndim(on) == 0 and birth.size > 64:
        # One as-of date: the k-th birthday threshold (the latest birth date still aged k) for every k, then a
        # binary search per person, which is far cheaper than splitting millions of dates into Y/M/D.
        thresholds = add_years(np.full(MAX_AGE + 1, np.datetime64(on, "D")), -np.arange(MAX_AGE + 1))[::-1]
        years = len(thresholds) - np.searchsorted(thresholds, birth, side="left") - 1
        return np.where(np.isnat(birth), -1, years)
    nat = np.isnat(birth)
    by, bm, bd = _ymd(np.where(nat, np.datetime64("2000-01-01", "D"), birth))
    oy, om, od = _ymd(np.broadcast_to(np.asarray(on, dtype="datetime64[D]"), birth.shape))
    years = oy - by - ((om < bm) | ((om == bm) & (od < bd)))
    return np.where(nat, -1, years)


def months_between(start, end) -> np.ndarray:
    """Whole months from `start` to `end` (partial months count as whole): the number of monthly payments."""
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(end, dtype="datetime64[D]")
    sm, sd = _month_and_day(start)
    em, ed = _month_and_day(end)
    n = em - sm + (ed > sd)
    return np.maximum(n, 0)


def _month_and_day(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(months since 1970-01, day of the month from 0) of each day; for NaT, values that compare as unknown."""
    def split(days: np.ndarray) -> np.ndarray:
        month = days.astype("datetime64[M]")
        return month.astype(np.int64) * 32 + (days - month.astype("datetime64[D]")).astype(np.int64)

    packed = _tabulated(d, split, np.iinfo(np.int64).min) if d.size >= TABLE_FROM else None
    if packed is None:
        packed = split(d)
    return packed // 32, packed % 32


def iso(d: np.datetime64) -> str | None:
    return None if np.isnat(d) else str(d)
