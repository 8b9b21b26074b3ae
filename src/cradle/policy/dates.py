"""Calendar arithmetic on NumPy day arrays (datetime64[D]), exact for ages and month-end cases.

Adding months or years clamps to the last day of the target month (2024-08-31 + 6 months = 2025-02-28,
2024-02-29 + 3 years = 2027-02-28): the reading used for legal deadlines ("满六个月", "满3周岁").

Long arrays (a batch's millions of birth dates) are answered from a calendar of day numbers built once per
process: a date's year, month and day are lookups by its integer day number instead of NumPy's datetime
conversions, which are the slow part. Dates outside the calendar's years take the direct path.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import numpy as np

NAT = np.datetime64("NaT", "D")
_NAT_INT = np.iinfo(np.int64).min  # NaT's integer day number
_FEW = 16  # days (one household's members) worked out in Python rather than through NumPy's calls
_DAY = np.dtype("datetime64[D]")


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


# --- the calendar of day numbers -----------------------------------------------------------------------------

TABLE_FROM = 64  # arrays at least this long go through the calendar
CAL_FIRST = int(np.datetime64("1700-01-01", "D").astype(np.int64))
CAL_DAYS = int(np.datetime64("2401-01-01", "D").astype(np.int64)) - CAL_FIRST
_MONTH_FIRST = (1500 - 1970) * 12  # month number (months since 1970-01) of the first month in the month table
_MONTHS = (2601 - 1500) * 12  # months 1500-01 … 2600-12: any calendar day ± 200 years
MAX_MONTH_SHIFT = 200 * 12


@lru_cache(maxsize=1)
def _calendar() -> dict[str, np.ndarray]:
    """Per calendar day: month number and day of month (packed), and a key ordered like (year, month, day);
    per month number: its first day and its length in days."""
    d = np.arange(CAL_FIRST, CAL_FIRST + CAL_DAYS).astype("datetime64[D]")
    year, month, dom = _ymd(d)
    month_no = (year - 1970) * 12 + month - 1
    months = (
        np.arange(_MONTH_FIRST, _MONTH_FIRST + _MONTHS + 1).astype("datetime64[M]").astype("datetime64[D]")
    )
    first = months.astype(np.int64)
    return {
        "month_no": month_no.astype(np.int32),
        "dom0": (dom - 1).astype(np.int32),
        # year*512 + month*32 + day grows with the date; two keys differ by whole years in their high bits
        "ymd_key": year * 512 + month * 32 + dom,
        "month_first": first[:-1],
        "month_len": np.diff(first).astype(np.int32),
    }


def _index(d: np.ndarray) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Row of each day in the calendar (0 for NaT) and the NaT mask (None when there is none); None when a
    day falls outside the calendar."""
    raw = d.view(np.int64)
    idx = raw - CAL_FIRST
    # every day in the calendar, checked in one pass: a day before it (NaT too) wraps round to a high unsigned
    if idx.view(np.uint64).max(initial=0) < CAL_DAYS:
        return idx, None
    if idx.max(initial=0) >= CAL_DAYS:
        return None
    low = idx < 0
    if not low.any():
        return idx, None
    if (raw[low] != _NAT_INT).any():
        return None
    return np.where(low, 0, idx), low


def _days_of(values: np.ndarray, nat: np.ndarray | None) -> np.ndarray:
    if nat is not None:
        values[nat] = _NAT_INT
    return values.view("datetime64[D]")


def add_months(d, months) -> np.ndarray:
    """`d` plus whole months, clamped to the end of the target month; NaT stays NaT."""
    d = np.asarray(d, dtype="datetime64[D]")
    if d.size >= TABLE_FROM and d.ndim == 1:
        shift = np.asarray(months, dtype=np.int64)
        found = _index(d)
        if found is not None and (shift.size == 0 or np.abs(shift).max() <= MAX_MONTH_SHIFT):
            idx, nat = found
            if shift.ndim == 0:  # one shift for every row (a birthday): one lookup per row
                return _days_of(_shifted(int(shift)).take(idx), nat)  # `take`: the quicker gather
            cal = _calendar()
            target = cal["month_no"][idx] + (shift - _MONTH_FIRST)
            if nat is not None:
                target[nat] = 0
            offset = np.minimum(cal["dom0"][idx], cal["month_len"][target] - 1)
            return _days_of(cal["month_first"][target] + offset, nat)
    if d.ndim == 1 and len(d) <= _FEW:
        shift = np.asarray(months, dtype=np.int64)
        if shift.ndim == 0 or shift.shape == d.shape:
            found = _few_add_months(d, shift)
            if found is not None:
                return found
    return _add_months(d, months)


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # day 0 of datetime64[D]


def _few_add_months(d: np.ndarray, shift: np.ndarray) -> np.ndarray | None:
    """add_months of a few days, in Python (NumPy's conversions to months and back cost several microseconds a
    call whatever the length): None when a day or its result is not a date of the calendar's years."""
    shifts = [int(shift)] * len(d) if shift.ndim == 0 else shift.tolist()
    out = []
    for day, k in zip(d.tolist(), shifts, strict=True):
        if day is None:  # NaT stays NaT
            out.append(_NAT_INT)
            continue
        if type(day) is not dt.date:
            return None
        year, month0 = divmod(day.year * 12 + day.month - 1 + k, 12)
        if not 1 <= year <= 9999:
            return None
        last = calendar.monthrange(year, month0 + 1)[1]
        out.append(dt.date(year, month0 + 1, min(day.day, last)).toordinal() - _EPOCH_ORDINAL)
    return np.array(out, dtype=np.int64).view(_DAY)


@lru_cache(maxsize=16)
def _shifted(months: int) -> np.ndarray:
    """Per calendar day: its day number plus `months` months (clamped to the end of the target month), worked
    out once for the whole calendar so that a long array is one lookup per row (birthdays, deadlines)."""
    cal = _calendar()
    target = cal["month_no"] + (months - _MONTH_FIRST)
    offset = np.minimum(cal["dom0"], cal["month_len"][target] - 1)
    out = cal["month_first"][target] + offset
    out.flags.writeable = False  # shared by every call with this shift
    return out


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
        if (
            n.ndim == 1
            and len(n) <= _FEW
            and type(d) is np.ndarray
            and d.shape == n.shape
            and d.dtype == _DAY
        ):
            found = _few_add_days(d, n)
            if found is not None:
                return found
        unknown = np.isnan(n)
        out = np.asarray(d, dtype="datetime64[D]") + np.where(unknown, 0, n).astype(np.int64).astype(
            "timedelta64[D]"
        )
        return np.where(unknown, NAT, out)
    return np.asarray(d, dtype="datetime64[D]") + n.astype(np.int64).astype("timedelta64[D]")


_FEW_SPAN = 1 << 40  # day numbers and shifts well inside int64 (no overflow to mimic)


def _few_add_days(d: np.ndarray, n: np.ndarray) -> np.ndarray | None:
    """add_days of a few days and figures, in Python (NumPy's where, casts and sum cost about a microsecond a
    call whatever the length): NaT where the figure is NaN or the day NaT, the figure's whole days (towards
    zero) added otherwise. None for an infinite or huge figure (left to NumPy)."""
    out = []
    for day, k in zip(d.view(np.int64).tolist(), n.tolist(), strict=True):
        if k != k or day == _NAT_INT:
            out.append(_NAT_INT)
        elif -_FEW_SPAN < k < _FEW_SPAN and -_FEW_SPAN < day < _FEW_SPAN:
            out.append(day + int(k))
        else:
            return None
    return np.array(out, dtype=np.int64).view(_DAY)


def age(birth, on) -> np.ndarray:
    """Age in completed years on `on` (the birthday itself counts); -1 where birth is NaT."""
    birth = np.asarray(birth, dtype="datetime64[D]")
    if np.ndim(on) == 0 and birth.size >= TABLE_FROM and birth.ndim == 1:
        on = np.datetime64(on, "D")
        found = _index(birth)
        if found is not None and not np.isnat(on):
            idx, nat = found
            years = _ages_on(int(on.astype(np.int64))).take(idx)  # `take`: the quicker gather
            if nat is not None:
                years[nat] = -1
            return years
    nat = np.isnat(birth)
    by, bm, bd = _ymd(np.where(nat, np.datetime64("2000-01-01", "D"), birth))
    oy, om, od = _ymd(np.broadcast_to(np.asarray(on, dtype="datetime64[D]"), birth.shape))
    years = oy - by - ((om < bm) | ((om == bm) & (od < bd)))
    return np.where(nat, -1, years)


@lru_cache(maxsize=8)
def _ages_on(on: int) -> np.ndarray:
    """Per calendar day taken as a birth date: the age in completed years on the day numbered `on`."""
    oy, om, od = (int(v[0]) for v in _ymd(np.array([on]).astype("datetime64[D]")))
    # (on key - birth key) >> 9 is the difference in years, less one before the birthday
    out = (oy * 512 + om * 32 + od - _calendar()["ymd_key"]) >> 9
    out.flags.writeable = False  # shared by every call on this day
    return out


def months_between(start, end) -> np.ndarray:
    """Whole months from `start` to `end` (partial months count as whole): the number of monthly payments."""
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(end, dtype="datetime64[D]")
    if start.ndim == 1 and start.shape == end.shape and len(start) <= _FEW:
        found = _few_months_between(start, end)
        if found is not None:
            return found
    sm, sd = _month_and_day(start)
    em, ed = _month_and_day(end)
    n = em - sm + (ed > sd)
    return np.maximum(n, 0)


def _few_months_between(start: np.ndarray, end: np.ndarray) -> np.ndarray | None:
    """months_between of a few days, in Python: NumPy's conversions to months cost several microseconds a
    call whatever the length (None when a day is NaT or not a date of the calendar's years)."""
    out = []
    for s, e in zip(start.tolist(), end.tolist(), strict=True):
        if type(s) is not dt.date or type(e) is not dt.date:
            return None
        n = (e.year - s.year) * 12 + e.month - s.month + (e.day > s.day)
        out.append(n if n > 0 else 0)
    return np.array(out, dtype=np.int64)


def _month_and_day(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(months since 1970-01, day of the month from 0) of each day; for NaT, values that compare as unknown."""
    found = _index(d) if d.size >= TABLE_FROM and d.ndim == 1 else None
    if found is not None:
        idx, nat = found
        cal = _calendar()
        month, dom0 = cal["month_no"][idx].astype(np.int64), cal["dom0"][idx]
        if nat is not None:
            month[nat] = np.iinfo(np.int64).min // 32
        return month, dom0
    month = d.astype("datetime64[M]")
    packed = month.astype(np.int64) * 32 + (d - month.astype("datetime64[D]")).astype(np.int64)
    return packed // 32, packed % 32


def iso(d: np.datetime64) -> str | None:
    return None if np.isnat(d) else str(d)
