"""Households' entitlements: the answer of `cradle calc` and POST /api/v1/calc.

`calc_households` computes several households as one Population, through one engine run, and splits the results
back per household: the API's concurrent requests are answered this way (cradle.policy.batching), one household
is the case of one. Each household's answer is the one it gets alone: the engine's columns are computed row by
row, and the rows of a household keep their order within the batch's context."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from cradle.policy.engine import ProgramResult, run
from cradle.policy.explain import entitlement, not_applicable
from cradle.policy.household import Household, parse_household
from cradle.policy.population import Population


def calc_household(
    data: dict | str | bytes | Household, as_of: dt.date, explain: bool = False, overrides: dict | None = None
) -> dict:
    """Validates `data` (`Problems` lists every problem) and computes every applicable program."""
    household = data if isinstance(data, Household) else parse_household(data, as_of)
    return calc_households([household], as_of, explain=explain, overrides=overrides)[0]


def calc_households(
    households: list[Household], as_of: dt.date, explain: bool = False, overrides: dict | None = None
) -> list[dict]:
    """The answer of each of `households` (validated), computed in one engine run."""
    pop = Population.from_households(households)
    results = run(pop, as_of, explain=explain, overrides=overrides, answers_only=not explain)
    answers = [
        {"as_of": as_of.isoformat(), "jurisdiction": h.jurisdiction, "entitlements": []} for h in households
    ]
    skipped: list[list[dict]] = [[] for _ in households]
    if len(households) == 1:
        for res in results:
            if len(res.rows):
                answers[0]["entitlements"].extend(
                    entitlement(res, i, pop.person_ids) for i in range(len(res.rows))
                )
            elif explain:
                skipped[0].append(not_applicable(res))
    else:
        served = _Served([h.jurisdiction for h in households])
        codes = [int(h.jurisdiction) for h in households]
        for res in results:
            given = set()
            if len(res.household):
                seen: dict[int, ProgramResult] = {}
                for i, hh in enumerate(res.household.tolist()):
                    code = codes[hh]
                    if code not in seen:
                        seen[code] = _as_read_for(res, code)
                    answers[hh]["entitlements"].append(entitlement(seen[code], i, pop.person_ids))
                    given.add(hh)
            if explain:
                context = served.households(res.program.pack)  # context household row -> batch row
                rows_hh = context[_entity_households(res)]
                for hh in context.tolist():
                    if hh not in given:
                        skipped[hh].append(not_applicable(_one_household(res, rows_hh == hh)))
    if explain:
        for answer, tested in zip(answers, skipped, strict=True):
            answer["not_applicable"] = tested
    return answers


class _Served:
    """Which of the batch's households each pack serves, in the engine's order: the rows of the pack's context."""

    def __init__(self, jurisdictions: list[str]):
        self.jurisdictions = jurisdictions
        self.everyone = np.arange(len(jurisdictions))
        self.known: dict[int, np.ndarray] = {}

    def households(self, pack) -> np.ndarray:
        if pack is None or pack.region == "cn":
            return self.everyone
        key = id(pack)
        if key not in self.known:
            self.known[key] = np.flatnonzero([pack.applies_to(code) for code in self.jurisdictions])
        return self.known[key]


def _entity_households(res: ProgramResult) -> np.ndarray:
    """The context household row of each of the result's entity rows."""
    entity = res.program.entity
    if res.n_rows == 0:
        return np.empty(0, dtype=np.int64)
    if entity == "household":
        return np.arange(res.n_rows)
    return np.asarray(res.ctx.entity(entity).hh)


def _as_read_for(res: ProgramResult, code: int) -> ProgramResult:
    """The result with the parameters read for a household in jurisdiction `code`: a figure some layer sets was
    read for the households of each layer (Ctx.layered), and a household's answer cites its own layer's."""
    if all(u.codes is None for u in res.uses):
        return res
    return dataclasses.replace(res, uses=[u for u in res.uses if u.codes is None or code in u.codes])


def _one_household(res: ProgramResult, rows: np.ndarray) -> ProgramResult:
    """The result as one household saw it (its rows only), for the reason a program gave it nothing."""
    failed = None if res.failed is None else res.failed[rows]
    return dataclasses.replace(res, n_rows=int(rows.sum()), failed=failed)
