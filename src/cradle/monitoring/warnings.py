"""Early warning: counties whose births, TFR or sex ratio at birth leave a band, whose indicator will miss
its target at the current trend, or whose data are late. Each warning says why, in Chinese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from cradle import regions
from cradle.monitoring import catalogue, values


@dataclass(frozen=True)
class Bands:
    births_drop: float = 0.10  # year-on-year fall in births that triggers a warning
    tfr_low: float = (
        1.0  # TFR below this (超低生育水平 threshold used in demography is 1.3; 1.0 is "critical")
    )
    srb: tuple[float, float] | None = None  # default: the catalogue's conventional band 103–107
    srb_min_births: float = 500  # below this, a sex ratio is too noisy to judge


@dataclass(frozen=True)
class Warning:
    region: str
    kind: str  # band | trend | missed | late
    indicator: str
    year: int | None
    reason: str

    @property
    def region_name(self) -> str:
        return regions.name(self.region)


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
                    f"{year}年出生{births[year]:.0f}人，比上年下降{-change:.1%}，超过{bands.births_drop:.0%}的预警线",
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
                f"{year}年总和生育率{tfr[year]:.2f}，低于{bands.tfr_low:.1f}的预警线",
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
                    f"{year}年出生人口性别比{srb_row.value:.1f}，超出正常范围{low:g}–{high:g}",
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
        source = f"（{t.document[:3]} {t.clause}，目标{t.describe()}{ind.unit}）"
        last_year = max(series)
        if t.year is not None and last_year >= t.year:
            if t.year in series and not t.met(series[t.year]):
                out.append(
                    Warning(
                        code,
                        "missed",
                        t.indicator,
                        t.year,
                        f"{ind.name}{t.year}年为{series[t.year]:g}{ind.unit}，未达到目标{source}",
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
                        f"{ind.name}{last_year}年为{series[last_year]:g}{ind.unit}，未达到目标{source}",
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
                    f"按近年趋势，{ind.name}{t.year}年约为{projected:.3g}{ind.unit}，将达不到目标{source}",
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
            who = "全员人口数据库（系统计算）" if ind.source == "registry" else ind.department
            out.append(
                Warning(
                    code,
                    "late",
                    ind.id,
                    year,
                    f"{ind.name}{year}年数据应于{due.isoformat()}前报送（{who}），尚未报送",
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
