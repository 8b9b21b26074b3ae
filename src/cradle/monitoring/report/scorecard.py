"""The indicator scorecard of one region and year: value, target, status, trend, rank among peers and the
values of the units below. One function (:func:`build`) feeds both the dashboards and the annual report, so
the two always show the same numbers.

Status of a value against its target (colours on the dashboards):

- ``on_track`` 达标或按期可达: the value meets the target, or the target year is still ahead and the linear
  trend of the last ≤ 5 years reaches it by then (the same trend rule as the early warnings);
- ``at_risk`` 有风险: the target year is ahead and the value neither meets it nor trends to it;
- ``missed`` 未达标: the target year has come (or the target holds every year) and the value misses it;
- ``no_data`` 无数据, ``unjudged`` 无法判定 (a target without a number, or "increase" with no previous
  year), ``no_target`` 无目标 (indicator tracked without a target for this region).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cradle import regions
from cradle.errors import N_, NotFound, translate
from cradle.monitoring import catalogue, values
from cradle.monitoring.areas import found
from cradle.monitoring.catalogue import Indicator
from cradle.monitoring.warnings import _trend
from cradle.policy import published
from cradle.policy.targets import Target

# the statuses as the dashboards and the report say them (English message ids; the zh catalogue has the Chinese)
STATUS_MESSAGES = {
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "missed": N_("Missed"),
    "no_data": N_("No data"),
    "unjudged": N_("Cannot be judged"),
    "no_target": N_("No target"),
}
NUMERIC = (">=", ">", "<=", "<")


def format_value(value: float | None, unit: str = "") -> str:
    """The one way a value is written on the dashboards and in the report: thousands separators, at most
    two decimals, trailing zeros dropped (13,098 · 1.23 · 108.7)."""
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}" if unit in ("%", "‰") else text


@dataclass(frozen=True)
class TargetView:
    target: Target
    scope: str  # own | each | benchmark (an ancestor's area-wide target, shown as a benchmark)
    text: str  # 目标 ≥ 4.5 个/千人（2025年）

    @property
    def citation(self) -> str:
        return f"{published.title(self.target.document)} {self.target.clause}"


@dataclass(frozen=True)
class Judgement:
    status: str
    reason: str
    projected: float | None = None


@dataclass(frozen=True)
class UnitValue:
    """One unit below the region (a city of a province, a county of a city)."""

    region: str
    name: str
    value: float | None
    status: str


@dataclass
class IndicatorRow:
    indicator: Indicator
    region: str
    year: int
    value: float | None
    series: dict[int, float]
    target: TargetView | None
    judgement: Judgement
    rank: int | None
    peers_with_value: int
    units: list[UnitValue] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.judgement.status

    @property
    def status_label(self) -> str:
        """The status in Chinese, as the printed report and the exports say it."""
        return translate(STATUS_MESSAGES[self.status], {})

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.indicator.unit)


@dataclass
class Scorecard:
    region: str
    name: str
    level: str
    year: int
    rows: list[IndicatorRow]
    peers: list[str]
    units: list[str]

    def row(self, indicator_id: str) -> IndicatorRow:
        for r in self.rows:
            if r.indicator.id == indicator_id:
                return r
        raise NotFound(
            "indicator_id",
            N_("%(indicator)s is not on the scorecard of %(region)s"),
            indicator=repr(indicator_id),
            region=self.region,
        )

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_MESSAGES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out


def choose_target(code: str, indicator_id: str) -> TargetView | None:
    """The target that binds ``code`` most directly: its own, then one set for every unit of its level,
    then an ancestor's area-wide target as a benchmark (nearest ancestor first)."""
    cat = catalogue.load()
    found = cat.targets_for(code, indicator_id, inherit=True)
    if not found:
        return None
    chain = regions.ancestors(code)

    def rank(t: Target) -> tuple[int, int]:
        if t.applies_to == "jurisdiction" and t.jurisdiction == code:
            return (0, 0)
        if t.applies_to != "jurisdiction":
            return (1, -chain.index(t.jurisdiction))
        return (2, -chain.index(t.jurisdiction))

    t = min(found, key=rank)
    scope = ("own", "each", "benchmark")[rank(t)[0]]
    unit = cat.indicator(indicator_id).unit
    text = t.describe() + ("" if t.comparator in ("increase", "normal", "plan") else f" {unit}")
    for ascii_op, sign in ((">=", "≥"), ("<=", "≤")):
        text = text.replace(ascii_op, sign)
    text += f"（{t.year}年）" if t.year else "（每年）"
    if scope == "benchmark":
        text += f"，参照{regions.name(t.jurisdiction)}目标"
    return TargetView(t, scope, text)


def judge(target: TargetView | None, series: dict[int, float], year: int) -> Judgement:
    """Status of ``series[year]`` against ``target`` (see the module docstring)."""
    value = series.get(year)
    if value is None:
        return Judgement("no_data", f"{year}年无数据")
    if target is None:
        return Judgement("no_target", "本地区未设该指标目标")
    t = target.target
    due = t.year is None or year >= t.year
    if t.comparator in NUMERIC:
        if t.met(value):
            return Judgement("on_track", f"{format_value(value)}，已达到目标")
        if due:
            return Judgement("missed", f"{format_value(value)}，未达到目标")
        projected = _trend({y: v for y, v in series.items() if y <= year}, t.year)
        if projected is not None and t.met(projected):
            return Judgement(
                "on_track", f"尚未达标，按近年趋势{t.year}年约为{format_value(projected)}，可达标", projected
            )
        why = (
            f"按近年趋势{t.year}年约为{format_value(projected)}，达不到目标"
            if projected is not None
            else "尚未达标，数据不足以判断趋势"
        )
        return Judgement("at_risk", why, projected)
    if t.comparator == "increase":
        previous = series.get(year - 1)
        if previous is None:
            return Judgement("unjudged", f"缺{year - 1}年数据，无法判断是否提高")
        if value > previous:
            return Judgement("on_track", f"比上年（{format_value(previous)}）提高")
        return Judgement("missed" if due else "at_risk", f"未比上年（{format_value(previous)}）提高")
    if t.comparator == "normal":
        band = catalogue.load().bands.get(t.indicator)
        if band is None:
            return Judgement("unjudged", "未定义正常范围")
        if band[0] <= value <= band[1]:
            return Judgement("on_track", f"在正常范围{band[0]:g}–{band[1]:g}内")
        return Judgement("missed" if due else "at_risk", f"超出正常范围{band[0]:g}–{band[1]:g}")
    return Judgement("unjudged", "文件未给出目标数值（控制在规划目标之内）")


def rank_key(ind: Indicator, value: float) -> float:
    if ind.direction == "lower":
        return value
    if ind.direction == "band":
        band = catalogue.load().bands.get(ind.id)
        return abs(value - (band[0] + band[1]) / 2) if band else value
    return -value


def peers_of(code: str) -> list[str]:
    """Units of the same level under the same parent (every province for a province), ``code`` included."""
    region = regions.get(code)
    if region.parent is None:
        return [r.code for r in regions.all_regions() if r.level == "province"]
    return [r.code for r in regions.children(region.parent) if r.level == region.level]


def units_of(code: str) -> list[str]:
    """The units one level below ``code`` used for drill-down (cities of a province, counties of a city)."""
    return [r.code for r in regions.children(code)]


def rank_among(ind: Indicator, code: str, year: int, data: dict, peers: list[str]) -> tuple[int | None, int]:
    """(rank of ``code`` among ``peers`` with a value for ``year``, number of such peers); best is 1."""
    scored = [(rank_key(ind, data[(ind.id, p)][year]), p) for p in peers if year in data.get((ind.id, p), {})]
    scored.sort()
    for i, (_key, p) in enumerate(scored):
        if p == code:
            return i + 1, len(scored)
    return None, len(scored)


def build(session: Session, code: str, year: int) -> Scorecard:
    """The scorecard of ``code`` for ``year``: every indicator with a target binding ``code`` or with a value
    for it or for a unit below it, in catalogue order."""
    found(code)
    cat = catalogue.load()
    region = regions.get(code)
    peers, units = peers_of(code), units_of(code)
    data = values.series_many(session, list(dict.fromkeys([code, *peers, *units])))
    rows = []
    for ind in cat.indicators.values():
        target = choose_target(code, ind.id)
        series = data.get((ind.id, code), {})
        if target is None and not series and not any((ind.id, u) in data for u in units):
            continue
        rank, n = rank_among(ind, code, year, data, peers)
        unit_values = []
        for u in units:
            s = data.get((ind.id, u), {})
            unit_values.append(
                UnitValue(u, regions.name(u), s.get(year), judge(choose_target(u, ind.id), s, year).status)
            )
        rows.append(
            IndicatorRow(
                ind,
                code,
                year,
                series.get(year),
                series,
                target,
                judge(target, series, year),
                rank,
                n,
                unit_values,
            )
        )
    return Scorecard(code, region.name, region.level, year, rows, peers, units)


def latest_year(session: Session, code: str) -> int | None:
    """The latest year with any value for ``code`` (the dashboards open on it)."""
    data = values.series_many(session, [code])
    years = [y for s in data.values() for y in s]
    return max(years) if years else None
