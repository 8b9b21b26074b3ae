"""A pack's targets.yaml: the targets its document sets, each with the clause and the document's own words.

    targets:     # indicator targets, judged by monitoring against its indicator definitions
      - {indicator: childcare_places_per_1000, applies_to: jurisdiction, comparator: ">=", value: 4.7,
         year: 2025, clause: 一、总体目标, quote: 每千人口拥有3岁以下婴幼儿托位数达到4.7个}
    childcare:   # the 托育 standards childcare's capacity checks apply, cited as those checks show them
      slots: {clause: 一、总体目标, text: 每千人口拥有3岁以下婴幼儿托位数达到4.7个}

A figure that is both a 托育 standard and an indicator target (FROM_TARGETS) is kept once, as the target: the
standard takes it (and the target's year) from `targets`, and writing it under `childcare` is an error.

A target belongs to the pack's region (the issuing government) and, unless it names another of the pack's
documents, to its first document. Errors name the file and the field and stop start-up, like the other pack
files; that each indicator is defined is checked by the monitoring catalogue, which owns the definitions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cradle.policy.documents import document_text, is_loaded
from cradle.policy.errors import PackError

COMPARATORS = (">=", ">", "<=", "<", "increase", "normal", "plan")
APPLIES = ("jurisdiction", "each_county", "each_city")
# the levels above which each applies_to can be set: a province sets targets for each city and each county
APPLIES_FROM = {"jurisdiction": (), "each_city": ("province",), "each_county": ("province", "city")}
TARGET_KEYS = {"indicator", "applies_to", "comparator", "value", "year", "clause", "quote", "document"}


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


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _share(v) -> bool:
    return _number(v) and 0 < v <= 1


def _text(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _flag(v) -> bool:
    return isinstance(v, bool)


def _year(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# childcare standard → (required fields, optional fields), each with its check
CHILDCARE = {
    "slots": (
        {"per_1000": _number, "year": _year, "clause": _text, "text": _text},
        {"inclusive_share": _share},
    ),
    "residential": (
        {"new_per_1000": _number, "existing_per_1000": _number, "clause": _text, "text": _text},
        {},
    ),
    "community_site": ({"min_m2": _number, "clause": _text}, {}),
    "coverage": (
        {
            "city_centre": _flag,
            "county_public": _flag,
            "county_public_guidance": _flag,  # the county's public nursery must have a guidance role
            "county_centre": _flag,
            "clause": _text,
            "text": _text,
        },
        {},
    ),
    "stations": ({"share": _share, "clause": _text, "text": _text}, {}),
}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _document(raw: dict, documents: list[str], where: str) -> str:
    if not documents:
        raise PackError(f"{where}: a target needs a document in pack.yaml")
    document = str(raw.get("document", documents[0]))
    if document not in documents:
        raise PackError(f"{where}.document: {document} is not one of the pack's documents {documents}")
    return document


def _target(raw, region: str, level: str, documents: list[str], where: str) -> Target:
    if not isinstance(raw, dict):
        raise PackError(f"{where}: must be a mapping")
    unknown = set(raw) - TARGET_KEYS
    if unknown:
        raise PackError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("indicator", "applies_to", "comparator", "clause", "quote"):
        if not _text(raw.get(key)):
            raise PackError(f"{where}.{key}: missing")
    if raw["comparator"] not in COMPARATORS:
        raise PackError(f"{where}.comparator: {raw['comparator']!r} not one of {COMPARATORS}")
    if raw["applies_to"] not in APPLIES:
        raise PackError(f"{where}.applies_to: {raw['applies_to']!r} not one of {APPLIES}")
    if APPLIES_FROM[raw["applies_to"]] and level not in APPLIES_FROM[raw["applies_to"]]:
        raise PackError(f"{where}.applies_to: a {level} document cannot set a target for {raw['applies_to']}")
    value = raw.get("value")
    if value is not None and not _number(value):
        raise PackError(f"{where}.value: not a number: {value!r}")
    if value is None and raw["comparator"] in (">=", ">", "<=", "<"):
        raise PackError(f"{where}.value: comparator {raw['comparator']} needs a value")
    year = raw.get("year")
    if year is not None and not _year(year):
        raise PackError(f"{where}.year: not a year: {year!r}")
    document = _document(raw, documents, where)
    if is_loaded(document) and _squeeze(raw["quote"]) not in _squeeze(document_text(document)):
        raise PackError(f"{where}.quote: not in {document}: {raw['quote']!r}")
    return Target(
        indicator=raw["indicator"],
        jurisdiction=region,
        applies_to=raw["applies_to"],
        comparator=raw["comparator"],
        value=value,
        year=year,
        document=document,
        clause=str(raw["clause"]),
        quote=raw["quote"],
    )


# standard → {field: (the indicator whose jurisdiction-wide target holds the figure, its unit per the field's)};
# `year` is the first field's target's year.
FROM_TARGETS = {
    "slots": {
        "per_1000": ("childcare_places_per_1000", 1),
        "inclusive_share": ("inclusive_places_share", 100),
    },
    "residential": {
        "new_per_1000": ("new_residential_places_per_1000", 1),
        "existing_per_1000": ("existing_residential_places_per_1000", 1),
    },
    "community_site": {"min_m2": ("community_childcare_site_area", 1)},
    "stations": {"share": ("community_childcare_station_share", 100)},
}


def _from_targets(kind: str, spec: dict, targets: list[Target], at: str) -> dict:
    """`spec` with the figures its pack keeps as indicator targets (and the year of the first)."""
    fields = FROM_TARGETS.get(kind, {})
    dated = "year" in CHILDCARE[kind][0]
    for name in [*fields, *(["year"] if dated else [])]:
        if name in spec:
            indicator = fields.get(name, next(iter(fields.values())))[0]
            raise PackError(f"{at}.{name}: kept once, as the {indicator} target under targets")
    by_indicator = {t.indicator: t for t in targets if t.applies_to == "jurisdiction" and t.value is not None}
    out = dict(spec)
    for n, (name, (indicator, scale)) in enumerate(fields.items()):
        target = by_indicator.get(indicator)
        if target is not None:
            out[name] = target.value if scale == 1 else target.value / scale
            if n == 0 and dated:
                out["year"] = target.year
    return out


def _childcare(raw, targets: list[Target], documents: list[str], where: str) -> dict[str, dict]:
    if not isinstance(raw, dict):
        raise PackError(f"{where}: must be a mapping")
    out = {}
    for kind, spec in raw.items():
        at = f"{where}.{kind}"
        if kind not in CHILDCARE:
            raise PackError(f"{at}: unknown standard; one of {sorted(CHILDCARE)}")
        if not isinstance(spec, dict):
            raise PackError(f"{at}: must be a mapping")
        spec = _from_targets(kind, spec, targets, at)
        required, optional = CHILDCARE[kind]
        unknown = set(spec) - set(required) - set(optional) - {"document"}
        if unknown:
            raise PackError(f"{at}: unknown keys {sorted(unknown)}")
        for key, check in {**required, **optional}.items():
            if key not in spec and key in optional:
                continue
            if key in FROM_TARGETS.get(kind, {}) and key not in spec:
                indicator = FROM_TARGETS[kind][key][0]
                raise PackError(f"{at}.{key}: needs a jurisdiction-wide {indicator} target under targets")
            if not check(spec.get(key)):
                raise PackError(f"{at}.{key}: missing or not valid: {spec.get(key)!r}")
        out[kind] = {**spec, "document": _document(spec, documents, at)}
    return out


def load_targets(
    raw: dict, region: str, level: str, documents: list[str], source: str
) -> tuple[list[Target], dict[str, dict]]:
    """The indicator targets and the childcare standards of a pack's targets.yaml mapping."""
    if not isinstance(raw, dict):
        raise PackError(f"{source}: must be a mapping with targets and childcare")
    unknown = set(raw) - {"targets", "childcare"}
    if unknown:
        raise PackError(f"{source}: unknown keys {sorted(unknown)}")
    targets = [
        _target(t, region, level, documents, f"{source}: targets[{i}]")
        for i, t in enumerate(raw.get("targets") or [])
    ]
    return targets, _childcare(raw.get("childcare") or {}, targets, documents, f"{source}: childcare")
