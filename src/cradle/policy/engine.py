"""Runs every applicable program over a Population as of a date.

`run()` is the single implementation: `calc_household()` calls it for one household and shapes the answer
(with explanations); the batch path calls it for millions of persons and keeps the columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cradle.policy import dates, published
from cradle.policy.packs import Pack, layer_parameter, load_packs
from cradle.policy.population import Population
from cradle.policy.program import (
    CODE_TABLE,
    Columns,
    Ctx,
    ParamUse,
    Program,
    Rule,
    codes_tabled,
    distinct_codes,
)


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
_BOOL = np.dtype(bool)
_DAYS_DTYPE = np.dtype("datetime64[D]")
_FLOAT = np.dtype(float)
_INT = np.dtype(np.int64)
_NO_DAY = np.empty(0, dtype="datetime64[D]")
_NO_AMOUNT = np.empty(0, dtype=float)


def _broadcast(value, n: int, dtype) -> np.ndarray:
    if type(value) is np.ndarray and value.shape == (n,) and value.dtype == dtype:
        return value  # the common case: a formula's own column
    arr = np.asarray(value, dtype=dtype)
    if arr.shape == (n,):
        return arr
    return np.full(n, arr, dtype=dtype) if arr.ndim == 0 else np.broadcast_to(arr, (n,))


# The kinds of a figure or a day a rule gives as one value for every row (np.ndim's call spared for them).
_SCALARS = (float, int, np.float64, np.datetime64, np.int64, np.bool_, bool)


def _filled(k: int, value, dtype) -> np.ndarray:
    """`np.full(k, value, dtype=dtype)` for a scalar, without its Python steps (a few times quicker for the
    one-to-four rows of a household)."""
    out = np.empty(k, dtype=dtype)
    out.fill(value)
    return out


def _at(value, n: int, idx: np.ndarray, dtype) -> np.ndarray:
    """`value` (an array over the n rows, or a scalar) at the rows `idx`."""
    if not len(idx):  # no eligible row (most programs, for one household): nothing to pick
        return np.empty(0, dtype=dtype)
    if callable(value):  # worked out at the eligible rows only (a period's start or end)
        return _broadcast(value(idx), len(idx), dtype)
    kind = type(value)
    if kind is np.ndarray:
        if value.ndim == 0:
            return _filled(len(idx), value, dtype)
        if value.shape == (n,) and value.dtype == dtype:  # the common case: a formula's own column
            return _rows(value, idx)
    elif kind in _SCALARS or np.ndim(value) == 0:
        return _filled(len(idx), value, dtype)
    return _broadcast(value, n, dtype)[idx]


# One datetime64 object per as-of date: the caches keyed on the date (parameter values, whether a program is
# in force) then find it by identity, without NumPy's comparison of two datetime64 objects.
_DAYS: dict = {}


def _day(as_of: dt.date | np.datetime64) -> np.datetime64:
    found = _DAYS.get(as_of)
    if found is None:
        found = np.datetime64(as_of, "D")
        if found == found and len(_DAYS) < 10_000:
            _DAYS[as_of] = found
    return found


def _is_date(amount) -> bool:
    """Whether a rule's amount is a day (a deadline) rather than a figure."""
    kind = type(amount)
    if kind is float or kind is int or kind is np.float64:
        return False
    if kind is np.datetime64:
        return True
    return (amount.dtype if kind is np.ndarray else np.asarray(amount).dtype).kind == "M"


# For the packs last loaded: each pack with the programs the engine runs over households (not facilities').
_runnable_of: tuple = ((), [])


def _runnable(packs: tuple[Pack, ...]) -> list[tuple[Pack, list[Program]]]:
    global _runnable_of
    if _runnable_of[0] is not packs:
        _runnable_of = (
            packs,
            [(pack, [p for p in pack.programs if p.entity != "facility"]) for pack in packs],
        )
    return _runnable_of[1]


def _entity(program: Program, ctx: Ctx) -> Columns:
    return ctx.entity(program.entity)


def _n_rows(program: Program, ctx: Ctx) -> int:
    return len(_entity(program, ctx))


def _in_force(program: Program, ctx: Ctx):
    """Whether the program is in force on the date each row is judged on: one comparison of the as-of date
    (a scalar) or of an event date column with the program's first (and last) day. A row without the event
    (no purchase: NaT) passes, so that the program's own condition (有购房记录) is the reason it fails.
    None when the program declares no first day (no condition)."""
    if program.in_force_on is None and type(ctx.as_of) is np.datetime64:
        # the same for every household asked about on that date: compared once per date
        return _kept(program, ctx.as_of, _held_if_dated, ctx.as_of)
    on = ctx.as_of if program.in_force_on is None else getattr(_entity(program, ctx), program.in_force_on)
    if type(on) is np.ndarray and on.shape == (1,):
        # one event (one household's birth or purchase): whether in force on its day, kept per program and day
        held = _kept(program, ("day", on.dtype, on.item()), _held_if_dated, on)
        return None if held is None else held.copy()
    return _held_if_dated(program, on)


def _held_if_dated(program: Program, on):
    first = program.in_force_from
    return None if first != first else _held(program, on)  # NaT: no first day


def _held(program: Program, on):
    held = ~(on < program.in_force_from)
    if not np.isnat(program.in_force_until):
        held &= ~(on > program.in_force_until)
    return held


def _kept(program: Program, key, compute, on):
    """`compute(program, on)`, kept in `program.held_on` under `key` until the program's first or last day
    changes (the desk lays new values over)."""
    first, last = program.in_force_from, program.in_force_until
    found = program.held_on.get(key)
    if found is None or found[0] is not first or found[1] is not last:
        if len(program.held_on) >= 10_000:
            program.held_on.clear()
        found = program.held_on[key] = (first, last, compute(program, on))
    return found[2]


def period(program: Program, rule: Rule, n: int, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of the period at the eligible rows `idx`. A program in force from a day starts no period
    before it (its default start when the rule gives none), except a deadline: its period is the window the
    event opened."""
    if not len(idx):
        return _NO_DAY, _NO_DAY
    start = _at(dates.NAT if rule.start is None else rule.start, n, idx, _DAYS_DTYPE)
    end = _at(dates.NAT if rule.end is None else rule.end, n, idx, _DAYS_DTYPE)
    if _starts_from(program):
        start = (
            _filled(len(idx), program.in_force_from, program.in_force_from.dtype)
            if rule.start is None
            else np.maximum(start, program.in_force_from)
        )
    return start, end


def _starts_from(program: Program) -> bool:
    """Whether the program starts no period before its first day in force (it has one and is no deadline),
    kept per program (np.isnat of a day costs more than the look-up)."""
    return _kept(program, "starts_from", _starts_from_day, None)


def _starts_from_day(program: Program, _on) -> bool:
    return not np.isnat(program.in_force_from) and program.kind != "deadline"


def _households_and_beneficiaries(
    program: Program, ctx: Ctx, idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """At the eligible rows `idx`: the household row, and the default beneficiary (the person, the birth's
    mother, the newborn, or -1 for the household)."""
    entity = program.entity
    if entity == "person":
        return _rows(ctx.persons.hh, idx), idx
    if entity == "birth":
        return _rows(ctx.births.hh, idx), _rows(ctx.births.mother, idx)
    if entity == "newborn":
        return _rows(ctx.newborns.hh, idx), _rows(ctx.newborns.child, idx)
    return idx, _filled(len(idx), -1, _INT)


def _rows(column: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """`column` at the eligible rows `idx`; when every row is eligible (`idx` is then 0..n-1: one household's
    one birth), a copy, quicker than a take."""
    return column.copy() if len(idx) == len(column) else column[idx]


class _Jurisdictions:
    """The population's jurisdiction codes, found once per run, and the household rows each pack serves."""

    def __init__(self, codes: np.ndarray):
        self.codes = codes
        self.table = codes_tabled(codes)  # few (a batch of API requests): sorting them is quicker
        # one household (a submission's check): its code is the distinct set
        self.distinct = codes if len(codes) == 1 else distinct_codes(codes, self.table)

    def rows(self, pack: Pack) -> np.ndarray | None:
        """Household rows the pack serves; None means all of them."""
        if pack.region == "cn":
            return None
        inside = np.array([pack.applies_to(str(c)) for c in self.distinct], dtype=bool)
        if inside.all():
            return None
        if not inside.any():
            return _NONE
        if not self.table:
            return np.flatnonzero(np.isin(self.codes, self.distinct[inside]))
        served = np.zeros(CODE_TABLE, dtype=bool)
        served[self.distinct[inside]] = True
        return np.flatnonzero(served[self.codes])


def evaluate(
    program: Program, ctx: Ctx, explain: bool = False, n: int | None = None
) -> tuple[Rule, np.ndarray, np.ndarray | None]:
    """Runs one formula: (rule, eligible mask, first failing condition per row when `explain`); `n`: the
    entity's rows, when the caller has counted them."""
    rule, eligible, failed, _rows = _evaluate(program, ctx, explain, n)
    return rule, eligible, failed


def _evaluate(
    program: Program, ctx: Ctx, explain: bool, n: int | None, mask: bool = True
) -> tuple[Rule, np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """`evaluate`, and the eligible rows when the conditions already listed them (None: not listed). Without
    `mask` the eligible mask is left out (None) when the rows are listed: the engine needs only them."""
    if n is None:
        n = _n_rows(program, ctx)
    ctx.program = program
    rule = program.formula(ctx)
    held = _in_force(program, ctx)
    if held is not None:  # the engine's condition, before the formula's own
        rule.conditions.insert(0, (program.in_force_label, held))
    eligible = None
    rows = None  # the rows where every condition so far holds, once a condition checked only there lists them
    behind = False  # rows failed a condition checked at rows since `eligible` was last brought up to date
    failed = np.full(n, -1, dtype=np.int64) if explain else None
    for i, (_label, cond) in enumerate(rule.conditions):
        kind = type(cond)
        if kind is np.ndarray and cond.dtype is _BOOL and cond.shape == (n,):
            pass  # the common case: a formula's own column
        elif (kind is bool or kind is np.bool_) and cond:
            continue  # holds for every row (in force on the as-of date): nothing to do
        elif callable(cond):  # checked only at the rows where every earlier condition holds
            if rows is None:
                rows = np.arange(n) if eligible is None else eligible.nonzero()[0]
            held = _broadcast(cond(rows), len(rows), bool)
            if not held.all():
                # the rows still eligible are those that have not failed (the mask is brought up to date
                # only if a column condition or the caller needs it)
                if explain:
                    failed[rows[~held]] = i
                rows = rows[held]
                behind = True
            continue
        elif np.ndim(cond) == 0 and cond:
            continue
        else:
            cond = _broadcast(cond, n, bool)
        if explain:
            failed = np.where((failed < 0) & ~cond, i, failed)
        if behind:
            eligible = _mask(rows, n)
            behind = False
        if eligible is None:
            eligible = cond.copy()
        else:
            eligible &= cond
        rows = None
    if behind:
        eligible = _mask(rows, n) if mask else None
    elif eligible is None:
        eligible = np.ones(n, dtype=bool)
    return rule, eligible, failed, rows


def _mask(rows: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


def run(
    pop: Population,
    as_of: dt.date | np.datetime64,
    *,
    overrides: dict | None = None,
    explain: bool = False,
    only: set[str] | None = None,
    answers_only: bool = False,
) -> list[ProgramResult]:
    """Every program of every pack serving each household, as of `as_of`, with the values the parameter desk
    has published (`published.refresh()`: a check of a clock, and now and then of one database row).

    `answers_only`: only the eligible rows are wanted (the calc without explanations), so a program whose gates
    (`Program.requires`, cradle.policy.gates) let no row through is not run: its result has no rows, no rule and
    no parameter uses, as when its entity has no rows."""
    published.refresh()
    as_of = _day(as_of)
    results: list[ProgramResult] = []
    whole: dict = {}
    if pop.mothers is not None:  # found when the population was read (the births' mothers): not again
        whole["mother_of"] = pop.mothers
    if pop.newborns is not None:  # matched when the deliveries were read: not again
        whole["newborn_rows"] = pop.newborns
    if pop.n_households == 0:
        return results
    codes = np.asarray(pop.households["jurisdiction"])
    # one household (calc, a submission's check): the packs serving its code, without the masks
    jurisdictions = None if len(codes) == 1 else _Jurisdictions(codes)
    code = str(codes[0])
    for pack, runnable in _runnable(load_packs()):
        programs = runnable if only is None else [p for p in runnable if p.id in only]
        if not programs:
            continue
        if jurisdictions is not None:
            rows = jurisdictions.rows(pack)
            if rows is not None and len(rows) == 0:
                continue
        elif pack.applies_to(code):
            rows = None
        else:
            continue
        sub = pop if rows is None else pop.columns_of(rows)
        # One context per pack; packs over the whole population share its derivations (ages, child counts).
        ctx = Ctx(
            sub.persons,
            sub.households,
            sub.births,
            as_of,
            pack.parameters,
            pack.id,
            region=pack.region,
            overrides=overrides,
            shared=whole if rows is None else None,
            whole=None if rows is None else (whole, sub.person_take, sub.household_take),
            layer=layer_parameter,
        )
        sizes: dict[str, int] = {}  # rows of each entity in the context
        for prog in programs:
            ctx.uses = []
            n = sizes.get(prog.entity)
            if n is None:
                n = sizes[prog.entity] = _n_rows(prog, ctx)
            if n == 0 or (answers_only and prog.requires and not ctx.passes(prog.requires)):
                # no births (or no rows of the entity, or none a gate lets through): nothing granted
                results.append(
                    ProgramResult(prog, ctx, [], None, 0, _NONE, _NONE, _NONE, None, _NO_DAY, _NO_DAY, None)
                )
                continue
            rule, eligible, failed, idx = _evaluate(prog, ctx, explain, n, mask=False)
            if idx is None:
                idx = eligible.nonzero()[0]
            amount = None
            if not len(idx):  # no row eligible (most programs, for one household): nothing to pick
                hh_rows = ben_rows = _NONE
                if rule.amount is not None:
                    amount = _NO_DAY if _is_date(rule.amount) else _NO_AMOUNT
                start, end = _NO_DAY, _NO_DAY
            else:
                hh_rows, ben_rows = _households_and_beneficiaries(prog, ctx, idx)
                if rule.beneficiary is not None:
                    ben_rows = _at(rule.beneficiary, n, idx, _INT)
                if rows is not None:  # back to the caller's numbering
                    hh_rows = sub.households_in_whole(hh_rows)
                    ben_rows = np.where(ben_rows >= 0, sub.persons_in_whole(np.maximum(ben_rows, 0)), -1)
                if rule.amount is not None:
                    amount = _at(rule.amount, n, idx, _DAYS_DTYPE if _is_date(rule.amount) else _FLOAT)
                start, end = period(prog, rule, n, idx)
            results.append(
                ProgramResult(
                    prog, ctx, ctx.uses, rule, n, idx, hh_rows, ben_rows, amount, start, end, failed
                )
            )
    return results
