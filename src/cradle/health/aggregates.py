"""The 妇幼 indicators from counts kept per county and year (`health_indicator_count`), so that a city's or a
province's indicators add a few hundred stored rows instead of reading every record of the year.

`indicators.parts` of one county and year are stored with the county's change number of their group of indicators
(`models.CountChange`, raised in the same transaction as every write of a record the group counts: the pages'
through the session, the feeds' by their SQL) and the day they were counted on. Reading a region, a county's
groups of an older change number or another day are counted again from its records and stored (a 0–6 check
entered recounts the births and children groups, not the women's); the others are read as stored. The region's parts
are the sums of its counties' (counts of deliveries, deaths, records and persons), and `indicators.results` makes
the ratios, asking the registry its denominators as the reference does. The change number is read before the
records are counted, so a record written meanwhile leaves the stored rows of an older number: recounted next time.

A person counted in two counties (screened in one and later in another) counts in each when a region adds its
counties, as the 年报 adds its counties' reports; `indicators.compute` over the region's records counts her once.

`rebuild` counts again from the records (`cradle health rebuild-aggregates`, and nightly in the `health-sync` job):
recovery after a restore, a change made outside the service functions, or the definitions changing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cradle.health import indicators
from cradle.health.models import (
    ChildRecord,
    CountChange,
    DeathReport,
    Delivery,
    IndicatorCount,
    InfectionRecord,
    MaternalVisit,
    Pregnancy,
    WomenService,
)

Part = indicators.Part


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + indicators.MAX_BATCH] for i in range(0, len(values), indicators.MAX_BATCH)]


def _changes(session: Session, counties: list[str]) -> dict[tuple[str, str], int]:
    """{(county, group of indicators): its change number}."""
    got: dict[tuple[str, str], int] = {}
    for part in _chunks(sorted(counties)):
        query = select(CountChange.region, CountChange.part, CountChange.change).where(
            CountChange.region.in_(part)
        )
        got.update(((region, group), change) for region, group, change in session.execute(query))
    return got


def _store(
    session: Session,
    county: str,
    year: int,
    on: dt.date,
    changes: dict[tuple[str, str], int],
    parts: dict[str, Part],
) -> None:
    rows = [
        {
            "region": county,
            "year": year,
            "indicator": key,
            "numerator": num,
            "denominator": den,
            "held": held,
            "counted_on": on,
            "change": changes.get((county, indicators.GROUP_OF[key]), 0),
        }
        for key, (num, den, held) in parts.items()
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(IndicatorCount)
    keep = ("numerator", "denominator", "held", "counted_on", "change")
    # another session counting the same county at the same time stores the same counts
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["region", "year", "indicator"], set_={k: stmt.excluded[k] for k in keep}
        ),
        rows,
    )


def count(
    session: Session,
    county: str,
    year: int,
    on: dt.date,
    changes: dict[tuple[str, str], int] | None = None,
    groups: tuple[str, ...] | None = None,
) -> dict[str, Part]:
    """Count one county's year from its records (the indicators of `groups`, default all) and store the counts
    with the change numbers `changes` (read before counting)."""
    if changes is None:
        changes = _changes(session, [county])
    parts = indicators.parts(session, [county], year, on, groups)
    _store(session, county, year, on, changes, parts)
    return parts


def county_parts(session: Session, counties: list[str], year: int, on: dt.date) -> dict[str, dict[str, Part]]:
    """{county: its parts of `year` counted on `on`}: as stored where current, else (the groups of indicators
    whose records changed) counted again and stored."""
    changes = _changes(session, counties)
    stored: dict[str, dict[str, Part]] = {}
    for part in _chunks(sorted(counties)):
        for row in session.execute(
            select(
                IndicatorCount.region,
                IndicatorCount.indicator,
                IndicatorCount.numerator,
                IndicatorCount.denominator,
                IndicatorCount.held,
                IndicatorCount.counted_on,
                IndicatorCount.change,
            ).where(IndicatorCount.region.in_(part), IndicatorCount.year == year)
        ):
            group = indicators.GROUP_OF.get(row.indicator)
            if group and row.counted_on == on and row.change == changes.get((row.region, group), 0):
                stored.setdefault(row.region, {})[row.indicator] = (row.numerator, row.denominator, row.held)
    out = {}
    for county in counties:
        got = stored.get(county, {})
        stale = tuple(
            g
            for g in indicators.GROUPS
            if any(indicators.GROUP_OF[k] == g and k not in got for k in indicators.DEFINITIONS)
        )
        if stale:
            got = got | count(session, county, year, on, changes, stale)
        out[county] = got
    return out


def add(per_county: dict[str, dict[str, Part]]) -> dict[str, Part]:
    """A region's parts: its counties' summed (numerators, denominators), held where any county holds it."""
    total: dict[str, Part] = {}
    for parts in per_county.values():
        for key, (num, den, held) in parts.items():
            if key not in total:
                total[key] = (num, den, held)
            else:
                n, d, h = total[key]
                total[key] = (n + num, None if den is None or d is None else d + den, h or held)
    return {key: total[key] for key in indicators.DEFINITIONS if key in total}


def compute(
    session: Session, code: str, year: int, today: dt.date | None = None
) -> dict[str, indicators.Result]:
    """Every 妇幼 indicator the records give for region `code` in `year`, from the kept counts (the values of
    `indicators.compute` for one county; for a region, its counties' counts added)."""
    counties = indicators.counties_of(code)
    if not counties:
        return {}
    on = indicators.as_of(year, today)
    return indicators.results(session, counties, year, on, add(county_parts(session, counties, year, on)))


def _counted_regions(session: Session) -> list[str]:
    tables = (Pregnancy, MaternalVisit, Delivery, InfectionRecord, ChildRecord, WomenService, DeathReport)
    return sorted(r for r in session.scalars(union(*(select(t.region).distinct() for t in tables))) if r)


def _first_year(session: Session) -> int | None:
    dates = [
        session.scalar(select(func.min(col)))
        for col in (
            Pregnancy.filed_on,
            Delivery.delivered_on,
            InfectionRecord.recorded_on,
            ChildRecord.recorded_on,
            WomenService.served_on,
            DeathReport.died_on,
        )
    ]
    years = [d.year for d in dates if d is not None]
    return min(years) if years else None


def rebuild(
    session: Session, region: str | None = None, years: list[int] | None = None, today: dt.date | None = None
) -> dict[str, int]:
    """Count again from the records and store: the counties of `region` (default: every county with records),
    for `years` (default: from the year of the first record to this one). Stored counts of those counties and
    years are replaced; counts of other years are left to be counted again when read."""
    today = today or dt.date.today()
    counties = indicators.counties_of(region) if region else _counted_regions(session)
    if years is None:
        first = _first_year(session)
        years = list(range(first, today.year + 1)) if first else []
    if not counties or not years:
        return {"counties": 0, "years": 0}
    changes = _changes(session, counties)
    for part in _chunks(counties):
        session.execute(
            delete(IndicatorCount).where(IndicatorCount.region.in_(part), IndicatorCount.year.in_(years))
        )
    for year in years:
        on = indicators.as_of(year, today)
        for county in counties:
            count(session, county, year, on, changes)
    return {"counties": len(counties), "years": len(years)}
