"""Compute the indicators the records give for regions and a year, and store them: the 妇幼 records first
(`cradle.health.indicators`, method ``records``), then the registry for the indicators it computes (method
``computed``). A value the records or the registry give supersedes an entered one; an indicator neither gives
keeps its entered values."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.health import indicators as health_indicators
from cradle.monitoring import catalogue, values
from cradle.monitoring.compute import compute
from cradle.monitoring.models import IndicatorValue
from cradle.monitoring.registry_source import load_records

SOURCE = "全员人口数据库 (cradle registry)"
RECORDS_SOURCE = "妇幼健康记录 (cradle health records)"


def from_records(session: Session, code: str, year: int, today: dt.date | None = None) -> dict:
    """{indicator: (value, numerator, denominator)} the 妇幼 records give for ``code`` and ``year``."""
    known = catalogue.load().indicators
    return {k: v for k, v in health_indicators.compute(session, code, year, today).items() if k in known}


def refresh(
    session: Session, codes: list[str], year: int, as_of: dt.date | None = None
) -> list[IndicatorValue]:
    """Store every indicator computable for ``codes`` in ``year``; a value equal to the current one is not
    stored again. Returns the new rows."""
    as_of = as_of or min(dt.date(year, 12, 31), dt.date.today())
    rec = load_records(session, as_of)
    by_method: dict[str, list[values.Entry]] = {"records": [], "computed": []}
    for code in codes:
        records = from_records(session, code, year, as_of)
        for ind in catalogue.load().indicators.values():
            if ind.id in records:
                method, source, result = "records", RECORDS_SOURCE, records[ind.id]
            elif ind.source == "registry":
                method, source, result = "computed", SOURCE, compute(rec, ind.id, code, year)
            else:
                continue
            if result is None:
                continue
            value, num, den = result
            now = values.current(session, ind.id, code, year)
            if now is not None and now.method == method and abs(now.value - value) < 1e-9:
                continue
            by_method[method].append(values.Entry(ind.id, code, year, value, source, as_of, num, den))
    departments = {"records": "health", "computed": "registry"}
    return [
        row
        for method, entries in by_method.items()
        for row in values.record(
            session, entries, department=departments[method], entered_by="cradle", method=method
        )
    ]
