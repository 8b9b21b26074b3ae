"""Compute the registry-sourced indicators for regions and a year, and store them (method ``computed``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.monitoring import catalogue, values
from cradle.monitoring.compute import compute
from cradle.monitoring.models import IndicatorValue
from cradle.monitoring.registry_source import load_records

SOURCE = "全员人口数据库 (cradle registry)"


def refresh(
    session: Session, codes: list[str], year: int, as_of: dt.date | None = None
) -> list[IndicatorValue]:
    """Store every registry indicator computable for ``codes`` in ``year``; a value equal to the current one
    is not stored again. Returns the new rows."""
    as_of = as_of or min(dt.date(year, 12, 31), dt.date.today())
    rec = load_records(session, as_of)
    entries = []
    for code in codes:
        for ind in catalogue.load().indicators.values():
            if ind.source != "registry":
                continue
            result = compute(rec, ind.id, code, year)
            if result is None:
                continue
            value, num, den = result
            now = values.current(session, ind.id, code, year)
            if now is not None and now.method == "computed" and abs(now.value - value) < 1e-9:
                continue
            entries.append(values.Entry(ind.id, code, year, value, SOURCE, as_of, num, den))
    return values.record(session, entries, department="registry", entered_by="cradle", method="computed")
