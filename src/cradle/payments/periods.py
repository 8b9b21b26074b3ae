"""Payment periods. A monthly entitlement is paid for month M when it still runs on the first day of the next month:
a child born 2025-03-10 is paid from March 2025, and the third birthday (2028-03-10) ends it after February 2028
(36 months). A stop (death, moving away, declining) on any day of a month ends it after the month before."""

from __future__ import annotations

import datetime as dt
import re

from cradle.errors import N_, Invalid

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")


def bounds(period: str, frequency: str) -> tuple[dt.date, dt.date]:
    """(first day of the period, first day after it)."""
    if frequency == "monthly":
        m = _MONTH.match(period or "")
        if not m:
            raise Invalid("period", N_("Monthly period should be YYYY-MM"))
        y, mo = int(m.group(1)), int(m.group(2))
        return dt.date(y, mo, 1), dt.date(y + mo // 12, mo % 12 + 1, 1)
    if frequency == "yearly":
        if not _YEAR.match(period or ""):
            raise Invalid("period", N_("Yearly period should be YYYY"))
        return dt.date(int(period), 1, 1), dt.date(int(period) + 1, 1, 1)
    if frequency == "once":
        if period != "once":
            raise Invalid("period", N_("The period of a one-off payment is once"))
        return dt.date(1900, 1, 1), dt.date(9999, 1, 1)
    raise Invalid("frequency", N_("Unknown payment frequency %(frequency)s"), frequency=frequency)


def payable(start: dt.date, end: dt.date | None, stop: dt.date | None, period: str, frequency: str) -> bool:
    first, after = bounds(period, frequency)
    if frequency == "once":
        return stop is None
    return start < after and (end is None or end >= after) and (stop is None or stop >= after)
