"""What the dashboard pages show, built from the scorecard (the same one the annual report prints): chart
options for ECharts in the browser, the breadcrumb chain, the years to choose from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.monitoring import catalogue
from cradle.monitoring.models import IndicatorValue
from cradle.monitoring.report.scorecard import NUMERIC, IndicatorRow, rank_key

STATUS_COLOURS = {
    "on_track": "#1e7b34",
    "at_risk": "#b26a00",
    "missed": "#b3261e",
    "no_data": "#8a939e",
    "unjudged": "#8a939e",
    "no_target": "#8a939e",
}


def goal(row: IndicatorRow) -> float | None:
    t = row.target.target if row.target else None
    return t.value if t is not None and t.comparator in NUMERIC else None


def trend_chart(row: IndicatorRow, locale: str = "zh") -> dict:
    """Data for a line chart of the region's yearly values with the target as a dashed line (its words in
    ``locale``)."""
    return {
        "kind": "trend",
        "name": row.indicator.text("name", locale),
        "unit": catalogue.unit_text(row.indicator.unit, locale),
        "years": [str(y) for y in row.series],
        "values": list(row.series.values()),
        "goal": goal(row),
        "goal_year": row.target.target.year if row.target else None,
    }


def units_chart(row: IndicatorRow, locale: str = "zh") -> dict:
    """Data for a bar chart of the units below, coloured by their status (its words in ``locale``)."""
    return {
        "kind": "units",
        "name": row.indicator.text("name", locale),
        "unit": catalogue.unit_text(row.indicator.unit, locale),
        "goal": goal(row),
        "labels": [regions.local_name(u.region, locale) for u in row.units],
        "links": [f"/monitoring/{u.region}/indicators/{row.indicator.id}?year={row.year}" for u in row.units],
        "values": [u.value for u in row.units],
        "colours": [STATUS_COLOURS[u.status] for u in row.units],
    }


def crumbs(code: str, year: int, last_link: bool = False, locale: str = "zh") -> list[tuple[str, str | None]]:
    """监测评估 › 省 › 市 › 县, each a link to its dashboard for ``year`` (the regions named in ``locale``)."""
    out: list[tuple[str, str | None]] = [("监测评估", "/monitoring")]
    chain = regions.chain(code)
    for i, r in enumerate(chain):
        link = f"/monitoring/{r.code}?year={year}" if (i < len(chain) - 1 or last_link) else None
        out.append((regions.local_name(r.code, locale), link))
    return out


def years_with_data(session: Session, code: str) -> list[int]:
    stmt = select(IndicatorValue.year).where(IndicatorValue.region == code).distinct()
    return sorted(session.scalars(stmt), reverse=True)


def peer_table(row: IndicatorRow, data_rows: list[tuple[str, float | None]]) -> list[dict]:
    """Peers with their values, best first (same ranking as the scorecard), those without data last."""
    known = sorted(((rank_key(row.indicator, v), c, v) for c, v in data_rows if v is not None))
    out = [
        {"region": c, "name": regions.name(c), "value": v, "rank": i + 1}
        for i, (_k, c, v) in enumerate(known)
    ]
    out += [
        {"region": c, "name": regions.name(c), "value": None, "rank": None} for c, v in data_rows if v is None
    ]
    return out
