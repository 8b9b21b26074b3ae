"""How a program is written: a small function from a context of columns to a Rule.

    @program(id="zibo.nursery_fee_subsidy", title="保育费补助", entity="person",
             kind="cash", unit="CNY/month", clause="二（四）2")
    def nursery_fee_subsidy(c: Ctx) -> Rule:
        p = c.persons
        end = add_years(p.birth_date, 3)
        return Rule(
            conditions=[("是子女", c.is_child), ("第二孩及以上", c.birth_order >= 2), ...],
            amount=np.where(c.birth_order >= 3, c.param("nursery_fee_subsidy.third"), c.param(...second)),
            start=p.birth_date, end=end,
            facts={"birth_order": c.birth_order},
            explanation="第{birth_order}孩在备案托育机构入托，每月{amount}元")

The same function serves one household and a whole province: every value is an array over the entity's rows
(scalars broadcast). Conditions are checked in order; the first that fails is the reason `--explain` gives.

When a program is in force is declared, not written as a condition (as OpenFisca dates its formulas and ends a
variable with `end`): `in_force="nursery_fee_subsidy.second_child"` (from that parameter's first dated entry)
or `in_force=("2023-09-20", None)` (first and last day; None: open). The engine then puts the condition
“方案已施行（2023-09-20起）” before the formula's own and starts no period before that day (see engine.evaluate).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cradle.policy import dates
from cradle.policy.parameters import Parameter
from cradle.policy.population import (
    CARE,
    DIAGNOSIS,
    EMPLOYMENT,
    INSURANCE,
    RELATION,
    SOCIAL_INSURANCE,
    newborns,
)

_DAY = np.dtype("datetime64[D]")
ENTITIES = ("person", "household", "birth", "newborn", "facility")
# The event dates a program may be judged on instead of the as-of date (`in_force_on`), and how the in-force
# condition names them. A birth program is judged on its birth's date unless it says "as_of".
EVENT_DATES = {
    ("birth", "date"): "生育时",
    ("newborn", "date"): "出生时",
    ("household", "purchase_date"): "购房时",
    ("person", "marriage_date"): "结婚时",
}
KINDS = ("cash", "reimbursement", "deduction", "waiver", "leave", "priority", "service", "deadline")
UNITS = ("CNY", "CNY/month", "CNY/year", "days", "days/year", "percent", "date", None)


@dataclass(frozen=True)
class Citation:
    document: str
    clause: str

    def as_dict(self) -> dict:
        return {"document": self.document, "clause": self.clause}


@dataclass(frozen=True)
class PackDocument:
    """A pack's document named through the pack, never by its file name: `pack_document("luhe")` in
    `citations=[(pack_document("luhe"), "促进福利待遇健全完善")]`. The loader puts the file of the pack's
    first document in its place; the clause must be located in some pack's clauses.yaml (usually that pack's)."""

    pack: str


def pack_document(pack_id: str) -> PackDocument:
    """The document of pack `pack_id` (its first), to cite a clause of another pack's document, or of the
    pack's own document besides the program's `clause`."""
    return PackDocument(pack_id)


@dataclass
class Rule:
    # (label in Chinese, bool array or scalar, or a function of rows), checked in order. A function is called
    # with the rows where every earlier condition holds (an int array, ascending, each row once) and gives its
    # values there: a condition that costs work is then computed only for the rows still qualifying (a batch's
    # few candidates, not its millions of persons). It reads nothing the explanation needs: parameters are read
    # in the formula.
    conditions: list[tuple[str, Any]]
    explanation: str  # str.format template over the row: entity columns, `facts`, amount, start, end
    amount: Any = (
        None  # float array/scalar (NaN: left to a lower level); datetime64 for deadlines; None: no amount
    )
    start: Any = None  # datetime64 array/scalar, or a function of the eligible rows giving their days
    end: Any = None
    # Extra per-row values named in the explanation. A value may be a function of no arguments, called only when
    # a sentence is written: facts that cost work (texts per row, month counts) cost a batch run nothing.
    facts: dict[str, Any] = field(default_factory=dict)
    note: str | None = None  # a fixed note, e.g. "encouraged" for leave an employer may grant, "at least"
    encouraged: bool = False  # the document only encourages it (鼓励), when the note says something else
    beneficiary: Any = None  # person rows; default: the person, the birth's mother, or the household (-1)


@dataclass
class Program:
    id: str
    title: str
    entity: str
    kind: str
    unit: str | None
    formula: Callable[[Ctx], Rule]
    citations: list[Citation]
    clause: str | None  # resolved against the pack's document when the pack loads
    description: str = ""
    in_force: str | tuple | None = None  # a parameter key or (first day, last day or None), as declared
    in_force_on: str | None = None  # the entity's date column it is judged on; None: the as-of date
    # Gates (cradle.policy.gates) each row needs to pass some of: when one lets no row through, the engine may
    # skip the formula (only the eligible rows wanted)
    requires: tuple[Callable[[Ctx], bool], ...] = ()
    pack: Any = None  # the Pack, set by the loader
    # Set by the loader from `in_force`: the first and last day (NaT: open) and the condition's label.
    in_force_from: np.datetime64 = dates.NAT
    in_force_until: np.datetime64 = dates.NAT
    in_force_label: str = ""
    # The engine's (`engine._kept`): whether in force on each as-of date asked (date -> (first day, last day,
    # held)), on the day of one household's event (("day", dtype, day) -> the same), and whether its periods start
    # at its first day ("starts_from")
    held_on: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def jurisdiction(self) -> str:
        return self.pack.region if self.pack else "cn"

    @property
    def draft(self) -> bool:
        """The entitlement comes from a draft for comment (征求意见稿): the clause is in the pack's own document
        and that document is a draft."""
        documents = self.pack.documents if self.pack else []
        return self.clause is not None and bool(documents) and "draft" in documents[0].status


def program(
    *,
    id: str,
    title: str,
    entity: str,
    kind: str,
    unit: str | None,
    clause: str | None = None,
    citations: list[tuple[str | PackDocument, str]] | None = None,
    description: str = "",
    in_force: str | tuple[str, str | None] | None = None,
    in_force_on: str | None = None,
    requires: Callable[[Ctx], bool] | tuple[Callable[[Ctx], bool], ...] = (),
) -> Callable:
    """Marks a formula as a program; the pack loader collects the marked functions of programs.py.

    `in_force`: when the program is in force, a parameter key or (first day, last day or None); `in_force_on`:
    "as_of" or an event date column of the entity (EVENT_DATES) to judge it on, instead of the default (a
    birth's date for birth programs, the as-of date otherwise). `requires`: a gate or gates (cradle.policy.gates)
    that prove from a few columns that no row can qualify, so the formula need not run."""
    if entity not in ENTITIES:
        raise ValueError(f"{id}: entity must be one of {ENTITIES}")
    if kind not in KINDS:
        raise ValueError(f"{id}: kind must be one of {KINDS}")
    if unit not in UNITS:
        raise ValueError(f"{id}: unit must be one of {UNITS}")
    if in_force_on is None and in_force is not None and entity in ("birth", "newborn"):
        in_force_on = "date"
    if in_force_on == "as_of":
        in_force_on = None
    if in_force_on is not None and ((entity, in_force_on) not in EVENT_DATES or in_force is None):
        raise ValueError(f"{id}: in_force_on must be 'as_of' or one of {sorted(EVENT_DATES)}, with in_force")

    def mark(fn: Callable[[Ctx], Rule]) -> Callable[[Ctx], Rule]:
        fn._cradle_program = Program(
            id=id,
            title=title,
            entity=entity,
            kind=kind,
            unit=unit,
            formula=fn,
            clause=clause,
            citations=[Citation(d, c) for d, c in (citations or [])],
            description=description or (fn.__doc__ or ""),
            in_force=in_force,
            in_force_on=in_force_on,
            requires=requires if isinstance(requires, tuple) else (requires,),
        )
        return fn

    return mark


_UNSET = object()
_FEW = 16  # rows (one household's members or births) computed in Python rather than through NumPy's calls
_NO_ORDER = int(np.iinfo(np.int64).max)
_MANY = 4096  # rows from which a population's derivations take the batch's ways (sorted runs, kept masks)
CODE_TABLE = 1_000_000  # GB/T 2260 codes have six digits: a flag per possible code


def codes_tabled(codes: np.ndarray) -> bool:
    """Whether many jurisdiction codes are best handled through a flag per possible code (`CODE_TABLE`)."""
    return len(codes) >= _MANY and codes.dtype.kind in "iu" and codes.min() >= 0 and codes.max() < CODE_TABLE


def distinct_codes(codes: np.ndarray, tabled: bool | None = None) -> np.ndarray:
    """`np.unique(codes)` of jurisdiction codes. Many are flagged in a table and read back in order: a tenth of
    the time of np.unique's hashing for 300,000 households. `tabled`: `codes_tabled(codes)`, when known."""
    if not (codes_tabled(codes) if tabled is None else tabled):
        return np.unique(codes)
    present = np.zeros(CODE_TABLE, dtype=bool)
    present[codes] = True
    return np.flatnonzero(present).astype(codes.dtype, copy=False)


def _small_age(birth: np.ndarray, on: np.datetime64) -> np.ndarray | None:
    """dates.age of a few persons, in Python (None when a day is not a date of the calendar's years)."""
    if birth.dtype != _DAY:
        return None
    today = on.item()
    days = birth.tolist()
    if type(today) is not dt.date or not all(d is None or type(d) is dt.date for d in days):
        return None
    return np.array(
        [
            -1 if d is None else today.year - d.year - ((today.month, today.day) < (d.month, d.day))
            for d in days
        ],
        dtype=np.int64,
    )


def _small_add_years(birth: np.ndarray, years: int) -> np.ndarray | None:
    """dates.add_years of a few days, in Python: the same day `years` later, clamped to the month's end (None
    when a day or its result is not a date of the calendar's years)."""
    if birth.dtype != _DAY:
        return None
    out = []
    for d in birth.tolist():
        if d is None:
            out.append(None)
            continue
        if type(d) is not dt.date or not 1 <= d.year + years <= 9999:
            return None
        try:
            out.append(d.replace(year=d.year + years))
        except ValueError:  # 29 February into a year without one: the month's end
            year = d.year + years
            out.append(d.replace(year=year, day=calendar.monthrange(year, d.month)[1]))
    # as day numbers: several times quicker than NumPy's conversion of each date object
    return np.array(
        [_NAT_DAY if d is None else d.toordinal() - _EPOCH_ORDINAL for d in out], dtype=np.int64
    ).view(_DAY)


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # day 0 of datetime64[D]
_NAT_DAY = np.iinfo(np.int64).min  # NaT's day number


_BIG = float(np.finfo(np.float64).max)
_FLOAT = np.dtype(np.float64)


def _filled(n: int, value: float) -> np.ndarray:
    """`np.full(n, value)` of a Python float, without its Python steps (a few times quicker for a few rows)."""
    out = np.empty(n, dtype=_FLOAT)
    out.fill(value)
    return out


def nan_to_num(x, nan: float = 0.0):
    """`np.nan_to_num(x, nan=nan)`, without its generic steps for the usual cases: a figure (as a NumPy
    float, as NumPy gives it) or a float column. Infinities, other kinds and shapes go to NumPy's."""
    kind = type(x)
    if kind is float or kind is np.float64:
        if x != x:
            return np.float64(nan)
        if -_BIG <= x <= _BIG:
            return np.float64(x)
    elif kind is np.ndarray and x.ndim == 1 and x.dtype == np.float64:
        out = x.copy()
        np.copyto(out, nan, where=np.isnan(out))
        if not np.isinf(out).any():
            return out
    return np.nan_to_num(x, nan=nan)


# Per pack's parameters: what each key a formula names resolves to (`key` or `<pack>.<key>`, None when
# neither is defined), found once per pack rather than once per household.
_RESOLVED: dict[tuple[int, str], tuple[dict, dict]] = {}


def _resolved(parameters: dict, pack_id: str) -> dict:
    found = _RESOLVED.get((id(parameters), pack_id))
    if found is None or found[0] is not parameters:
        if len(_RESOLVED) >= 256:  # packs loaded again and again (tests): start afresh
            _RESOLVED.clear()
        found = _RESOLVED[(id(parameters), pack_id)] = (parameters, {})
    return found[1]


class shared_property:  # noqa: N801 (used like functools.cached_property)
    """A derivation computed once and kept in the context's shared store (see Ctx.__init__). `per` says what
    its rows are ("person" or "household"): a pack's sub-population then cuts it from the whole population's
    store when that already holds it, instead of computing it again. None: values that cannot be cut (person
    row numbers)."""

    def __init__(self, fn: Callable, per: str | None = "person"):
        self.fn, self.name, self.per, self.__doc__ = fn, fn.__name__, per, fn.__doc__

    def __get__(self, ctx, owner=None):
        if ctx is None:
            return self
        store = ctx._shared
        value = store.get(self.name, _UNSET)
        if value is _UNSET:
            whole = ctx._whole
            if self.per is not None and whole is not None and self.name in whole[0]:
                value = whole[0][self.name][whole[1] if self.per == "person" else whole[2]]
            else:
                value = self.fn(ctx)
            store[self.name] = value
        ctx.__dict__[self.name] = value  # later reads in this context skip the descriptor
        return value


def _per_household(fn: Callable) -> shared_property:
    return shared_property(fn, per="household")


def _uncut(fn: Callable) -> shared_property:
    return shared_property(fn, per=None)


class Columns:
    """Attribute access to an entity's arrays: `c.persons.birth_date`. A column is read from the mapping when
    first asked for, so a sub-population's columns (population.TakenColumns) are cut only if a formula reads
    them."""

    def __init__(self, arrays: Mapping[str, np.ndarray]):
        self._arrays = arrays
        self._n = len(arrays[next(iter(arrays))]) if arrays else 0
        if type(arrays) is dict:  # nothing to cut: every column an attribute at once (a first read through
            self.__dict__.update(arrays)  # __getattr__ costs Python an AttributeError raised and caught)

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self._arrays[name]
        except KeyError:
            raise AttributeError(name) from None
        setattr(self, name, value)
        return value

    def __contains__(self, name: str) -> bool:
        return name in self._arrays

    def __len__(self) -> int:
        return self._n


_NO_FACILITIES = Columns({})  # a context over households (no columns to read, so one serves every context)


@dataclass
class ParamUse:
    parameter: Parameter
    on: Any  # datetime64 scalar or per-row array
    regions: np.ndarray | None
    # a layer's figure (Ctx.layered): the jurisdictions it was read for; None: every row
    codes: tuple[int, ...] | None = None


class Ctx:
    """What a formula sees: the entities' columns as of a date, the pack's parameters, and shared derivations."""

    RELATION = RELATION
    EMPLOYMENT = EMPLOYMENT
    INSURANCE = INSURANCE
    CARE = CARE
    SOCIAL_INSURANCE = SOCIAL_INSURANCE
    DIAGNOSIS = DIAGNOSIS

    def __init__(
        self,
        persons: dict,
        households: dict,
        births: dict,
        as_of: np.datetime64,
        parameters: dict[str, Parameter],
        pack_id: str,
        facilities: dict | None = None,
        overrides: dict[str, float | None] | None = None,
        shared: dict | None = None,
        whole: tuple[dict, np.ndarray, np.ndarray] | None = None,
        region: str = "cn",
        *,
        layer: Callable[[str, int], Parameter | None],
    ):
        # Derivations (ages, child counts, birthdays, national leave days) depend only on the population, the
        # date and the overrides, so every pack's context over the same population shares them, and the
        # columns' accessors too.
        self._shared = {} if shared is None else shared
        kept = self._shared.get("columns")
        if kept is not None and kept[0] is persons and kept[1] is households and kept[2] is births:
            self.persons, self.households, self.births = kept[3]
        else:
            self.persons, self.households, self.births = (
                Columns(persons),
                Columns(households),
                Columns(births),
            )
            self._shared["columns"] = (
                persons,
                households,
                births,
                (self.persons, self.households, self.births),
            )
        self.facilities = _NO_FACILITIES if not facilities else Columns(facilities)
        self.as_of = as_of
        self._parameters = parameters
        self._pack_id = pack_id
        self.region = region  # the pack's GB/T 2260 code, "cn" for the national layer
        self._program: Program | None = None  # the program being evaluated, set by the engine
        self._overrides = overrides or {}
        self._code: int | None = None  # the household's jurisdiction code, when there is one household
        self._layer = layer  # `<pack>.<key>` of the most specific pack serving a region (the engine's packs)
        # A pack's sub-population: (the whole population's shared store, its person rows, its household rows).
        self._whole = whole
        self._keys = _resolved(parameters, pack_id)
        self._memo: dict = self._shared.setdefault("memo", {})
        self._birthdays: dict[int, np.ndarray] = self._shared.setdefault("birthdays", {})
        self._gates: dict = self._shared.setdefault("gates", {})
        self.uses: list[ParamUse] = []

    @property
    def program(self) -> Program | None:
        return self._program

    @program.setter
    def program(self, prog: Program | None) -> None:
        """Set by the engine before it runs `prog`'s formula. The parameter `prog` is in force from is read
        like any other (on the date each row is judged on): the in-force date is part of every answer, so its
        entry's `verified` flag and clause count in the explanation (a guessed start says 待核实)."""
        self._program = prog
        if prog is None or not isinstance(prog.in_force, str):
            return
        found = self._find(prog.in_force)
        if found is None:
            return
        on = self.as_of if prog.in_force_on is None else getattr(self.entity(prog.entity), prog.in_force_on)
        self.uses.append(ParamUse(found, on, None))

    def passes(self, gates: tuple[Callable[[Ctx], bool], ...]) -> bool:
        """Whether each of `gates` (cradle.policy.gates) lets some row of the population through: each gate is
        answered once per population, for every pack's context over it."""
        known = self._gates
        for gate in gates:
            ok = known.get(gate)
            if ok is None:
                ok = known[gate] = gate(self)
            if not ok:
                return False
        return True

    def entity(self, name: str) -> Columns:
        """The columns of an entity (ENTITIES) by name."""
        if name == "person":
            return self.persons
        if name == "birth":
            return self.births
        if name == "newborn":
            return self.newborns
        if name == "facility":
            return self.facilities
        return self.households

    # --- parameters ---------------------------------------------------------------------------------------

    def _find(self, key: str) -> Parameter | None:
        found = self._keys.get(key, _UNSET)
        if found is _UNSET:
            found = self._keys[key] = self._parameters.get(key) or self._parameters.get(
                f"{self._pack_id}.{key}"
            )
        return found

    def parameter(self, key: str) -> Parameter:
        found = self._find(key)
        if found is None:
            raise KeyError(f"unknown parameter {self._pack_id}.{key}")
        return found

    def memo(self, name: str, compute: Callable[[], Any], *, across_packs: bool = False) -> Any:
        """A derivation shared by several programs, computed once: within the pack, or across every pack
        when it reads only the population and layered figures (e.g. national leave days). The parameters it
        read are recorded again for each program that uses it."""
        key = name if across_packs else (self._pack_id, name)
        hit = self._memo.get(key)
        if hit is None:
            start = len(self.uses)
            value = compute()
            self._memo[key] = (value, self.uses[start:])
            return value
        self.uses.extend(hit[1])
        return hit[0]

    def has_param(self, key: str) -> bool:
        return self._find(key) is not None

    @property
    def in_force_from(self) -> np.datetime64:
        """The first day the program being evaluated is in force (NaT when it declares no `in_force`), for a
        formula whose facts need the period's start (the engine already starts the period no earlier)."""
        return self.program.in_force_from if self.program else dates.NAT

    def param(self, key: str, on=None, regions: np.ndarray | None = None):
        """The value in force `on` (default: the as-of date), per row when `on` or `regions` are arrays."""
        p = self._keys.get(key) or self.parameter(key)
        if on is None:
            on = self.as_of
        self.uses.append(ParamUse(p, on, regions))
        if self._overrides and p.name in self._overrides:  # what-if: a changed value replaces the dated one
            value = self._overrides[p.name]
            if value is None:
                return p._missing
            return np.datetime64(value, "D") if p.is_date else float(value)
        if regions is not None:
            return p.at_regions(on, regions)
        return p.at(on)

    def layered(self, key: str, on=None, hh: np.ndarray | None = None) -> np.ndarray:
        """`<pack>.<key>` from the most specific pack serving each household that defines it (county over
        city over province over national), NaN where none does. This is how a lower level replaces a higher
        level's figure, e.g. Guangdong's 30 days for dystocia instead of the national 15.

        Per household by default; with `hh` (the household row of each entity row, e.g. `c.births.hh`) per
        entity row, and then `on` may be a per-row date array (the law in force at each birth)."""
        on = self.as_of if on is None else on
        if len(self.households) == 1:  # one household (calc): one layer lookup, no masks
            code = self._code
            if code is None:
                code = self._code = int(self.households.jurisdiction[0])
            chosen = self._layer(key, code)
            n = 1 if hh is None else len(hh)
            if chosen is None:
                return _filled(n, np.nan)
            self.uses.append(ParamUse(chosen, on, None))
            if self._overrides and chosen.name in self._overrides:
                value = self._overrides[chosen.name]
                return np.full(n, np.nan if value is None else float(value))
            if (on.ndim if type(on) is np.ndarray else np.ndim(on)) == 0:
                value = chosen.at(on)
                return _filled(n, value) if type(value) is float else np.full(n, value)
            return np.asarray(chosen.at(on), dtype=float)
        every = self.households.jurisdiction
        distinct = self._distinct_codes(every)
        if hh is None:
            codes = every
        elif len(distinct) == 1 and len(hh):
            codes = None  # one county (a batch partition, usually): every row's code is that one
        else:
            codes = every[hh]
            distinct = distinct_codes(codes)
        out = np.full(len(every) if hh is None else len(hh), np.nan)
        # Counties that take the figure from the same layer (all of a province's, often) are filled at once.
        by_param: dict[str, tuple[Parameter, list[int]]] = {}
        for code in distinct:
            chosen = self._layer(key, int(code))
            if chosen is not None:
                by_param.setdefault(chosen.name, (chosen, []))[1].append(int(code))
        for chosen, members in by_param.values():
            if len(members) == len(distinct):  # every row takes the figure from this layer: no mask
                rows = slice(None)
            elif len(members) == 1:
                rows = codes == members[0]
            else:
                rows = np.isin(codes, members)
            self.uses.append(ParamUse(chosen, on, None, tuple(members)))
            if chosen.name in self._overrides:
                value = self._overrides[chosen.name]
                out[rows] = np.nan if value is None else float(value)
            elif np.ndim(on) == 0:
                out[rows] = chosen.at(on)
            else:
                out[rows] = chosen.at(np.asarray(on)[rows])
        return out

    def _distinct_codes(self, codes: np.ndarray) -> np.ndarray:
        """The distinct jurisdiction codes of the households, found once per context's population."""
        kept = self._shared.get("distinct_codes")
        if kept is None or kept[0] is not codes:
            one = len(codes) > _MANY and (codes == codes[0]).all()  # one county (a batch partition)
            kept = self._shared["distinct_codes"] = (
                codes,
                codes[:1].copy() if one else distinct_codes(codes),
            )
        return kept[1]

    # --- shared derivations (computed once per context) ---------------------------------------------------

    def to_persons(self, household_values):
        """A household column broadcast to its members."""
        values = np.asarray(household_values)
        if values.ndim == 1 and len(values) > _FEW:
            if len(values) > _MANY and values.dtype.kind in "biufM" and (values == values[0]).all():
                # one figure for every household (a layer's figure over a county's partition): no gather
                return np.full(len(self.persons.hh), values[0], dtype=values.dtype)
            return values.take(self.persons.hh)  # a gather of many rows: `take` is the quicker call
        return values[self.persons.hh]

    def of_household(self, household_values) -> Callable[[np.ndarray], np.ndarray]:
        """A household column as a condition on persons (Rule.conditions' function of rows): its value at
        the person rows asked for, gathered only for those."""
        values, hh = np.asarray(household_values), self.persons.hh

        def at(rows: np.ndarray) -> np.ndarray:
            # as many rows as persons are every person in order (Rule.conditions): their households at once
            return values.take(hh if len(rows) == len(hh) else hh.take(rows))  # `take`: the quicker gather

        return at

    def members_of(self, households: np.ndarray) -> np.ndarray:
        """The person rows (in order) of the households at rows `households` (distinct, in order)."""
        bounds = self._member_bounds
        if bounds is None:
            inside = np.zeros(len(self.households), dtype=bool)
            inside[households] = True
            return np.flatnonzero(inside[self.persons.hh])
        first = bounds[households]
        lengths = bounds[households + 1] - first
        ends = np.cumsum(lengths)
        return np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(first - (ends - lengths), lengths)

    def count_members(self, households: np.ndarray, holds: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """Per household row of `households` (repeats allowed): its members where `holds` (a function of person
        rows) holds. The same as `count_by_household(holds(every row))[households]`, computed only over those
        households' members when the persons are listed household by household."""
        bounds = self._member_bounds
        if bounds is None:
            return self.count_by_household(holds(np.arange(len(self.persons.hh))))[households]
        if len(households) > 1:
            # a household asked for again right after itself (both parents of one, as the candidates come in
            # person order): its members counted once, the count repeated
            new = np.empty(len(households), dtype=bool)
            new[0] = True
            np.not_equal(households[1:], households[:-1], out=new[1:])
            if not new.all():
                firsts = np.flatnonzero(new)
                counts = self.count_members(households[firsts], holds)
                return np.repeat(counts, np.diff(np.r_[firsts, len(households)]))
        first = bounds[households]
        lengths = bounds[households + 1] - first
        ends = np.cumsum(lengths)
        starts = ends - lengths
        members = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(first - starts, lengths)
        running = np.empty(len(members) + 1, dtype=np.int64)
        running[0] = 0
        np.cumsum(holds(members), dtype=np.int64, out=running[1:])
        return running[ends] - running[starts]

    def count_by_household(self, mask) -> np.ndarray:
        mask = np.asarray(mask, dtype=bool)
        bounds = self._member_bounds
        if bounds is None or mask.shape != (len(self.persons.hh),):
            return np.bincount(self.persons.hh[mask], minlength=len(self.households))
        # members listed household by household: a running count read at each household's bounds (several
        # times quicker than counting the rows that hold one by one)
        running = np.empty(len(mask) + 1, dtype=np.int64)
        running[0] = 0
        np.cumsum(mask, dtype=np.int64, out=running[1:])
        return running[bounds[1:]] - running[bounds[:-1]]

    @_uncut
    def _member_bounds(self) -> np.ndarray | None:
        """Where each household's members start (and the last one ends) when the persons are listed household
        by household and there are many (a population, not one household); None otherwise."""
        hh = self.persons.hh
        if len(hh) <= _MANY or not bool((hh[1:] >= hh[:-1]).all()):
            return None
        bounds = np.zeros(len(self.households) + 1, dtype=np.int64)
        np.cumsum(np.bincount(hh, minlength=len(self.households)), out=bounds[1:])
        return bounds

    @shared_property
    def age(self) -> np.ndarray:
        birth = self.persons.birth_date
        if len(birth) <= _FEW and type(self.as_of) is np.datetime64:
            found = _small_age(birth, self.as_of)
            if found is not None:
                return found
        return dates.age(birth, self.as_of)

    @shared_property
    def is_child(self) -> np.ndarray:
        return self.persons.relation == RELATION["child"]

    @shared_property
    def is_parent(self) -> np.ndarray:
        r = self.persons.relation
        return (r == RELATION["mother"]) | (r == RELATION["father"])

    @shared_property
    def alive(self) -> np.ndarray:
        return ~self.persons.deceased

    @_per_household
    def n_children(self) -> np.ndarray:
        """Per household: living children."""
        return self.count_by_household(self.is_child & self.alive)

    @_per_household
    def n_minor_children(self) -> np.ndarray:
        """Per household: living children under 18 on the as-of date."""
        minor = np.less(self.age, 18)  # the mask built in place: one full-length array rather than three
        minor &= self.is_child
        minor &= self.alive
        return self.count_by_household(minor)

    @_per_household
    def max_birth_order(self) -> np.ndarray:
        """Per household: the highest birth order among its children (`birth_order`: every child the parents
        have had, living or not, and those not listed that a given order counts), 0 without children."""
        # The children alone (a third of the persons), and NumPy's unbuffered `maximum.at` over them (a fifth of
        # the time of counting them level by level); a child counts as order 1 at least
        kids = np.flatnonzero(self.is_child)
        out = np.zeros(len(self.households), dtype=np.int64)
        np.maximum.at(out, self.persons.hh[kids], np.maximum(self.birth_order[kids], 1))
        return out

    @shared_property
    def birth_order(self) -> np.ndarray:
        """Per person: the child's birth order, 0 for adults. The order given, else one more than the child
        born before it (given or counted; 1 for the eldest listed): children in birth-date order, those born on
        one day in the order listed. Every child listed counts, living or not (docs/packs.md, "Birth order");
        a given order counts the children not listed too, and parse_household refuses one that disagrees
        with the dates, so leaving the orders out of a household that lists every child changes nothing."""
        p = self.persons
        kids = np.flatnonzero(self.is_child)
        unknown = p.birth_order[kids] <= 0
        # the children's orders, 0 for adults: one multiplication (a where of int16 and a cast took four times as
        # long over a million persons)
        out = np.multiply(p.birth_order, self.is_child, dtype=np.int64)
        if not unknown.any():  # every child's order is given (the registry's usual case): nothing to count
            return out
        if not unknown.all():  # count only in households with a child of unknown order
            counted = np.zeros(len(self.households), dtype=bool)
            counted[p.hh[kids[unknown]]] = True
            kids = kids[counted[p.hh[kids]]]
        if len(kids):
            given = p.birth_order[kids].astype(np.int64)
            # per household: children by date, a given order before an unknown one on the same day
            order = np.lexsort((np.where(given > 0, given, 1 << 20), p.birth_date[kids], p.hh[kids]))
            kids, given, hh = kids[order], given[order], p.hh[kids[order]]
            starts = np.r_[0, np.flatnonzero(np.diff(hh)) + 1]
            lengths = np.diff(np.r_[starts, len(kids)])
            rank = np.arange(len(kids)) - np.repeat(starts, lengths) + 1
            # a child's order is its rank plus the most that a given order at or before it runs ahead of its
            # rank (the children not listed): a running maximum within each household
            ahead = np.where(given > 0, given - rank, 0)
            base = np.repeat(np.arange(len(starts), dtype=np.int64) * (1 << 24), lengths)
            ahead = np.maximum.accumulate(ahead + base) - base
            out[kids] = np.where(given > 0, given, rank + ahead)
        return out

    @_uncut
    def newborns(self) -> Columns:
        """A row per newborn of each delivery (the household's children born on a birth's date): `child` (its
        person row), `birth` (the delivery's row in `births`), `hh`, `date`, `mother`. The rows of entity
        "newborn" programs, which reach each child of twins."""
        b = self.births
        found = self._shared.get("newborn_rows")  # matched when the population's deliveries were read
        if found is not None:
            child, birth = found
        else:
            child, birth = newborns(self.persons.hh, self.persons.birth_date, self.is_child, b.hh, b.date)
        return Columns(
            {
                "child": child,
                "birth": birth,
                "hh": b.hh[birth],
                "date": b.date[birth],
                "mother": b.mother[birth],
            }
        )

    @_uncut
    def delivery_order(self) -> np.ndarray:
        """Per birth: the birth order of its first newborn (twins born second: 2; the other is 3), 0 when no
        newborn is listed. Per-delivery rules that turn on the order (extra leave, “生育第三孩”) read this, so a
        multiple birth counts as one birth within the policy."""
        n = self.newborns
        if len(self.births) <= _FEW:  # a household's births: the least order of each in Python
            least = [_NO_ORDER] * len(self.births)
            for birth, order in zip(n.birth.tolist(), self.birth_order[n.child].tolist(), strict=True):
                least[birth] = min(least[birth], order)
            return np.array([0 if v == _NO_ORDER else v for v in least], dtype=np.int64)
        out = np.full(len(self.births), _NO_ORDER, dtype=np.int64)
        np.minimum.at(out, n.birth, self.birth_order[n.child])
        return np.where(out == _NO_ORDER, 0, out)

    def _member_of(self, relation: str) -> np.ndarray:
        out = np.full(len(self.households), -1, dtype=np.int64)
        rows = np.flatnonzero(self.persons.relation == RELATION[relation])
        if self._member_bounds is not None and len(rows):  # listed household by household: each one's first
            hh = self.persons.hh[rows]
            first = np.empty(len(rows), dtype=bool)
            first[0] = True
            np.not_equal(hh[1:], hh[:-1], out=first[1:])
            out[hh[first]] = rows[first]
            return out
        out[self.persons.hh[rows[::-1]]] = rows[::-1]  # the first listed wins
        return out

    # Which parent: the first mother (father) listed in the household, as births' `mother` is chosen
    # (population.py). A household submitted for calc has at most one of each; registry data may list more.
    @_uncut
    def mother_of(self) -> np.ndarray:
        """Per household: the (first listed) mother's person row, -1 when none is listed."""
        return self._member_of("mother")

    @_uncut
    def father_of(self) -> np.ndarray:
        """Per household: the (first listed) father's person row, -1 when none is listed."""
        return self._member_of("father")

    def birthday(self, years) -> np.ndarray:
        """Per person: the date of the `years`-th birthday (clamped to month end: 29 Feb + 1 year = 28 Feb).
        Computed once per whole number of years, since several programs ask for the third birthday."""
        if type(years) is np.ndarray and years.ndim == 1 and len(years) > _MANY and years.dtype.kind == "f":
            first = years[0]
            if first == first and (years == first).all():  # one figure for every person (a county's layer)
                years = first
        if np.ndim(years) == 0:
            if np.isnan(years):
                return np.full(len(self.persons), dates.NAT)
            years = int(years)
            found = self._birthdays.get(years)
            if found is None:
                whole = self._whole[0].get("birthdays", {}).get(years) if self._whole else None
                if whole is not None:
                    found = whole[self._whole[1]]
                else:
                    birth = self.persons.birth_date
                    found = _small_add_years(birth, years) if len(birth) <= _FEW else None
                    if found is None:
                        found = dates.add_years(birth, years)
                self._birthdays[years] = found
            return found
        return dates.add_years(self.persons.birth_date, nan_to_num(years).astype(np.int64))

    def birthday_at(self, years) -> Callable[[np.ndarray], np.ndarray]:
        """`birthday(years)` as a function of person rows (a Rule's start or end): worked out at the eligible
        rows only, unless the whole column is at hand already."""
        birth = self.persons.birth_date

        def at(rows: np.ndarray) -> np.ndarray:
            if np.ndim(years) != 0:  # a figure per person
                return dates.add_years(birth[rows], nan_to_num(years[rows]).astype(np.int64))
            if np.isnan(years):
                return np.full(len(rows), dates.NAT)
            found = self._birthdays.get(int(years))
            return found[rows] if found is not None else dates.add_years(birth[rows], int(years))

        return at

    @_per_household
    def youngest_child_birth(self) -> np.ndarray:
        """Per household: the birth date of the youngest living child (NaT when there is none)."""
        p = self.persons
        days = np.where(
            self.is_child & self.alive & ~np.isnat(p.birth_date),
            p.birth_date.astype(np.int64),
            np.iinfo(np.int64).min,
        )
        out = np.full(len(self.households), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(out, p.hh, days)
        return np.where(out == np.iinfo(np.int64).min, np.datetime64("NaT", "D"), out.astype("datetime64[D]"))

    @shared_property
    def jurisdiction(self) -> np.ndarray:
        """Per person: the household's jurisdiction code (read, never written: one county's code for every
        household, as in a batch partition, is a read-only view of it rather than a column filled)."""
        codes = self.households.jurisdiction
        if len(codes) > _MANY and len(self._distinct_codes(codes)) == 1:
            return np.broadcast_to(codes[:1], (len(self.persons.hh),))
        return self.to_persons(codes)

    def within_pack(self, codes: np.ndarray | None = None, *, province: bool = False) -> np.ndarray:
        """Region codes (default: each person's hukou) inside the pack's own region, or with `province` inside
        the province it belongs to: a pack names its place through pack.yaml, never by a literal code."""
        if codes is None and len(self.persons) > _MANY:  # the persons' own hukou: worked out once per pack
            return self.memo(
                f"within_pack.{province}", lambda: self._within_pack(self.persons.hukou, province)
            )
        return self._within_pack(self.persons.hukou if codes is None else np.asarray(codes), province)

    def _within_pack(self, codes: np.ndarray, province: bool) -> np.ndarray:
        if self.region == "cn":
            return np.ones(codes.shape, dtype=bool)
        code = int(self.region)
        return self.hukou_within(code // 10000 * 10000 if province else code, codes)

    def hukou_within(self, code: int, hukou: np.ndarray | None = None) -> np.ndarray:
        """Hukou inside region `code` (a province, city or county code), by GB/T 2260 prefix."""
        hukou = self.persons.hukou if hukou is None else hukou
        if code % 10000 == 0:  # the codes of the province: code // 10000 * 10000 up to the next province's
            first, span = code // 10000 * 10000, 10000
        elif code % 100 == 0:
            first, span = code // 100 * 100, 100
        else:
            return hukou == code
        if np.size(hukou) <= _FEW:
            return hukou // span == first // span
        return (hukou >= first) & (hukou < first + span)  # as the division, without dividing every code
