"""The 托育 standards each document sets (its pack's targets.yaml, `childcare:`), each with its clause.

Kinds: `slots` (slots for children under 3 per 1000 population by a year, and 山西's inclusive share),
`residential` (白银: slots new and built residential areas must provide per 1000 residents),
`community_site` (白银: the least floor area of a community childcare site), `coverage` (facilities that must
exist: a comprehensive centre per city, a public nursery, with or without a guidance centre, per county),
`stations` (绍兴: the share of urban communities with a 婴幼儿照护服务驿站).
"""

from __future__ import annotations

import math
from functools import lru_cache

from cradle.policy.packs import Pack, load_packs


def rules(kind: str) -> dict[str, dict]:
    """{region: standard} of every document that sets a `kind` standard, with the document it comes from."""
    return _rules(load_packs()).get(kind, {})


@lru_cache(maxsize=1)
def _rules(packs: tuple[Pack, ...]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for pack in packs:
        for kind, rule in pack.childcare.items():
            out.setdefault(kind, {})[pack.region] = rule
    return out


def applicable(kind: str, chain: list[str]) -> tuple[str, dict] | None:
    """The `kind` standard of the nearest jurisdiction in `chain` (county → city → province)."""
    table = rules(kind)
    for code in chain:
        if code in table:
            return code, table[code]
    return None


def required_slots(population: int, per_1000: float) -> int:
    """Slots needed so that slots / population × 1000 ≥ per_1000 (rounded up to a whole slot)."""
    if population < 0:
        raise ValueError("population must not be negative")
    return math.ceil(round(population * per_1000 / 1000, 6))
