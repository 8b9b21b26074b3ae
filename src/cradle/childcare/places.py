"""Region look-ups for childcare, on top of `cradle.regions` (GB/T 2260, to county level)."""

from __future__ import annotations

import re

from cradle import regions

_CODE = re.compile(r"^\d{6}$")


def is_code(code: object) -> bool:
    return isinstance(code, str) and bool(_CODE.match(code))


def exists(code: str) -> bool:
    return is_code(code) and regions.exists(code)


def level(code: str) -> str:
    return regions.get(code).level


def name(code: str) -> str:
    return regions.name(code) if regions.exists(code) else code


def full_name(code: str) -> str:
    return "".join(r.name for r in regions.chain(code)) if regions.exists(code) else code


def city_of(code: str) -> str | None:
    return regions.city_of(code)


def province_of(code: str) -> str:
    return regions.province_of(code)


def is_within(code: str, scope: str | None) -> bool:
    """True when `code` is `scope` or lies below it (no scope: everything). Unknown codes are outside."""
    if scope is None:
        return True
    if not (regions.exists(code) and (scope == regions.NATIONAL or regions.exists(scope))):
        return False
    return regions.is_within(code, scope)


def chain(code: str) -> list[str]:
    """The code and the levels above it, nearest first: county → city → province."""
    return list(reversed(regions.ancestors(code)))


def counties_of(code: str) -> list[str]:
    """County-level units under `code` (itself for a county)."""
    if level(code) == "county":
        return [code]
    return [r.code for r in regions.descendants(code, "county")]


def cities_of(code: str) -> list[str]:
    if level(code) == "city":
        return [code]
    if level(code) == "county":
        city = city_of(code)
        return [city] if city else []
    return [r.code for r in regions.descendants(code, "city")]
