"""GB/T 2260 administrative divisions: provinces, cities (prefecture level) and counties (county level).

The table is `cradle/data/regions.csv` (民政部 2025 edition of the county-level-and-above codes, nationwide;
see `cradle/data/README.md`). Every row names its parent explicitly: county-level units directly under a
province (省直辖县级行政单位 such as 419001 济源市, 429004 仙桃市, 469001 五指山市, 659001 石河子市) and the
districts of the municipalities (110101 东城区) have the province as parent, not `code[:4] + "00"`.

The national layer `cn` is not a GB/T 2260 code: `get("cn")` raises, but `is_within(code, NATIONAL)` is True for
every known code, so callers can treat the national layer like any other ancestor.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

LEVELS = ("province", "city", "county")
NATIONAL = "cn"
EDITION = "民政部 2025 中华人民共和国县级以上行政区划代码"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent: str | None
    # Pinyin plus the type in English ("Zichuan District"), precomputed by cradle.region_english.
    name_en: str = field(default="", compare=False)


class UnknownRegion(KeyError):
    """A code that is not in the GB/T 2260 table."""

    def __init__(self, code: object) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"未知的行政区划代码 {self.code!r} (unknown GB/T 2260 region code)"


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Region]
    children: dict[str, tuple[Region, ...]]


@lru_cache(maxsize=1)
def _table() -> _Table:
    source = resources.files("cradle") / "data" / "regions.csv"
    by_code: dict[str, Region] = {}
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region = Region(
                row["code"], row["name"], row["level"], row["parent"] or None, row.get("name_en") or ""
            )
            by_code[region.code] = region
    children: dict[str, list[Region]] = {}
    for region in sorted(by_code.values(), key=lambda r: r.code):
        if region.parent is not None:
            children.setdefault(region.parent, []).append(region)
    return _Table(by_code, {code: tuple(kids) for code, kids in children.items()})


def get(code: str) -> Region:
    """The region with this 6-digit code; raises UnknownRegion."""
    region = _table().by_code.get(code) if isinstance(code, str) else None
    if region is None:
        raise UnknownRegion(code)
    return region


def exists(code: str) -> bool:
    return isinstance(code, str) and code in _table().by_code


def name(code: str) -> str:
    return get(code).name


def local_name(code: str, locale: str) -> str:
    """The region's name for a reader of `locale`: the English name for "en", the Chinese one otherwise."""
    region = get(code)
    return region.name_en or region.name if locale == "en" else region.name


def chain(code: str) -> list[Region]:
    """The regions from the province down to `code` itself (province → city → county)."""
    regions = [get(code)]
    while regions[-1].parent is not None:
        regions.append(get(regions[-1].parent))
    regions.reverse()
    return regions


def ancestors(code: str) -> list[str]:
    """The codes in chain(code), province first, ending with `code`."""
    return [region.code for region in chain(code)]


def children(code: str) -> list[Region]:
    """The regions directly under `code`, in code order."""
    get(code)
    return list(_table().children.get(code, ()))


def descendants(code: str, level: str | None = None) -> list[Region]:
    """All regions under `code` (not `code` itself), in code order, optionally only those of `level`."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    get(code)
    found: list[Region] = []
    stack = [code]
    while stack:
        kids = _table().children.get(stack.pop(), ())
        found.extend(kids)
        stack.extend(kid.code for kid in kids)
    return sorted((r for r in found if level is None or r.level == level), key=lambda r: r.code)


def all_regions() -> list[Region]:
    return sorted(_table().by_code.values(), key=lambda r: r.code)


def province_of(code: str) -> str:
    return chain(code)[0].code


def city_of(code: str) -> str | None:
    """The city-level region that is or contains `code`; None for a province and for units with no city
    above them (districts of 北京/天津/上海/重庆, 省直辖县级行政单位)."""
    return next((region.code for region in chain(code) if region.level == "city"), None)


def is_within(code: str, ancestor: str) -> bool:
    """True if `ancestor` is `code` or one of its ancestors (or the national layer `cn`).

    Both codes must be known: an unknown one raises UnknownRegion rather than answering False.
    """
    codes = ancestors(code)
    if ancestor == NATIONAL:
        return True
    get(ancestor)
    return ancestor in codes
