"""One household's entitlements: the answer of `cradle calc` and POST /api/v1/calc."""

from __future__ import annotations

import datetime as dt

from cradle.policy.engine import run
from cradle.policy.explain import entitlement, not_applicable
from cradle.policy.household import Household, parse_household
from cradle.policy.population import Population


def calc_household(
    data: dict | str | bytes | Household, as_of: dt.date, explain: bool = False, overrides: dict | None = None
) -> dict:
    """Validates `data` (`Problems` lists every problem) and computes every applicable program."""
    household = data if isinstance(data, Household) else parse_household(data, as_of)
    pop = Population.from_households([household])
    results = run(pop, as_of, explain=explain, overrides=overrides)
    out = {"as_of": as_of.isoformat(), "jurisdiction": household.jurisdiction, "entitlements": []}
    skipped = []
    for res in results:
        if len(res.rows):
            out["entitlements"].extend(entitlement(res, i, pop.person_ids) for i in range(len(res.rows)))
        elif explain:
            skipped.append(not_applicable(res))
    if explain:
        out["not_applicable"] = skipped
    return out
