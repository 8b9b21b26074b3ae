"""Population denominators for per-1000 indicators, saying where each figure came from.

1. The population registry, when it can count residents: `cradle.registry.resident_count(session, code, on)`
   (or `cradle.registry.counts.resident_count`), used when it returns a positive number.
2. Otherwise the 2020 census (第七次全国人口普查公报) resident population of the city or province, from
   `cradle.census` (the one census table, in `cradle/data/`). The census bulletins give no
   county figures, so a county gets its city's figure divided equally among the city's county-level units
   (rule `census2020_equal_split`): a coarse figure, shown as such wherever it is used.
3. A province missing from the census table but with all its cities listed gets their sum.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cradle.census import resident_population
from cradle.childcare import places


@dataclass(frozen=True)
class Population:
    region: str
    value: int | None
    source: str  # registry | census2020 | census2020_equal_split | none
    note: str

    def as_dict(self) -> dict:
        return {"region": self.region, "value": self.value, "source": self.source, "note": self.note}


def _registry_counter():
    for module_name in ("cradle.registry", "cradle.registry.counts"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        counter = getattr(module, "resident_count", None)
        if callable(counter):
            return counter
    return None


def from_registry(session: Session, code: str, on: dt.date) -> int | None:
    counter = _registry_counter()
    if counter is None:
        return None
    value = counter(session, code, on)
    return int(value) if value else None


def from_census(code: str) -> Population:
    table = resident_population()
    if code in table:
        return Population(code, table[code], "census2020", "2020年第七次全国人口普查常住人口")
    lv = places.level(code)
    if lv == "county":
        city = places.city_of(code)
        if city in table:
            n = len(places.counties_of(city))
            return Population(
                code,
                round(table[city] / n),
                "census2020_equal_split",
                f"{places.name(city)}2020年普查常住人口{table[city]}人按{n}个县级单位等分（估算）",
            )
    if lv == "province":
        cities = places.cities_of(code)
        if cities and all(c in table for c in cities):
            return Population(code, sum(table[c] for c in cities), "census2020", "2020年普查各市常住人口之和")
    return Population(code, None, "none", "登记库无常住人口且普查表无此地区数据")


def population(session: Session | None, code: str, on: dt.date) -> Population:
    if session is not None:
        value = from_registry(session, code, on)
        if value:
            return Population(code, value, "registry", f"人口登记库 {on.isoformat()} 常住人口")
    return from_census(code)
