"""The program catalogue as data: every program with its parameters, current values, citations by title and
where each value comes from (the release, or the parameter desk)."""

from __future__ import annotations

import datetime as dt

from cradle import regions
from cradle.policy import published
from cradle.policy.packs import load_packs, packs_for


def _value_dict(prm, on: dt.date, county: str | None) -> dict:
    entry = prm.entry(on, county)
    base = {"name": prm.name, "description": prm.description, "unit": prm.unit}
    if entry is None:
        first = prm.values[0]
        return {
            **base,
            "value": None,
            "start": first.start.isoformat(),
            "document": first.document,
            "title": published.title(first.document),
            "clause": first.clause,
            "verified": first.verified,
            "note": f"in force from {first.start}",
            "provenance": published.provenance(prm.name, first),
        }
    note = entry.note
    if entry.value is None:
        note = note or (
            "amount unconfirmed: regulation not loaded"
            if entry.set_by == "unconfirmed"
            else f"amount set by {entry.set_by}"
        )
    value = entry.value.isoformat() if isinstance(entry.value, dt.date) else entry.value
    return {
        **base,
        "value": value,
        "start": entry.start.isoformat(),
        "document": entry.document,
        "title": published.title(entry.document),
        "clause": entry.clause,
        "verified": entry.verified,
        "note": note,
        **({"by_region": sorted(prm.by_region)} if prm.by_region else {}),
        "provenance": published.provenance(prm.name, entry),
    }


def list_programs(jurisdiction: str | None = None, on: dt.date | None = None) -> list[dict]:
    """Programs serving `jurisdiction` (all when None), national first, with values in force `on` (a county's
    own value where the county has one)."""
    on = on or dt.date.today()
    published.refresh()
    packs = load_packs() if jurisdiction is None else packs_for(jurisdiction)
    county = jurisdiction if jurisdiction and regions.get(jurisdiction).level == "county" else None
    out = []
    for pack in packs:
        used = {k: v for k, v in pack.parameters.items()}
        for prog in pack.programs:
            key = prog.id.split(".", 1)[1]
            params = [_value_dict(p, on, county) for name, p in used.items() if name.split(".", 2)[1] == key]
            out.append(
                {
                    "id": prog.id,
                    "title": prog.title,
                    "kind": prog.kind,
                    "unit": prog.unit,
                    "entity": prog.entity,
                    "jurisdiction": pack.region,
                    "level": pack.level,
                    "pack": pack.id,
                    "description": prog.description.strip(),
                    "citations": [published.cite(c.document, c.clause) for c in prog.citations],
                    "parameters": params,
                }
            )
    return out
