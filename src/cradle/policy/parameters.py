"""Dated, cited parameters: each value has a start date, the document and clause it comes from, and whether
its text has been checked against a loaded document (`verified`).

A value of `null` means the document leaves the figure to a lower level ("标准由各县区自行核定"): the engine
reports such an entitlement with no amount and a note, never a made-up figure.

A parameter's dated history is the release's values (the pack's parameters.yaml) with the values officials
published on the parameter desk laid over them (`republish`, called by `cradle.policy.published`): a published
value carries its `Publication` (which office published it, when, under which 文号).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from cradle.policy.errors import PackError

_UNSEEN = object()
_DAY = np.dtype("datetime64[D]")
LEVEL_NAMES = {"national": "国家", "province": "省", "city": "市", "county": "县区", "employer": "用人单位"}


@dataclass(frozen=True)
class Publication:
    """Where a value published on the desk comes from (`cradle.params`)."""

    proposal: int  # the desk's proposal number
    office: str  # the jurisdiction whose officials published it, e.g. 陆河县
    published_at: dt.datetime
    doc_number: str  # the evidence's 文号 ("" for a document without one)
    end: dt.date | None = None  # the last day it was published for (None: until a newer value)


@dataclass(frozen=True)
class Value:
    start: dt.date
    value: float | dt.date | None  # a number, or a date for cut-offs ("2024年1月1日以后")
    document: str
    clause: str
    verified: bool
    note: str = ""
    set_by: str | None = None  # who sets a value the document leaves open: county, city, employer
    published: Publication | None = None  # None: the value came with the release


@dataclass(frozen=True)
class Published:
    """One value published on the desk for a parameter: for the parameter itself (`region` None) or for one
    county's own value (`region`, the parameter's `by_region`)."""

    parameter: str
    region: str | None
    value: Value


class _Timeline:
    """One dated series of values, with the arrays the engine reads; replaced whole, never changed, so a reader
    in another thread sees either the old series or the new one."""

    __slots__ = ("values", "starts", "array", "is_date", "cache", "rows", "entries")

    def __init__(self, values: list[Value]):
        self.values = sorted(values, key=lambda v: v.start)
        self.starts = np.array([v.start for v in self.values], dtype="datetime64[D]")
        self.is_date = any(isinstance(v.value, dt.date) for v in self.values)
        if self.is_date:
            self.array = np.array(
                [np.datetime64("NaT", "D") if v.value is None else v.value for v in self.values],
                dtype="datetime64[D]",
            )
        else:
            self.array = np.array([np.nan if v.value is None else v.value for v in self.values], dtype=float)
        self.cache: dict = {}
        self.rows: dict = {}  # date -> the value in force as a one-row array (one household's one birth)
        self.entries: dict = {}  # date (or datetime64) -> the Value in force, as `entry_on` found it

    @property
    def missing(self):
        return np.datetime64("NaT", "D") if self.is_date else np.nan

    def entry(self, on: dt.date) -> Value | None:
        found = None
        for v in self.values:
            if v.start <= on:
                found = v
        return found

    def entry_on(self, on: dt.date | np.datetime64) -> Value | None:
        """`entry` of a date or a datetime64 (None for NaT), remembered: an explanation asks the same few dates
        (the as-of date, a birth's) for every entitlement."""
        found = self.entries.get(on, _UNSEEN)
        if found is _UNSEEN:
            day = on
            if isinstance(on, np.datetime64):
                day = None if np.isnat(on) else on.astype("datetime64[D]").item()
            found = None if day is None else self.entry(day)
            if len(self.entries) >= 10_000:  # dates of a whole population's births: start again
                self.entries.clear()
            self.entries[on] = found
        return found

    def at(self, on) -> np.ndarray | float:
        # A datetime64 key is found at once when it is the very object stored (the engine passes one object
        # per as-of date); an equal but other object costs a NumPy comparison, several times the lookup.
        kind = type(on)
        if kind is np.datetime64:  # the as-of date, already looked up: the value remembered for it
            cached = self.cache.get(on)
            if cached is not None:
                return cached
        # one date: the usual case (the as-of date), looked up once and remembered
        if (on.ndim if kind is np.ndarray else np.ndim(on)) == 0:
            # kept under the object asked with when it is a day already (a dict keeps the first key stored)
            key = on if type(on) is np.datetime64 and on.dtype == _DAY else np.datetime64(on, "D")
            cached = self.cache.get(key)
            if cached is None:
                if key != key:  # NaT (unequal to itself, so never found again in the cache): no value
                    return self.missing
                idx = int(np.searchsorted(self.starts, key, side="right")) - 1
                if idx < 0:
                    cached = self.missing
                else:
                    cached = self.array[idx] if self.is_date else float(self.array[idx])
                self.cache[key] = cached
            return cached
        on = np.asarray(on, dtype=_DAY)
        if on.size == 1:  # one household's one birth: the scalar path, a copy of the row remembered for it
            day = on.item()  # a date (None for NaT), a quick key
            row = self.rows.get(day)
            if row is None:
                row = np.full(1, self.at(on.reshape(())), dtype=self.array.dtype)
                if day is not None and len(self.rows) < 10_000:
                    self.rows[day] = row
            return row.reshape(on.shape).copy()
        idx = np.searchsorted(self.starts, on, side="right") - 1
        return np.where(idx >= 0, self.array[np.maximum(idx, 0)], self.missing)


class _History:
    """A parameter's values and its counties' own values, swapped as one object."""

    __slots__ = ("own", "regions", "by_code")

    def __init__(self, values: list[Value], by_region: dict[str, list[Value]]):
        self.own = _Timeline(values)
        self.regions = {code: _Timeline(vs) for code, vs in by_region.items()}
        self.by_code = {int(code): t for code, t in self.regions.items()}  # the same, by integer code


class Parameter:
    """`<pack>.<key>`: its dated values and the per-county values of a figure each county sets."""

    def __init__(
        self,
        name: str,  # "<pack>.<key>", e.g. zibo.nursery_fee_subsidy.second_child
        description: str,
        unit: str,
        values: list[Value],
        by_region: dict[str, list[Value]] | None = None,
        *,
        per_region: bool | None = None,
    ):
        self.name, self.description, self.unit = name, description, unit
        # the release's history, kept so that published values are always laid over it afresh
        self.release = (sorted(values, key=lambda v: v.start), dict(by_region or {}))
        # whether the pack reads a county's own value (its parameters.yaml declares `by_region`)
        self.per_region = bool(by_region) if per_region is None else per_region
        self._history = _History(*self.release)

    def __repr__(self) -> str:
        return f"Parameter({self.name!r})"

    @property
    def values(self) -> list[Value]:
        """The dated values, sorted by start (the release's, with published ones laid over)."""
        return self._history.own.values

    @property
    def by_region(self) -> dict[str, list[Value]]:
        """A county's own dated values, by county code."""
        return {code: t.values for code, t in self._history.regions.items()}

    @property
    def is_date(self) -> bool:
        return self._history.own.is_date

    @property
    def _missing(self):
        return self._history.own.missing

    def republish(self, published: list[Published]) -> None:
        """The release's history with `published` (this parameter's, oldest publication first) laid over it.
        A county's own series starts from the release's values for it, or else from the parameter's own."""
        release_values, release_regions = self.release
        own = _laid_over(release_values, [p.value for p in published if p.region is None])
        regions = dict(release_regions)
        for code in dict.fromkeys(p.region for p in published if p.region is not None):
            base = release_regions.get(code) or own
            regions[code] = _laid_over(base, [p.value for p in published if p.region == code])
        self._history = _History(own, regions)

    def entry(self, on: dt.date | np.datetime64, region: str | None = None) -> Value | None:
        """The value in force on `on` (a county's own value first), or None before the first start."""
        history = self._history
        timeline = history.regions.get(region, history.own) if region else history.own
        return timeline.entry_on(on)

    def at(self, on) -> np.ndarray | float:
        """Vectorised value on each date of `on` (NaN before the first start or where the value is null)."""
        return self._history.own.at(on)

    def at_regions(self, on, regions: np.ndarray) -> np.ndarray:
        """Per-row values where rows carry their own region code (int array); region entries override."""
        history = self._history
        dtype = history.own.array.dtype
        if not history.regions:  # one timeline for every region: its value, a read-only view over the rows
            return np.broadcast_to(np.asarray(history.own.at(on), dtype=dtype), regions.shape)
        if regions.size > 64 and regions.ndim == 1 and (regions == regions[0]).all():
            # one county's rows (a batch partition): its own entry, or the general one (a read-only view)
            timeline = history.by_code.get(int(regions[0]), history.own)
            return np.broadcast_to(np.asarray(timeline.at(on), dtype=dtype), regions.shape)
        base = np.broadcast_to(np.asarray(history.own.at(on), dtype=dtype), regions.shape).copy()
        if regions.size <= 64:  # a household's members: only the codes they carry
            codes = [(c, history.by_code[c]) for c in set(regions.ravel().tolist()) if c in history.by_code]
        else:
            codes = [(int(c), t) for c, t in history.regions.items()]
        for code, timeline in codes:
            rows = regions == code
            if rows.any():
                base[rows] = np.broadcast_to(timeline.at(on), regions.shape)[rows]
        return base


def _laid_over(base: list[Value], published: list[Value]) -> list[Value]:
    """`published` (oldest publication first) laid over the dated series `base`: each holds from its start (to
    its last day, when it has one, after which the value the series had then holds again); a later
    publication wins where two cover the same days."""
    series = sorted(base, key=lambda v: v.start)
    for value in published:
        end = value.published.end if value.published else None
        after = end + dt.timedelta(days=1) if end else None
        resumes = _entry_on(series, after) if after else None
        series = [
            v
            for v in series
            if not (v.start == value.start or (after is not None and value.start < v.start < after))
        ]
        series.append(value)
        if resumes is not None and all(v.start != after for v in series):
            series.append(replace(resumes, start=after))
        series.sort(key=lambda v: v.start)
    return series


def _entry_on(series: list[Value], on: dt.date) -> Value | None:
    found = None
    for v in series:
        if v.start <= on:
            found = v
    return found


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
            per_region="by_region" in spec,
        )
    return params


@dataclass(frozen=True)
class Snapshot:
    """What the parameter desk has published, as read from the database at one `version`: the values (oldest
    publication first), the documents registered there, and their located clauses."""

    version: int | None  # None: no desk in this database (not created, or not migrated yet)
    values: tuple[Published, ...] = ()
    documents: dict = field(default_factory=dict)  # key -> documents.DocumentInfo
    clauses: dict = field(default_factory=dict)  # (key, clause) -> documents.Clause
