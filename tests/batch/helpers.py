"""Comparing batch rows with `calc_household` answers."""

from __future__ import annotations


def calc_rows(answer: dict) -> list[tuple]:
    out = []
    for e in answer["entitlements"]:
        deadline = e["amount"] if e["unit"] == "date" else None
        amount = None if deadline else e["amount"]
        out.append(
            (
                e["program"],
                e["beneficiary"],
                amount,
                deadline,
                e["unit"],
                e["period"]["start"],
                e["period"]["end"],
            )
        )
    return sorted(out, key=repr)


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def batch_rows(rows: list[dict]) -> list[tuple]:
    out = []
    for r in rows:
        a = r["amount"]
        if a is not None:
            a = int(a) if float(a).is_integer() else round(a, 2)
        out.append(
            (
                r["program"],
                r["beneficiary"],
                a,
                _iso(r["deadline"]),
                r["unit"],
                _iso(r["period_start"]),
                _iso(r["period_end"]),
            )
        )
    return sorted(out, key=repr)
