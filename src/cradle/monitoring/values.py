"""Indicator values: entry by departments (one at a time or from the Excel template), values computed
from the registry, and reading the current value and the yearly series."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.monitoring import catalogue
from cradle.monitoring.errors import MonitoringError
from cradle.monitoring.models import IndicatorValue

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Entry:
    """One reported value, as typed in a form or read from a template row."""

    indicator_id: str
    region: str
    year: int
    value: float
    source: str
    source_date: dt.date
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None


def _number(raw, field: str, errors: list, required: bool = True) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors.append((field, "必填 (required)"))
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        errors.append((field, f"不是数字 (not a number): {raw!r}"))
        return None
    if not math.isfinite(value):
        errors.append((field, "不是有限数 (not finite)"))
        return None
    return value


def _date(raw, field: str, errors: list) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except (TypeError, ValueError):
        errors.append((field, f"日期格式应为 YYYY-MM-DD (date expected): {raw!r}"))
        return None


def parse_entry(raw: dict, prefix: str = "", today: dt.date | None = None) -> tuple[Entry | None, list]:
    """Check one raw entry (form fields or a template row); returns the entry or the errors."""
    today = today or dt.date.today()
    errors: list[tuple[str, str]] = []
    cat = catalogue.load()
    ind_id = str(raw.get("indicator_id") or "").strip()
    ind = cat.indicators.get(ind_id)
    if ind is None:
        errors.append((f"{prefix}indicator_id", f"未知指标 (unknown indicator) {ind_id!r}"))
    region = str(raw.get("region") or "").strip()
    if not regions.exists(region):
        errors.append((f"{prefix}region", f"未知的行政区划代码 (unknown region) {region!r}"))
    year = _number(raw.get("year"), f"{prefix}year", errors)
    if year is not None and (year != int(year) or not MIN_YEAR <= year <= MAX_YEAR):
        errors.append((f"{prefix}year", f"年份应在 {MIN_YEAR}–{MAX_YEAR} (year out of range): {year:g}"))
    value = _number(raw.get("value"), f"{prefix}value", errors)
    num = _number(raw.get("numerator"), f"{prefix}numerator", errors, required=False)
    den = _number(raw.get("denominator"), f"{prefix}denominator", errors, required=False)
    source = str(raw.get("source") or "").strip()
    if not source:
        errors.append((f"{prefix}source", "请注明数据来源 (source required)"))
    elif len(source) > 300:
        errors.append((f"{prefix}source", "不超过300字 (at most 300 characters)"))
    source_date = _date(raw.get("source_date"), f"{prefix}source_date", errors)
    if source_date is not None and source_date > today:
        errors.append((f"{prefix}source_date", f"不能晚于今天 (in the future): {source_date}"))
    if value is not None:
        if value < 0:
            errors.append((f"{prefix}value", f"不能为负 (negative): {value:g}"))
        elif ind is not None and ind.unit == "%" and value > 100:
            errors.append((f"{prefix}value", f"百分比不能超过100 (percent over 100): {value:g}"))
    for field, n in (("numerator", num), ("denominator", den)):
        if n is not None and n < 0:
            errors.append((f"{prefix}{field}", f"不能为负 (negative): {n:g}"))
    if ind is not None and value is not None and num is not None and den:
        implied = num / den * ind.scale
        if abs(implied - value) > max(0.005 * abs(value), 0.01):
            errors.append(
                (
                    f"{prefix}value",
                    f"与分子/分母不符 (numerator/denominator give {implied:.4g}, not {value:g})",
                )
            )
    if errors:
        return None, errors
    note = raw.get("note")
    return Entry(
        ind_id,
        region,
        int(year),
        value,
        source,
        source_date,
        num,
        den,
        str(note).strip() if note not in (None, "") else None,
    ), []


def record(
    session: Session, entries: list[Entry], department: str, entered_by: str, method: str = "entered"
) -> list[IndicatorValue]:
    """Store checked entries (one transaction: the caller's session)."""
    if not department.strip():
        raise MonitoringError.one("department", "必填 (required)")
    if not entered_by.strip():
        raise MonitoringError.one("entered_by", "必填 (required)")
    rows = [
        IndicatorValue(
            indicator_id=e.indicator_id,
            region=e.region,
            year=e.year,
            value=e.value,
            numerator=e.numerator,
            denominator=e.denominator,
            method=method,
            source=e.source,
            source_date=e.source_date,
            department=department,
            entered_by=entered_by,
            note=e.note,
        )
        for e in entries
    ]
    session.add_all(rows)
    session.flush()
    return rows


def enter(session: Session, raw: dict, department: str, entered_by: str) -> IndicatorValue:
    """Check and store one value typed into the form; raises MonitoringError naming the fields."""
    entry, errors = parse_entry(raw)
    if errors:
        raise MonitoringError(errors)
    return record(session, [entry], department, entered_by)[0]


def history(session: Session, indicator_id: str, region: str, year: int) -> list[IndicatorValue]:
    stmt = (
        select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.region == region,
            IndicatorValue.year == year,
        )
        .order_by(IndicatorValue.id)
    )
    return list(session.scalars(stmt))


def current(session: Session, indicator_id: str, region: str, year: int) -> IndicatorValue | None:
    """The newest value recorded for the key (a correction supersedes; the history stays)."""
    rows = history(session, indicator_id, region, year)
    return rows[-1] if rows else None


def series(session: Session, indicator_id: str, region: str) -> dict[int, float]:
    """``{year: current value}`` for one indicator and region, years ascending."""
    stmt = (
        select(IndicatorValue.year, IndicatorValue.value)
        .where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.region == region)
        .order_by(IndicatorValue.year, IndicatorValue.id)
    )
    out: dict[int, float] = {}
    for year, value in session.execute(stmt):
        out[year] = value
    return dict(sorted(out.items()))


def latest_years(session: Session, indicator_id: str, regions_: list[str]) -> dict[str, int]:
    """For each region, the latest year with a value (regions without any are absent)."""
    stmt = select(IndicatorValue.region, IndicatorValue.year).where(
        IndicatorValue.indicator_id == indicator_id, IndicatorValue.region.in_(regions_)
    )
    out: dict[str, int] = {}
    for region, year in session.execute(stmt):
        out[region] = max(year, out.get(region, year))
    return out


def series_many(
    session: Session, regions_: list[str], indicator_ids: list[str] | None = None
) -> dict[tuple[str, str], dict[int, float]]:
    """``{(indicator, region): {year: current value}}`` for many regions in one query (same rule as
    :func:`series`: the newest row for a key wins)."""
    stmt = (
        select(IndicatorValue.indicator_id, IndicatorValue.region, IndicatorValue.year, IndicatorValue.value)
        .where(IndicatorValue.region.in_(list(regions_)))
        .order_by(IndicatorValue.id)
    )
    if indicator_ids is not None:
        stmt = stmt.where(IndicatorValue.indicator_id.in_(list(indicator_ids)))
    out: dict[tuple[str, str], dict[int, float]] = {}
    for ind, region, year, value in session.execute(stmt):
        out.setdefault((ind, region), {})[year] = value
    return {key: dict(sorted(s.items())) for key, s in out.items()}
