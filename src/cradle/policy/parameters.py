"""Dated, cited parameters: each value has a start date, the document and clause it comes from, and whether
its text has been checked against a loaded document (`verified`).

A value of `null` means the document leaves the figure to a lower level ("标准由各县区自行核定"): the engine
reports such an entitlement with no amount and a note, never a made-up figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from cradle.policy.errors import PackError

LEVEL_NAMES = {"national": "国家", "province": "省", "city": "市", "county": "县区", "employer": "用人单位"}


@dataclass(frozen=True)
class Value:
    start: dt.date
    value: float | dt.date | None  # a number, or a date for cut-offs ("2024年1月1日以后")
    document: str
    clause: str
    verified: bool
    note: str = ""
    set_by: str | None = None  # who sets a value the document leaves open: county, city, employer


@dataclass
class Parameter:
    name: str  # "<pack>.<key>", e.g. zibo.nursery_fee_subsidy.second_child
    description: str
    unit: str
    values: list[Value]  # sorted by start
    by_region: dict[str, list[Value]] = field(default_factory=dict)  # a county's own values
    _starts: np.ndarray = field(init=False, repr=False)
    _values: np.ndarray = field(init=False, repr=False)
    _scalar_cache: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.values.sort(key=lambda v: v.start)
        self._starts = np.array([v.start for v in self.values], dtype="datetime64[D]")
        if self.is_date:
            self._values = np.array(
                [np.datetime64("NaT", "D") if v.value is None else v.value for v in self.values],
                dtype="datetime64[D]",
            )
        else:
            self._values = np.array(
                [np.nan if v.value is None else v.value for v in self.values], dtype=float
            )

    @property
    def is_date(self) -> bool:
        return any(isinstance(v.value, dt.date) for v in self.values)

    @property
    def _missing(self):
        return np.datetime64("NaT", "D") if self.is_date else np.nan

    def entry(self, on: dt.date | np.datetime64, region: str | None = None) -> Value | None:
        """The value in force on `on` (a county's own value first), or None before the first start."""
        values = self.by_region.get(region, self.values) if region else self.values
        if isinstance(on, np.datetime64):
            if np.isnat(on):
                return None
            on = on.astype("datetime64[D]").item()
        found = None
        for v in values:
            if v.start <= on:
                found = v
        return found

    def at(self, on) -> np.ndarray | float:
        """Vectorised value on each date of `on` (NaN before the first start or where the value is null)."""
        if np.ndim(on) == 0:  # one date: the usual case (the as-of date), looked up once and remembered
            key = np.datetime64(on, "D")
            cached = self._scalar_cache.get(key)
            if cached is None:
                idx = int(np.searchsorted(self._starts, key, side="right")) - 1
                if idx < 0:
                    cached = self._missing
                else:
                    cached = self._values[idx] if self.is_date else float(self._values[idx])
                self._scalar_cache[key] = cached
            return cached
        on = np.asarray(on, dtype="datetime64[D]")
        if on.size == 1:  # one household's one birth: the scalar path, kept as an array
            return np.full(on.shape, self.at(on.reshape(())), dtype=self._values.dtype)
        idx = np.searchsorted(self._starts, on, side="right") - 1
        return np.where(idx >= 0, self._values[np.maximum(idx, 0)], self._missing)

    def at_regions(self, on, regions: np.ndarray) -> np.ndarray:
        """Per-row values where rows carry their own region code (int array); region entries override."""
        base = np.broadcast_to(np.asarray(self.at(on), dtype=self._values.dtype), regions.shape).copy()
        for code, values in self.by_region.items():
            rows = regions == int(code)
            if rows.any():
                sub = Parameter(self.name, self.description, self.unit, list(values))
                base[rows] = np.broadcast_to(sub.at(on), regions.shape)[rows]
        return base


def _value(raw: dict, where: str, default_document: str) -> Value:
    unknown = set(raw) - {"start", "value", "document", "clause", "verified", "note", "set_by"}
    if unknown:
        raise PackError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("start", "clause", "verified"):
        if key not in raw:
            raise PackError(f"{where}: missing '{key}'")
    start = raw["start"]
    if isinstance(start, str):
        start = dt.date.fromisoformat(start)
    if not isinstance(start, dt.date):
        raise PackError(f"{where}.start: not a date: {start!r}")
    value = raw.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | dt.date)):
        raise PackError(f"{where}.value: not a number or a date: {value!r}")
    if value is None and not raw.get("set_by"):
        raise PackError(f"{where}: a null value must say who sets it (set_by)")
    if not isinstance(raw["verified"], bool):
        raise PackError(f"{where}.verified: must be true or false")
    return Value(
        start=start,
        value=value,
        document=str(raw.get("document", default_document)),
        clause=str(raw["clause"]),
        verified=raw["verified"],
        note=str(raw.get("note", "")),
        set_by=raw.get("set_by"),
    )


def load_parameters(pack_id: str, raw: dict, default_document: str, source: str) -> dict[str, Parameter]:
    """Validates a pack's parameters.yaml mapping; errors name the file and the parameter."""
    params: dict[str, Parameter] = {}
    for key, spec in (raw or {}).items():
        where = f"{source}: {key}"
        if not isinstance(spec, dict):
            raise PackError(f"{where}: must be a mapping")
        unknown = set(spec) - {"description", "unit", "values", "by_region"}
        if unknown:
            raise PackError(f"{where}: unknown keys {sorted(unknown)}")
        if not spec.get("values"):
            raise PackError(f"{where}: no values")
        values = [_value(v, f"{where}.values[{i}]", default_document) for i, v in enumerate(spec["values"])]
        kinds = {isinstance(v.value, dt.date) for v in values if v.value is not None}
        if len(kinds) > 1:
            raise PackError(f"{where}: values mix numbers and dates")
        by_region = {
            str(code): [
                _value(v, f"{where}.by_region.{code}[{i}]", default_document) for i, v in enumerate(vs)
            ]
            for code, vs in (spec.get("by_region") or {}).items()
        }
        name = f"{pack_id}.{key}"
        params[name] = Parameter(
            name=name,
            description=str(spec.get("description", "")),
            unit=str(spec.get("unit", "")),
            values=values,
            by_region=by_region,
        )
    return params
