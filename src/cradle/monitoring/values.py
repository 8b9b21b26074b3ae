"""Indicator values: entry by departments (one at a time or from the Excel template), values computed
from the registry, and reading the current value and the yearly series."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.errors import N_, Invalid, Problems
from cradle.monitoring import catalogue, sources
from cradle.monitoring.models import IndicatorValue

MIN_YEAR, MAX_YEAR = 2000, 2100
REQUIRED = N_("This value is required")


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
            errors.append(Invalid(field, REQUIRED))
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        errors.append(Invalid(field, N_("Not a number: %(value)s"), value=repr(raw)))
        return None
    if not math.isfinite(value):
        errors.append(Invalid(field, N_("Not a finite number")))
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
        errors.append(Invalid(field, N_("A date is expected (YYYY-MM-DD): %(value)s"), value=repr(raw)))
        return None


def parse_entry(
    raw: dict, prefix: str = "", today: dt.date | None = None, ctx: sources.Context | None = None
) -> tuple[Entry | None, list[Invalid]]:
    """Check one raw entry (form fields or a template row); returns the entry or the problems, each naming its
    field. With ``ctx``, an indicator the platform computes for the region (`sources`) is closed to typed entry:
    its one source is the computation."""
    today = today or dt.date.today()
    errors: list[Invalid] = []
    cat = catalogue.load()
    ind_id = str(raw.get("indicator_id") or "").strip()
    ind = cat.indicators.get(ind_id)
    if ind is None:
        errors.append(
            Invalid(f"{prefix}indicator_id", N_("Unknown indicator %(indicator)s"), indicator=repr(ind_id))
        )
    region = str(raw.get("region") or "").strip()
    if not regions.exists(region):
        errors.append(Invalid(f"{prefix}region", N_("Unknown region %(region)s"), region=repr(region)))
    year = _number(raw.get("year"), f"{prefix}year", errors)
    if year is not None and (year != int(year) or not MIN_YEAR <= year <= MAX_YEAR):
        errors.append(
            Invalid(
                f"{prefix}year",
                N_("The year should be in %(first)s–%(last)s: %(year)s"),
                first=MIN_YEAR,
                last=MAX_YEAR,
                year=f"{year:g}",
            )
        )
    value = _number(raw.get("value"), f"{prefix}value", errors)
    num = _number(raw.get("numerator"), f"{prefix}numerator", errors, required=False)
    den = _number(raw.get("denominator"), f"{prefix}denominator", errors, required=False)
    source = str(raw.get("source") or "").strip()
    if not source:
        errors.append(Invalid(f"{prefix}source", N_("Name the data source")))
    elif len(source) > 300:
        errors.append(Invalid(f"{prefix}source", N_("At most 300 characters")))
    source_date = _date(raw.get("source_date"), f"{prefix}source_date", errors)
    if source_date is not None and source_date > today:
        errors.append(
            Invalid(
                f"{prefix}source_date", N_("The source date is in the future: %(date)s"), date=source_date
            )
        )
    if value is not None:
        if value < 0:
            errors.append(Invalid(f"{prefix}value", N_("Cannot be negative: %(value)s"), value=f"{value:g}"))
        elif ind is not None and ind.unit == "%" and value > 100:
            errors.append(
                Invalid(f"{prefix}value", N_("A percentage cannot exceed 100: %(value)s"), value=f"{value:g}")
            )
    for field, n in (("numerator", num), ("denominator", den)):
        if n is not None and n < 0:
            errors.append(Invalid(f"{prefix}{field}", N_("Cannot be negative: %(value)s"), value=f"{n:g}"))
    if ind is not None and value is not None and num is not None and den:
        implied = num / den * ind.scale
        if abs(implied - value) > max(0.005 * abs(value), 0.01):
            errors.append(
                Invalid(
                    f"{prefix}value",
                    N_("Does not match the numerator and denominator (they give %(implied)s, not %(value)s)"),
                    implied=f"{implied:.4g}",
                    value=f"{value:g}",
                )
            )
    if not errors and ctx is not None and sources.computed_here(ctx, ind_id, region, int(year)):
        errors.append(
            catalogue.IndicatorInvalid(
                f"{prefix}indicator_id",
                N_("%(indicator)s is computed by the platform and cannot be typed in"),
                indicator=ind.id,  # said by its name in the reader's language
                code="computed",
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
        raise Invalid("department", REQUIRED)
    if not entered_by.strip():
        raise Invalid("entered_by", REQUIRED)
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
    """Check and store one value typed into the form; raises the problems, each naming its field."""
    entry, errors = parse_entry(raw, ctx=sources.context(session))
    if errors:
        raise Problems(errors)
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


def current_rows(session: Session, region: str, year: int) -> dict[str, IndicatorValue]:
    """``{indicator: current row}`` of one region and year (who recorded it, how and when)."""
    stmt = (
        select(IndicatorValue)
        .where(IndicatorValue.region == region, IndicatorValue.year == year)
        .order_by(IndicatorValue.id)
    )
    return {row.indicator_id: row for row in session.scalars(stmt)}
