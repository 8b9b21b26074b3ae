"""The annual report as HTML (a standalone document) and as PDF (WeasyPrint, Noto CJK fonts)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from cradle.monitoring import catalogue, plan
from cradle.monitoring.report import charts
from cradle.monitoring.report.annual import AnnualReport
from cradle.monitoring.report.scorecard import STATUS_LABELS, format_value

TEMPLATES = Path(__file__).parent / "templates"
STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#b26a00", "missed": "#c62828", "no_data": "#757575",
                  "unjudged": "#757575", "no_target": "#757575"}
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县（区）"}
MAX_TREND_CHARTS = 8
MAX_UNIT_CHARTS = 6


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fmt=format_value, STATUS_LABELS=STATUS_LABELS, STATUS_COLOURS=STATUS_COLOURS,
                       PLAN_STATUSES=plan.STATUSES, LEVEL_NAMES=LEVEL_NAMES)
    return env


def _trend_charts(report: AnnualReport) -> list[dict]:
    out = []
    for row in report.scorecard.rows:
        if len(row.series) < 2 and row.value is None:
            continue
        t = row.target.target if row.target else None
        goal = t.value if t is not None and t.comparator in (">=", ">", "<=", "<") else None
        out.append({"row": row, "svg": Markup(charts.line_chart({row.indicator.name: row.series}, goal,
                                                                  width=320, height=150,
                                                                  title=f"{row.indicator.name}（{row.indicator.unit}）"))})
        if len(out) == MAX_TREND_CHARTS:
            break
    return out


def _unit_charts(report: AnnualReport) -> list[dict]:
    out = []
    for row in report.scorecard.rows:
        if row.target is None or not row.units or all(u.value is None for u in row.units):
            continue
        t = row.target.target if row.target else None
        goal = t.value if t is not None and t.comparator in (">=", ">", "<=", "<") else None
        bars = [(u.name, u.value, STATUS_COLOURS[u.status]) for u in row.units]
        out.append({"row": row, "svg": Markup(charts.bar_chart(bars, goal))})
        if len(out) == MAX_UNIT_CHARTS:
            break
    return out


def _late_groups(report: AnnualReport) -> list[dict]:
    """Late-data warnings grouped by indicator (one line each, the regions named), the others kept whole."""
    groups: dict[str, dict] = {}
    for w in report.warnings:
        if w.kind == "late":
            g = groups.setdefault(w.indicator, {"indicator": catalogue.load().indicator(w.indicator),
                                                "year": w.year, "regions": []})
            g["regions"].append(w.region_name)
    return list(groups.values())


def _projection_charts(report: AnnualReport) -> dict:
    p = report.projection
    if p is None:
        return {}
    pop = {k: dict(zip(p.years, v, strict=True)) for k, v in p.population.items()}
    births = {k: dict(zip(p.years, v, strict=False)) for k, v in p.births.items()}
    return {"population": Markup(charts.line_chart(pop, title="总人口（人）", height=220)),
            "births": Markup(charts.line_chart(births, title="年出生人口（人）", height=220))}


def html(report: AnnualReport, for_pdf: bool = False) -> str:
    env = environment()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return env.get_template("annual.html").render(
        r=report, css=Markup(css), for_pdf=for_pdf, trend_charts=_trend_charts(report),
        unit_charts=_unit_charts(report), projection_charts=_projection_charts(report),
        other_warnings=[w for w in report.warnings if w.kind != "late"], late_groups=_late_groups(report),
    )


def pdf(report: AnnualReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(report, for_pdf=True), base_url=str(TEMPLATES)).write_pdf()
