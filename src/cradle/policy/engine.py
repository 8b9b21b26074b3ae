"""Runs every applicable program over a Population as of a date.

`run()` is the single implementation: `calc_household()` calls it for one household and shapes the answer
(with explanations); the batch path calls it for millions of persons and keeps the columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cradle.policy import dates
from cradle.policy.packs import Pack, load_packs
from cradle.policy.population import Population
from cradle.policy.program import Ctx, ParamUse, Program, Rule


@dataclass
class ProgramResult:
    program: Program
    ctx: Ctx  # the context the formula ran in (the pack's sub-population)
    uses: list[ParamUse]  # the parameters the formula read
    rule: Rule | None  # None when the entity had no rows and the formula was not run
    n_rows: int  # rows of the entity in the context
    rows: np.ndarray  # eligible entity rows (context numbering)
    household: np.ndarray  # household row of each, in the caller's population
    beneficiary: np.ndarray  # person row of each in the caller's population, -1 for the household
    amount: np.ndarray | None  # float (NaN: amount left to a lower level) or datetime64 for deadlines
    start: np.ndarray
    end: np.ndarray
    failed: np.ndarray | None  # per context row, index of the first failing condition (-1: eligible)


_NONE = np.empty(0, dtype=np.int64)
_NO_DAY = np.empty(0, dtype="datetime64[D]")


def _broadcast(value, n: int, dtype) -> np.ndarray:
    if type(value) is np.ndarray and value.shape == (n,) and value.dtype == dtype:
        return value  # the common case: a formula's own column
    arr = np.asarray(value, dtype=dtype)
    if arr.shape == (n,):
        return arr
    return np.full(n, arr, dtype=dtype) if arr.ndim == 0 else np.broadcast_to(arr, (n,))


def _entity_rows(program: Program, ctx: Ctx) -> tuple[int, np.ndarray, np.ndarray]:
    """(row count, household row per row, default beneficiary per row)."""
    if program.entity == "person":
        n = len(ctx.persons)
        return n, ctx.persons.hh, np.arange(n)
    if program.entity == "birth":
        n = len(ctx.births)
        return n, ctx.births.hh, ctx.births.mother
    if program.entity == "facility":
        n = len(ctx.facilities)
        return n, np.arange(n), np.full(n, -1)
    n = len(ctx.households)
    return n, np.arange(n), np.full(n, -1)


def _pack_rows(pack: Pack, jurisdictions: np.ndarray) -> np.ndarray | None:
    """Household rows the pack serves; None means all of them."""
    if pack.region == "cn":
        return None
    if len(jurisdictions) == 1:  # one household: the common case of calc, answered without array work
        return None if pack.applies_to(str(jurisdictions[0])) else np.empty(0, dtype=np.int64)
    codes = np.unique(jurisdictions)
    inside = np.array([pack.applies_to(str(c)) for c in codes])
    if inside.all():
        return None
    return np.flatnonzero(np.isin(jurisdictions, codes[inside]))


def evaluate(program: Program, ctx: Ctx, explain: bool = False) -> tuple[Rule, np.ndarray, np.ndarray | None]:
    """Runs one formula: (rule, eligible mask, first failing condition per row when `explain`)."""
    n, _, _ = _entity_rows(program, ctx)
    rule = program.formula(ctx)
    eligible = np.ones(n, dtype=bool)
    failed = np.full(n, -1, dtype=np.int64) if explain else None
    for i, (_label, cond) in enumerate(rule.conditions):
        cond = _broadcast(cond, n, bool)
        if explain:
            failed = np.where((failed < 0) & ~cond, i, failed)
        eligible &= cond
    return rule, eligible, failed


def run(pop: Population, as_of: dt.date | np.datetime64, *, overrides: dict | None = None,
        explain: bool = False, only: set[str] | None = None) -> list[ProgramResult]:
    """Every program of every pack serving each household, as of `as_of`."""
    as_of = np.datetime64(as_of, "D")
    results: list[ProgramResult] = []
    whole: dict = {}
    for pack in load_packs():
        programs = [p for p in pack.programs if p.entity != "facility" and (only is None or p.id in only)]
        if not programs or pop.n_households == 0:
            continue
        rows = _pack_rows(pack, pop.households["jurisdiction"])
        if rows is not None and len(rows) == 0:
            continue
        sub = pop if rows is None else pop.take_households(rows)
        # One context per pack; packs over the whole population share its derivations (ages, child counts).
        ctx = Ctx(sub.persons, sub.households, sub.births, as_of, pack.parameters, pack.id, overrides=overrides,
                  shared=whole if rows is None else None)
        for prog in programs:
            ctx.uses = []
            n, hh, default_ben = _entity_rows(prog, ctx)
            if n == 0:  # no births (or no rows of the entity): nothing to compute, and nothing granted
                results.append(ProgramResult(prog, ctx, [], None, 0, _NONE, _NONE, _NONE, None, _NO_DAY, _NO_DAY,
                                             None))
                continue
            rule, eligible, failed = evaluate(prog, ctx, explain)
            ben = default_ben if rule.beneficiary is None else _broadcast(rule.beneficiary, n, np.int64)
            idx = np.flatnonzero(eligible)
            hh_rows, ben_rows = hh[idx], ben[idx]
            if rows is not None:  # back to the caller's numbering
                hh_rows = sub.household_origin[hh_rows]
                ben_rows = np.where(ben_rows >= 0, sub.person_origin[np.maximum(ben_rows, 0)], -1)
            amount = None
            if rule.amount is not None:
                is_date = np.asarray(rule.amount).dtype.kind == "M"
                amount = _broadcast(rule.amount, n, "datetime64[D]" if is_date else float)[idx]
            start = _broadcast(dates.NAT if rule.start is None else rule.start, n, "datetime64[D]")[idx]
            end = _broadcast(dates.NAT if rule.end is None else rule.end, n, "datetime64[D]")[idx]
            results.append(ProgramResult(prog, ctx, ctx.uses, rule, n, idx, hh_rows, ben_rows, amount, start, end,
                                         failed))
    return results
