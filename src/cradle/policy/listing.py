"""The program catalogue as data: every program with its parameters, current values and citations."""

from __future__ import annotations

import datetime as dt

from cradle.policy.packs import load_packs, packs_for


def _value_dict(prm, on: dt.date) -> dict:
    entry = prm.entry(on)
    base = {"name": prm.name, "description": prm.description, "unit": prm.unit}
    if entry is None:
        first = prm.values[0]
        return {
            **base,
            "value": None,
            "start": first.start.isoformat(),
            "document": first.document,
            "clause": first.clause,
            "verified": first.verified,
            "note": f"in force from {first.start}",
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
        "clause": entry.clause,
        "verified": entry.verified,
        "note": note,
        **({"by_region": sorted(prm.by_region)} if prm.by_region else {}),
    }


def list_programs(jurisdiction: str | None = None, on: dt.date | None = None) -> list[dict]:
    """Programs serving `jurisdiction` (all when None), national first, with values in force `on`."""
    on = on or dt.date.today()
    packs = load_packs() if jurisdiction is None else packs_for(jurisdiction)
    out = []
    for pack in packs:
        used = {k: v for k, v in pack.parameters.items()}
        for prog in pack.programs:
            key = prog.id.split(".", 1)[1]
            params = [_value_dict(p, on) for name, p in used.items() if name.split(".", 2)[1] == key]
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
                    "citations": [c.as_dict() for c in prog.citations],
                    "parameters": params,
                }
            )
    return out
