"""The county picker: regions from GET /api/v1/regions grouped under their province and city."""

from __future__ import annotations

from dataclasses import dataclass

from cradle import regions as gbt2260


@dataclass(frozen=True)
class Option:
    code: str
    name: str


@dataclass(frozen=True)
class Group:
    label: str  # "山东省 · 淄博市"
    options: list[Option]


def grouped(regions: list[dict]) -> list[Group]:
    """Leaf regions (those no other listed region names as parent) grouped by their chain of ancestors.

    A city served without its counties (Shanxi's) is itself a leaf, grouped under its province.
    """
    by_code = {r["code"]: r for r in regions}
    parents = {r.get("parent") for r in regions}
    groups: dict[str, list[Option]] = {}
    for region in sorted(regions, key=lambda r: r["code"]):
        if region["code"] in parents:
            continue
        names = []
        parent = region.get("parent")
        while parent in by_code:
            if not _is_national(by_code[parent]):
                names.insert(0, by_code[parent]["name"])
            parent = by_code[parent].get("parent")
        groups.setdefault(" · ".join(names) or region["name"], []).append(
            Option(region["code"], region["name"])
        )
    return [Group(label, options) for label, options in groups.items()]


def _is_national(region: dict) -> bool:
    """The national layer, when listed, roots every chain and adds nothing to a label."""
    code = str(region["code"])
    return region.get("level") in ("country", "national") or not (code.isdigit() and len(code) == 6)


def name_of(regions: list[dict], code: str | None) -> str | None:
    return next((r["name"] for r in regions if r["code"] == code), None)


def localized(regions: list[dict], locale: str) -> list[dict]:
    """The regions with `name` in the reader's language: the API's `name_en`, else the GB/T 2260 table's name
    for that code, else the name as given."""
    if locale != "en":
        return regions
    return [{**r, "name": r.get("name_en") or _local_name(r["code"], r["name"], locale)} for r in regions]


def _local_name(code, name: str, locale: str) -> str:
    return gbt2260.local_name(code, locale) if gbt2260.exists(str(code)) else name
