"""The indicator catalogue: definitions and cited targets, read from ``data/indicators.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from cradle import regions

COMPARATORS = (">=", ">", "<=", "<", "increase", "normal", "plan")
DIRECTIONS = ("higher", "lower", "band", "none")
SOURCES = ("registry", "entered")
APPLIES = ("jurisdiction", "each_county", "each_city")


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    numerator: str
    denominator: str | None
    scale: float
    unit: str
    direction: str
    source: str
    department: str
    due: str  # MM-DD of the following year


@dataclass(frozen=True)
class Target:
    indicator: str
    jurisdiction: str
    applies_to: str
    comparator: str
    value: float | None
    year: int | None
    document: str
    clause: str
    quote: str

    def describe(self) -> str:
        if self.comparator in ("increase", "normal", "plan"):
            return {"increase": "提高", "normal": "趋于正常", "plan": "控制在规划目标之内"}[self.comparator]
        return f"{self.comparator} {self.value:g}"

    def met(
        self, value: float, previous: float | None = None, band: tuple[float, float] | None = None
    ) -> bool | None:
        """Whether ``value`` meets the target; None when it cannot be judged (no number, no previous)."""
        c = self.comparator
        if c == ">=":
            return value >= self.value
        if c == ">":
            return value > self.value
        if c == "<=":
            return value <= self.value
        if c == "<":
            return value < self.value
        if c == "increase":
            return None if previous is None else value > previous
        if c == "normal" and band is not None:
            return band[0] <= value <= band[1]
        return None


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    targets: tuple[Target, ...]
    bands: dict[str, tuple[float, float]]

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise KeyError(f"indicator: unknown id {indicator_id!r}") from None

    def targets_for(self, code: str, indicator_id: str | None = None, inherit: bool = False) -> list[Target]:
        """Targets that apply to region ``code``: its own (applies_to jurisdiction), those an ancestor sets for
        each county or each city below it, and with ``inherit`` the area-wide targets of its ancestors (a
        county measured against its city's or province's target as a benchmark)."""
        if not regions.exists(code):
            raise KeyError(f"region: unknown code {code!r}")
        level = regions.get(code).level
        above = set(regions.ancestors(code))
        out = []
        for t in self.targets:
            if indicator_id is not None and t.indicator != indicator_id:
                continue
            if t.applies_to == "jurisdiction":
                if t.jurisdiction == code or (inherit and t.jurisdiction in above):
                    out.append(t)
            elif t.jurisdiction in above and t.applies_to == f"each_{level}":
                out.append(t)
        return out


def _parse(data: dict) -> Catalogue:
    indicators: dict[str, Indicator] = {}
    for i, row in enumerate(data.get("indicators") or []):
        where = f"indicators[{i}]"
        try:
            ind = Indicator(**row)
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if ind.id in indicators:
            raise ValueError(f"{where}.id: duplicate {ind.id!r}")
        if ind.direction not in DIRECTIONS:
            raise ValueError(f"{where}.direction: {ind.direction!r} not one of {DIRECTIONS}")
        if ind.source not in SOURCES:
            raise ValueError(f"{where}.source: {ind.source!r} not one of {SOURCES}")
        indicators[ind.id] = ind
    targets = []
    for i, row in enumerate(data.get("targets") or []):
        where = f"targets[{i}]"
        try:
            t = Target(**row)
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if t.indicator not in indicators:
            raise ValueError(f"{where}.indicator: unknown {t.indicator!r}")
        if t.comparator not in COMPARATORS:
            raise ValueError(f"{where}.comparator: {t.comparator!r} not one of {COMPARATORS}")
        if t.comparator in (">=", ">", "<=", "<") and t.value is None:
            raise ValueError(f"{where}.value: comparator {t.comparator} needs a value")
        if t.applies_to not in APPLIES:
            raise ValueError(f"{where}.applies_to: {t.applies_to!r} not one of {APPLIES}")
        if not regions.exists(t.jurisdiction):
            raise ValueError(f"{where}.jurisdiction: unknown region {t.jurisdiction!r}")
        targets.append(t)
    bands = {k: (float(v["low"]), float(v["high"])) for k, v in (data.get("bands") or {}).items()}
    return Catalogue(indicators, tuple(targets), bands)


@lru_cache(maxsize=1)
def load() -> Catalogue:
    text = (resources.files("cradle.monitoring") / "data" / "indicators.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))
