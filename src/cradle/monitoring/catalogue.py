"""The indicator catalogue: the definitions (``data/indicators.yaml``, national, shared by every jurisdiction) and
the cited targets each document sets for them (its pack's targets.yaml, read through ``cradle.policy.packs``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cradle import regions, yamltext
from cradle.errors import DEFAULT_LOCALE, N_, Invalid, NotFound, translate
from cradle.monitoring import units
from cradle.monitoring.areas import checked
from cradle.policy.errors import PackError
from cradle.policy.packs import Pack, load_packs
from cradle.policy.targets import Target

DIRECTIONS = ("higher", "lower", "band", "none")
SOURCES = ("registry", "childcare", "entered")  # where the values come from (the computations: sources)
# The units the definitions write in Chinese, as other languages say them (message ids; the zh catalogue holds the
# unit). "%" and "‰" read the same in every language; a count (个, 所, 家) is a count.
UNITS = {
    "人": N_("people"),
    "个/千人": N_("places per 1,000 people"),
    "1/10万": N_("per 100,000"),
    "平方米": N_("square metres"),
    "女婴=100": N_("boys per 100 girls"),
    "孩/妇女": N_("children per woman"),
    "个": N_("count"),
    "所": N_("count"),
    "家": N_("count"),
}


FIELDS = ("name", "numerator", "denominator")  # the words of a definition, in Chinese and in English (`en`)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def unit_text(unit: str, locale: str) -> str:
    """An indicator's unit in ``locale`` (the definitions' own words in Chinese)."""
    return unit if locale == "zh" or unit not in UNITS else translate(UNITS[unit], {}, locale)


def with_unit(number: str, unit: str, locale: str) -> str:
    """A number written with the indicator's unit: 4.5个/千人, 4.5 places per 1,000 people, 95%."""
    if locale == "zh" or unit in ("%", "‰"):
        return f"{number}{unit}"
    return f"{number} {unit_text(unit, locale)}"


@dataclass(frozen=True)
class English:
    """The English of an indicator's definition (what English pages, reports and exports say)."""

    name: str
    numerator: str
    denominator: str | None


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    numerator: str
    denominator: str | None
    en: English
    scale: float
    unit: str
    direction: str
    source: str
    department: str  # as the definitions say it (卫生健康委); `department_text` in other languages
    due: str  # MM-DD of the following year

    def text(self, field: str, locale: str = DEFAULT_LOCALE) -> str | None:
        """The definition's ``field`` (name, numerator or denominator) in ``locale``: the definitions' Chinese, or
        their English."""
        if field not in FIELDS:
            raise ValueError(f"{field!r} not one of {FIELDS}")
        return getattr(self, field) if locale == "zh" else getattr(self.en, field)

    def department_text(self, locale: str = DEFAULT_LOCALE) -> str:
        """The department that reports the indicator: the definitions' words in Chinese (卫生健康委), the office
        as a city names it in other languages (Health Commission)."""
        if locale == "zh":
            return self.department
        return translate(units.OFFICES[units.code_of(self.department)]["city"], {}, locale)


def indicator_text(indicator_id: str, field: str = "name", locale: str = DEFAULT_LOCALE) -> str | None:
    """An indicator named by its id, in ``locale`` (a stored message keeps the id and says the name when shown)."""
    return load().indicator(indicator_id).text(field, locale)


class IndicatorInvalid(Invalid):
    """A refusal whose ``indicator`` parameter is an indicator's id, said by its name in the reader's language."""

    def text(self, locale: str = DEFAULT_LOCALE) -> str:
        params = dict(self.params)
        params["indicator"] = indicator_text(params["indicator"], "name", locale)
        return translate(self.message_id, params, locale)


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    targets: tuple[Target, ...]
    bands: dict[str, tuple[float, float]]

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise NotFound(
                "indicator_id", N_("Unknown indicator %(indicator)s"), indicator=repr(indicator_id)
            ) from None

    def targets_for(self, code: str, indicator_id: str | None = None, inherit: bool = False) -> list[Target]:
        """Targets that apply to region ``code``: its own (applies_to jurisdiction), those an ancestor sets for
        each county or each city below it, and with ``inherit`` the area-wide targets of its ancestors (a
        county measured against its city's or province's target as a benchmark)."""
        checked(code)
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


def _english(row: dict, where: str) -> English:
    """The indicator's ``en`` mapping: the English of each of its words, none left out, none in Chinese."""
    en = row.get("en")
    if not isinstance(en, dict):
        raise ValueError(f"{where}.en: the English of {', '.join(FIELDS)} is required")
    extra = set(en) - set(FIELDS)
    if extra:
        raise ValueError(f"{where}.en: unknown fields {sorted(extra)}")
    for field in FIELDS:
        chinese, english = row.get(field), en.get(field)
        if chinese is None:
            if english is not None:
                raise ValueError(f"{where}.en.{field}: null where {field} is null")
            continue
        if not isinstance(english, str) or not english.strip():
            raise ValueError(f"{where}.en.{field}: the English of {chinese!r} is required")
        if HAN.search(english):
            raise ValueError(f"{where}.en.{field}: {english!r} is not English")
    return English(en["name"], en["numerator"], en.get("denominator"))


def _parse(data: dict) -> tuple[dict[str, Indicator], dict[str, tuple[float, float]]]:
    indicators: dict[str, Indicator] = {}
    for i, row in enumerate(data.get("indicators") or []):
        where = f"indicators[{i}]"
        try:
            ind = Indicator(**{**row, "en": _english(row, where)})
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if ind.id in indicators:
            raise ValueError(f"{where}.id: duplicate {ind.id!r}")
        if ind.direction not in DIRECTIONS:
            raise ValueError(f"{where}.direction: {ind.direction!r} not one of {DIRECTIONS}")
        if ind.source not in SOURCES:
            raise ValueError(f"{where}.source: {ind.source!r} not one of {SOURCES}")
        if units.code_of(ind.department) not in units.OFFICES:
            raise ValueError(
                f"{where}.department: {ind.department!r} is no department of cradle.monitoring.units"
            )
        indicators[ind.id] = ind
    bands = {k: (float(v["low"]), float(v["high"])) for k, v in (data.get("bands") or {}).items()}
    return indicators, bands


@lru_cache(maxsize=1)
def _definitions() -> tuple[dict[str, Indicator], dict[str, tuple[float, float]]]:
    text = (resources.files("cradle.monitoring") / "data" / "indicators.yaml").read_text(encoding="utf-8")
    return _parse(yamltext.parse(text))


def load() -> Catalogue:
    return _catalogue(load_packs())


@lru_cache(maxsize=1)
def _catalogue(packs: tuple[Pack, ...]) -> Catalogue:
    """The definitions with every pack's targets, each checked to name a defined indicator."""
    indicators, bands = _definitions()
    for pack in packs:
        for i, t in enumerate(pack.targets):
            if t.indicator not in indicators:
                raise PackError(
                    f"{pack.path / 'targets.yaml'}: targets[{i}].indicator: unknown {t.indicator!r}"
                )
    return Catalogue(indicators, tuple(t for p in packs for t in p.targets), bands)
