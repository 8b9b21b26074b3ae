"""One source for each indicator: where the platform holds an indicator's data, the value is computed from it and
typed entry is closed.

A domain that holds the data of an indicator offers a :class:`Computation` for it from a module listed in
``COMPUTATION_MODULES`` (the module exposes ``COMPUTATIONS``, a list). Each computation says

- ``holds(ctx, region, year)``: whether the platform holds the data for that region (the registry has people
  there, the 托育 register has facilities there, the 妇幼 records have cases there);
- ``compute(ctx, region, year)``: ``(value, numerator, denominator)``, or None when the denominator is zero;
- ``source``: the data it reads, stored with every value as an entered value's source is.

Where a computation holds, `values.parse_entry` refuses a typed value for the indicator (naming
``indicator_id``) and `refresh.refresh` stores the computed one (method ``computed``). Computations share what
they load through :meth:`Context.once` (the registry's records are read once per refresh, not per indicator).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy.orm import Session

Result = tuple[float, float, float] | None
# The domains' modules with COMPUTATIONS, in order of precedence (one computation per indicator).
COMPUTATION_MODULES = [
    "cradle.monitoring.compute",  # the population registry: births, birth order, sex ratio, child mortality, TFR
    "cradle.monitoring.childcare_source",  # 托位 per 1000 and the 普惠 share from the filed facilities
]


@dataclass
class Context:
    """What the computations of one run share: the session, the day the data are read as of, and loads."""

    session: Session
    as_of: dt.date
    memo: dict = field(default_factory=dict)

    def once(self, key, load: Callable[[], object]):
        """``load()`` the first time ``key`` is asked for, the same object after that."""
        if key not in self.memo:
            self.memo[key] = load()
        return self.memo[key]


@dataclass(frozen=True)
class Computation:
    indicator: str
    source: str  # the data read, stored as the value's source (e.g. 全员人口数据库)
    compute: Callable[[Context, str, int], Result]
    holds: Callable[[Context, str, int], bool]
    department: str = "cradle"  # stored as the value's department: who computed it


@cache
def computations() -> dict[str, Computation]:
    """Every registered computation by indicator id (a second one for the same indicator is refused)."""
    out: dict[str, Computation] = {}
    for name in COMPUTATION_MODULES:
        for c in importlib.import_module(name).COMPUTATIONS:
            if c.indicator in out:
                raise ValueError(f"{name}: a second computation for {c.indicator!r}")
            out[c.indicator] = c
    return out


def context(session: Session, as_of: dt.date | None = None) -> Context:
    return Context(session, as_of or dt.date.today())


def computed_here(ctx: Context, indicator_id: str, region: str, year: int) -> Computation | None:
    """The computation that gives ``indicator_id`` for ``region`` in ``year``, or None (then it is entered)."""
    c = computations().get(indicator_id)
    return c if c is not None and c.holds(ctx, region, year) else None
