"""The annual report as HTML (a standalone document) and as PDF (WeasyPrint, Noto CJK fonts)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from cradle import regions
from cradle.monitoring import catalogue, plan, units
from cradle.monitoring.report import annual, charts
from cradle.monitoring.report.annual import AnnualReport
from cradle.monitoring.report.scorecard import STATUS_MESSAGES, format_value
from cradle.monitoring.scenarios import MEDIUM, TITLE_OF_LABEL
from cradle.web.i18n import HTML_LANG, translations
from cradle.web.nav import N_
from cradle.web.templating import TEMPLATE_DIR

TEMPLATES = Path(__file__).parent / "templates"
STATUS_COLOURS = {
    "on_track": "#2e7d32",
    "at_risk": "#b26a00",
    "missed": "#c62828",
    "no_data": "#757575",
    "unjudged": "#757575",
    "no_target": "#757575",
}
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县（区）"}
MAX_TREND_CHARTS = 8
MAX_UNIT_CHARTS = 6


@cache
def environment(locale: str = "zh") -> Environment:
    """The report's fixed text is English message ids (the zh catalogue holds the Chinese the PDF prints); regions
    are named by code (`region_name`), in the reader's language, as on the pages."""
    # The web templates too: the dashboard's words for a target and its assessment (monitoring/_target.html).
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(TEMPLATE_DIR)]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(locale), newstyle=True)
    env.globals.update(
        fmt=format_value,
        STATUS_LABELS={k: translations(locale).gettext(m) for k, m in STATUS_MESSAGES.items()},
        STATUS_COLOURS=STATUS_COLOURS,
        PLAN_STATES=plan.STATES,
        office=lambda code, region: units.office(code, region, locale),
        SCENARIO_TITLES=TITLE_OF_LABEL,
        MEDIUM=MEDIUM.label,
        LEVEL_NAMES=LEVEL_NAMES,
        html_lang=HTML_LANG[locale],
        list_sep="、" if locale == "zh" else ", ",
        locale=locale,
        region_name=lambda code: regions.local_name(code, locale) if regions.exists(code) else code,
        population_note=lambda population: _population_note(population, locale),
    )
    env.filters["unit"] = lambda unit: catalogue.unit_text(unit, locale)
    # an indicator's words (name, numerator, denominator) and its responsible department in the reader's language
    env.globals["indicator_text"] = lambda ind, field="name": ind.text(field, locale)
    env.filters["department"] = lambda ind: ind.department_text(locale)
    return env


# Where a region's resident population comes from (childcare.population's `source`), for readers not of Chinese.
POPULATION_SOURCES = {
    "census2020": N_("2020 census resident population"),
    "census2020_equal_split": N_(
        "2020 census population of the city split equally among its counties (estimate)"
    ),
    "registry": N_("resident population in the population register"),
    "none": N_("no population in the register or the census table"),
}


def _population_note(population: dict, locale: str) -> str:
    """The note on a population figure: as the data say it in Chinese, by its source otherwise."""
    if locale == "zh" or population["source"] not in POPULATION_SOURCES:
        return population["note"]
    return _say(locale)(POPULATION_SOURCES[population["source"]])


def _say(locale: str):
    """Message id → its text in ``locale``."""
    return lambda message: translations(locale).gettext(message)


def _chart_words(locale: str) -> dict[str, str] | None:
    return None if locale == "zh" else {"no_data": _say(locale)("No data"), "target": _say(locale)("Target")}


def _trend_charts(report: AnnualReport, locale: str = "zh") -> list[dict]:
    out = []
    for row in report.scorecard.rows:
        if len(row.series) < 2 and row.value is None:
            continue
        t = row.target.target if row.target else None
        goal = t.value if t is not None and t.comparator in (">=", ">", "<=", "<") else None
        name, unit = row.indicator.text("name", locale), row.indicator.unit
        title = f"{name}（{unit}）" if locale == "zh" else f"{name} ({catalogue.unit_text(unit, locale)})"
        out.append(
            {
                "row": row,
                "svg": Markup(
                    charts.line_chart(
                        {name: row.series},
                        goal,
                        width=320,
                        height=150,
                        title=title,
                        words=_chart_words(locale),
                    )
                ),
            }
        )
        if len(out) == MAX_TREND_CHARTS:
            break
    return out


def _unit_charts(report: AnnualReport, locale: str = "zh") -> list[dict]:
    out = []
    for row in report.scorecard.rows:
        if row.target is None or not row.units or all(u.value is None for u in row.units):
            continue
        t = row.target.target if row.target else None
        goal = t.value if t is not None and t.comparator in (">=", ">", "<=", "<") else None
        bars = [(regions.local_name(u.region, locale), u.value, STATUS_COLOURS[u.status]) for u in row.units]
        out.append({"row": row, "svg": Markup(charts.bar_chart(bars, goal, words=_chart_words(locale)))})
        if len(out) == MAX_UNIT_CHARTS:
            break
    return out


def _late_groups(report: AnnualReport, locale: str = "zh") -> list[dict]:
    """Late-data warnings grouped by indicator (one line each, the regions named), the others kept whole."""
    groups: dict[str, dict] = {}
    for w in report.warnings:
        if w.kind == "late":
            g = groups.setdefault(
                w.indicator,
                {"indicator": catalogue.load().indicator(w.indicator), "year": w.year, "regions": []},
            )
            g["regions"].append(regions.local_name(w.region, locale))
    return list(groups.values())


def _projection_charts(report: AnnualReport, locale: str = "zh") -> dict:
    p = report.projection
    if p is None:
        return {}
    say, words = _say(locale), _chart_words(locale)
    pop = {say(TITLE_OF_LABEL[k]): dict(zip(p.years, v, strict=True)) for k, v in p.population.items()}
    births = {say(TITLE_OF_LABEL[k]): dict(zip(p.years, v, strict=False)) for k, v in p.births.items()}
    return {
        "population": Markup(
            charts.line_chart(pop, title=say(N_("Total population (people)")), height=220, words=words)
        ),
        "births": Markup(
            charts.line_chart(births, title=say(N_("Births per year (people)")), height=220, words=words)
        ),
    }


def html(report: AnnualReport, for_pdf: bool = False, locale: str = "zh") -> str:
    """The report in ``locale`` (the PDF and `cradle report` print it in Chinese)."""
    env = environment(locale)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    summary = (
        report.summary
        if locale == "zh"
        else annual.summary_text(
            [_localized(s, locale, report.region) for s in report.sentences], _say(locale), ", ", locale
        )
    )
    return env.get_template("annual.html").render(
        r=report,
        css=Markup(css),
        for_pdf=for_pdf,
        trend_charts=_trend_charts(report, locale),
        summary=summary,
        summary_plan=summary[[x.key for x in report.sentences].index("plan")],
        unit_charts=_unit_charts(report, locale),
        projection_charts=_projection_charts(report, locale),
        other_warnings=[w for w in report.warnings if w.kind != "late"],
        late_groups=_late_groups(report, locale),
    )


def _localized(sentence: annual.Sentence, locale: str, region: str) -> annual.Sentence:
    """A summary sentence with its region (the report's, ``region``) named and its units in ``locale`` (its
    indicators are said by `annual.Sentence.text`)."""
    params = dict(sentence.params)
    if "name" in params:
        params["name"] = regions.local_name(region, locale)
    if "unit" in params:
        params["unit"] = " " + catalogue.unit_text(params["unit"], locale) if params["unit"] else ""
    if "facts" in params:
        params["facts"] = [_localized(f, locale, region) for f in params["facts"]]
    return annual.Sentence(sentence.key, params)


def pdf(report: AnnualReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(report, for_pdf=True), base_url=str(TEMPLATES)).write_pdf()
