"""Compute the indicators the platform holds the data of (`cradle.monitoring.sources`) for regions and a year,
and store them (method ``computed``, the source the computation names)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.monitoring import catalogue, sources, values
from cradle.monitoring.models import IndicatorValue


def refresh(
    session: Session, codes: list[str], year: int, as_of: dt.date | None = None
) -> list[IndicatorValue]:
    """Store every indicator computable for ``codes`` in ``year``; a value equal to the current one is not
    stored again. Returns the new rows."""
    ctx = sources.context(session, as_of or min(dt.date(year, 12, 31), dt.date.today()))
    known = catalogue.load().indicators
    rows: list[IndicatorValue] = []
    for code in codes:
        for c in sources.computations().values():
            if c.indicator not in known or not c.holds(ctx, code, year):
                continue
            result = c.compute(ctx, code, year)
            if result is None:
                continue
            value, num, den = result
            now = values.current(session, c.indicator, code, year)
            if now is not None and now.method == "computed" and abs(now.value - value) < 1e-9:
                continue
            entry = values.Entry(c.indicator, code, year, value, c.source, ctx.as_of, num, den)
            rows += values.record(
                session, [entry], department=c.department, entered_by="cradle", method="computed"
            )
    return rows
