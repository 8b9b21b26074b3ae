"""Early warning: counties whose births, TFR or sex ratio at birth leave a band, whose indicator will miss
its target at the current trend, or whose data are late. Each warning says why: a message id with its
parameters, said in the reader's language when shown (`text(locale)`: the pages, the API under `?lang=en` or
`Accept-Language`, the CLI; ``reason`` is the Chinese, the default). The indicator a warning names is kept as its
id and said from the catalogue when shown, like its values' unit and its department."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from cradle.errors import N_, translate
from cradle.monitoring import catalogue, values


@dataclass(frozen=True)
class Bands:
    births_drop: float = 0.10  # year-on-year fall in births that triggers a warning
    tfr_low: float = (
        1.0  # TFR below this (超低生育水平 threshold used in demography is 1.3; 1.0 is "critical")
    )
    srb: tuple[float, float] | None = None  # default: the catalogue's conventional band 103–107
    srb_min_births: float = 500  # below this, a sex ratio is too noisy to judge


KINDS = {
    "band": N_("Out of band"),
    "trend": N_("Trend"),
    "missed": N_("Target missed"),
    "late": N_("Late data"),
}
BIRTHS_DROP = N_(
    "%(year)s: %(births)s births, down %(drop)s on the year before, beyond the %(line)s warning line"
)
TFR_LOW = N_("%(year)s: total fertility rate %(tfr)s, below the %(line)s warning line")
SRB_OUT = N_("%(year)s: sex ratio at birth %(srb)s, outside the normal range %(range)s")
MISSED = N_("%(indicator)s was %(value)s in %(year)s, short of the target%(source)s")
TREND = N_(
    "On recent trends %(indicator)s will be about %(value)s in %(year)s, short of the target%(source)s"
)
LATE = N_("%(indicator)s data for %(year)s were due by %(due)s (%(who)s) and have not been reported")
TARGET_SOURCE = N_(" (%(document)s %(clause)s, target %(target)s)")
COMPUTED_BY_SYSTEM = N_("Population database (computed by the system)")


@dataclass(frozen=True)
class Warning:
    region: str
    kind: str  # band | trend | missed | late
    indicator: str
    year: int | None
    message: str  # English message id
    # The message's parameters. Those the catalogue says in the reader's language: "indicator" (an indicator id,
    # said by its name), "value" and the "target" of "source" (numbers, said with the indicator's unit) and "who"
    # of late data when it is not a message id (the indicator id, said as its responsible department).
    params: dict = field(default_factory=dict)
    translated: tuple[str, ...] = ()  # params that are message ids themselves

    def text(self, locale: str = "zh") -> str:
        params = {k: translate(v, {}, locale) if k in self.translated else v for k, v in self.params.items()}
        cat = catalogue.load()
        if "indicator" in params:
            params["indicator"] = cat.indicator(params["indicator"]).text("name", locale)
        if "who" in params and "who" not in self.translated:
            params["who"] = cat.indicator(params["who"]).department_text(locale)
        unit = cat.indicator(self.indicator).unit
        if "value" in params:
            params["value"] = catalogue.with_unit(params["value"], unit, locale)
        if "source" in params and isinstance(params["source"], dict):
            source = dict(params["source"])
            source["target"] = catalogue.with_unit(source["target"], unit, locale)
            params["source"] = translate(TARGET_SOURCE, source, locale)
        return translate(self.message, params, locale)

    @property
    def reason(self) -> str:
        """The reason in Chinese, the default language (a reader's language: `text(locale)`)."""
        return self.text()


def _trend(series: dict[int, float], year: int) -> float | None:
    """Least-squares linear trend of the last five years, extrapolated to ``year``; needs two points."""
    pts = sorted(series.items())[-5:]
    if len(pts) < 2:
        return None
    x, y = np.array([p[0] for p in pts], float), np.array([p[1] for p in pts], float)
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope * year + intercept)


def band_warnings(session: Session, code: str, year: int, bands: Bands) -> list[Warning]:
    out = []
    births = values.series(session, "births", code)
    if year in births and year - 1 in births and births[year - 1] > 0:
        change = births[year] / births[year - 1] - 1
        if change < -bands.births_drop:
            out.append(
                Warning(
                    code,
                    "band",
                    "births",
                    year,
                    BIRTHS_DROP,
                    {
                        "year": year,
                        "births": f"{births[year]:.0f}",
                        "drop": f"{-change:.1%}",
                        "line": f"{bands.births_drop:.0%}",
                    },
                )
            )
    tfr = values.series(session, "total_fertility_rate", code)
    if year in tfr and tfr[year] < bands.tfr_low:
        out.append(
            Warning(
                code,
                "band",
                "total_fertility_rate",
                year,
                TFR_LOW,
                {"year": year, "tfr": f"{tfr[year]:.2f}", "line": f"{bands.tfr_low:.1f}"},
            )
        )
    srb_row = values.current(session, "sex_ratio_at_birth", code, year)
    low, high = bands.srb or catalogue.load().bands["sex_ratio_at_birth"]
    if srb_row is not None:
        n = (srb_row.numerator or 0) + (srb_row.denominator or 0)
        if (n == 0 or n >= bands.srb_min_births) and not low <= srb_row.value <= high:
            out.append(
                Warning(
                    code,
                    "band",
                    "sex_ratio_at_birth",
                    year,
                    SRB_OUT,
                    {"year": year, "srb": f"{srb_row.value:.1f}", "range": f"{low:g}–{high:g}"},
                )
            )
    return out


def target_warnings(session: Session, code: str, year: int) -> list[Warning]:
    out = []
    for t in catalogue.load().targets_for(code, inherit=True):
        if t.comparator not in (">=", ">", "<=", "<"):
            continue
        series = values.series(session, t.indicator, code)
        if not series:
            continue
        ind = catalogue.load().indicator(t.indicator)
        source = {"document": t.document[:3], "clause": t.clause, "target": t.describe()}
        last_year = max(series)
        if t.year is not None and last_year >= t.year:
            if t.year in series and not t.met(series[t.year]):
                out.append(
                    Warning(
                        code,
                        "missed",
                        t.indicator,
                        t.year,
                        MISSED,
                        {
                            "indicator": ind.id,
                            "year": t.year,
                            "value": f"{series[t.year]:g}",
                            "source": source,
                        },
                    )
                )
            continue
        if t.year is None:
            if not t.met(series[last_year]):
                out.append(
                    Warning(
                        code,
                        "missed",
                        t.indicator,
                        last_year,
                        MISSED,
                        {
                            "indicator": ind.id,
                            "year": last_year,
                            "value": f"{series[last_year]:g}",
                            "source": source,
                        },
                    )
                )
            continue
        projected = _trend(series, t.year)
        if projected is not None and not t.met(projected):
            out.append(
                Warning(
                    code,
                    "trend",
                    t.indicator,
                    t.year,
                    TREND,
                    {
                        "indicator": ind.id,
                        "year": t.year,
                        "value": f"{projected:.3g}",
                        "source": source,
                    },
                )
            )
    return out


def late_warnings(session: Session, code: str, today: dt.date) -> list[Warning]:
    """An indicator with a target for ``code`` whose value for last year is missing after its due date."""
    out = []
    cat = catalogue.load()
    year = today.year - 1
    seen = set()
    for t in cat.targets_for(code, inherit=True):
        if t.indicator in seen:
            continue
        seen.add(t.indicator)
        ind = cat.indicator(t.indicator)
        month, day = (int(p) for p in ind.due.split("-"))
        due = dt.date(today.year, month, day)
        if today > due and values.current(session, ind.id, code, year) is None:
            computed = ind.source != "entered"
            out.append(
                Warning(
                    code,
                    "late",
                    ind.id,
                    year,
                    LATE,
                    {
                        "indicator": ind.id,
                        "year": year,
                        "due": due.isoformat(),
                        "who": COMPUTED_BY_SYSTEM if computed else ind.id,
                    },
                    ("who",) if computed else (),
                )
            )
    return out


def warnings_for(
    session: Session, codes: list[str], year: int, today: dt.date | None = None, bands: Bands | None = None
) -> list[Warning]:
    """All warnings for ``codes`` about ``year`` (late data judged on ``today``)."""
    today = today or dt.date.today()
    bands = bands or Bands()
    out: list[Warning] = []
    for code in codes:
        out += band_warnings(session, code, year, bands)
        out += target_warnings(session, code, year)
        out += late_warnings(session, code, today)
    return out
