"""Where a batch reads households: a directory of the three Parquet tables (the batch layout of
`Population.from_frames`: households.parquet, persons.parquet, births.parquet) or the registry database.

A batch is cut into partitions of at most `max_households` households: whole counties together (in code
order) while they fit, and a county larger than that alone, split into household-id ranges. Reading a partition scans the tables lazily with a household-id range filter, which
Parquet row-group statistics turn into reading only the row groups that hold it when the tables are sorted by
household id (as `cradle batch-synth` writes them); unsorted tables are still read correctly, only slower.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cradle.batch.synth import TABLES, counties
from cradle.errors import N_, Invalid
from cradle.policy.dates import NAT
from cradle.policy.population import (
    BIRTH_COLUMNS,
    HOUSEHOLD_COLUMNS,
    OPTIONAL_HOUSEHOLD_COLUMNS,
    OPTIONAL_PERSON_COLUMNS,
    PERSON_COLUMNS,
    Population,
    deliveries,
    first_mothers,
)

REQUIRED = {
    "households": ["household_id", *(c for c in HOUSEHOLD_COLUMNS if c not in OPTIONAL_HOUSEHOLD_COLUMNS)],
    "persons": [
        "household_id",
        "person_id",
        *(c for c in PERSON_COLUMNS if c != "hh" and c not in OPTIONAL_PERSON_COLUMNS),
    ],
    "births": ["household_id", "child_id", *(c for c in BIRTH_COLUMNS if c not in ("hh", "child", "mother"))],
}


@dataclass(frozen=True)
class Partition:
    key: str  # "<first county>-<n>", also the part file's name
    counties: tuple[int, ...]
    lo: object  # household_id range, inclusive
    hi: object
    households: int


def check_layout(directory: Path) -> dict[str, Path]:
    """The three table paths; Invalid naming the missing file or column."""
    directory = Path(directory)
    if not directory.is_dir():
        raise Invalid(
            "--source",
            N_("%(directory)s is not a directory of households/persons/births.parquet"),
            directory=directory,
        )
    paths = {}
    for name in TABLES:
        path = directory / f"{name}.parquet"
        if not path.exists():
            raise Invalid("--source", N_("missing %(path)s"), path=path)
        have = set(pl.read_parquet_schema(path))
        missing = [c for c in REQUIRED[name] if c not in have]
        if missing:
            raise Invalid(
                "--source",
                N_("%(file)s: missing column(s) %(columns)s"),
                file=path.name,
                columns=", ".join(missing),
            )
        paths[name] = path
    return paths


def plan(directory: Path, region: str, max_households: int = 200_000) -> list[Partition]:
    """The partitions of the households of `region` (every county inside it), in county order."""
    paths = check_layout(directory)
    out: list[Partition] = []
    group: list[_County] = []  # small counties waiting to fill a partition

    def flush() -> None:
        if group:
            out.append(
                Partition(
                    f"{group[0].code}-0",
                    tuple(g.code for g in group),
                    min(g.lo for g in group),
                    max(g.hi for g in group),
                    sum(g.n for g in group),
                )
            )
            group.clear()

    for county in _counties(paths["households"], {int(c) for c in counties(region)}):
        if county.n > max_households:
            flush()
            ids = county.ids()
            for n, first in enumerate(range(0, len(ids), max_households)):
                piece = ids[first : first + max_households]
                out.append(
                    Partition(
                        f"{county.code}-{n}",
                        (county.code,),
                        _scalar(piece[0]),
                        _scalar(piece[-1]),
                        len(piece),
                    )
                )
            continue
        if sum(g.n for g in group) + county.n > max_households:
            flush()
        group.append(county)
    flush()
    return out


@dataclass
class _County:
    code: int
    n: int  # households
    lo: object  # household ids, smallest and largest
    hi: object
    ids: Callable[[], np.ndarray]  # its household ids in order (read only for a county to be split)


def _complete(stats) -> bool:
    return stats is not None and stats.has_min_max and stats.has_null_count and stats.null_count == 0


def _counties(path: Path, wanted: set[int]) -> list[_County]:
    """The counties of `wanted` among the households, in code order. A row group of one county (its
    jurisdiction's statistics say so, as in a table written county by county) is counted from its statistics
    without being read; the other row groups' two columns are read."""
    file = pq.ParquetFile(path)
    meta, schema = file.metadata, file.schema_arrow
    at_id, at_county = schema.get_field_index("household_id"), schema.get_field_index("jurisdiction")
    integer_ids = pa.types.is_integer(schema.field(at_id).type)  # text statistics may be cut short
    counted: dict[int, list] = {}  # code -> [households, lo, hi, row groups]
    rest = []
    for i in range(meta.num_row_groups):
        rg = meta.row_group(i)
        by_id, by_county = rg.column(at_id).statistics, rg.column(at_county).statistics
        if integer_ids and _complete(by_id) and _complete(by_county) and by_county.min == by_county.max:
            if by_county.min in wanted:
                c = counted.setdefault(int(by_county.min), [0, by_id.min, by_id.max, []])
                c[0] += rg.num_rows
                c[1], c[2] = min(c[1], by_id.min), max(c[2], by_id.max)
                c[3].append(i)
        else:
            rest.append(i)
    read: dict[int, np.ndarray] = {}  # code -> its ids in the row groups read, in order
    if rest:
        table = file.read_row_groups(rest, columns=["household_id", "jurisdiction"])
        county = pc.fill_null(table["jurisdiction"], -1).to_numpy()
        ids = table["household_id"].to_numpy()
        del table
        inside = np.isin(county, np.array(sorted(wanted), dtype=np.int64))
        if not inside.all():
            county, ids = county[inside], ids[inside]
        if len(ids) > 1 and not _in_order(county, ids):  # sorted by county, then household id
            order = np.lexsort((ids, county)) if ids.dtype.kind in "iuf" else _sort_order(county, ids)
            county, ids = county[order], ids[order]
        starts = np.r_[0, np.flatnonzero(county[1:] != county[:-1]) + 1] if len(ids) else np.empty(0, int)
        for start, end in zip(starts.tolist(), np.r_[starts[1:], len(ids)].tolist(), strict=True):
            read[int(county[start])] = ids[start:end]
    out = []
    for code in sorted(set(counted) | set(read)):
        n, lo, hi, groups = counted.get(code, [0, None, None, []])
        found = read.get(code)
        if found is not None:
            lo = _scalar(found[0]) if lo is None else min(lo, _scalar(found[0]))
            hi = _scalar(found[-1]) if hi is None else max(hi, _scalar(found[-1]))
            n += len(found)

        def ids(groups=groups, found=found, code=code) -> np.ndarray:
            if not groups:
                return found
            counted_ids = file.read_row_groups(groups, columns=["household_id"])["household_id"].to_numpy()
            return np.sort(
                counted_ids if found is None else np.concatenate([counted_ids, found]), kind="stable"
            )

        out.append(_County(code, n, lo, hi, ids))
    return out


def _scalar(value):
    """A NumPy scalar as the Python value (partition bounds are kept and compared as plain values)."""
    return value.item() if isinstance(value, np.generic) else value


def _in_order(county: np.ndarray, ids: np.ndarray) -> bool:
    same = county[1:] == county[:-1]
    return bool(np.all((county[1:] > county[:-1]) | (same & (ids[1:] > ids[:-1]))))


def _sort_order(county: np.ndarray, ids: np.ndarray) -> np.ndarray:
    keys = pa.table({"county": county, "id": pa.array(ids)})
    return pc.sort_indices(keys, sort_keys=[("county", "ascending"), ("id", "ascending")]).to_numpy()


def read_partition(directory: Path, part: Partition) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(households, persons, births) of one partition."""
    paths = {name: Path(directory) / f"{name}.parquet" for name in TABLES}
    in_range = pl.col("household_id").is_between(part.lo, part.hi)
    households = (
        pl.scan_parquet(paths["households"])
        .filter(in_range & pl.col("jurisdiction").is_in(list(part.counties)))
        .collect()
    )
    keep = households.select("household_id")
    persons = (
        pl.scan_parquet(paths["persons"])
        .filter(in_range)
        .collect()
        .join(keep, on="household_id", how="semi", maintain_order="left")
    )
    births = (
        pl.scan_parquet(paths["births"])
        .filter(in_range)
        .collect()
        .join(keep, on="household_id", how="semi", maintain_order="left")
    )
    return households, persons, births


# --- a partition as the engine's Population, read with Arrow ------------------------------------------------

_files: dict[tuple, tuple[pq.FileMetaData, list]] = {}  # (path, size, mtime) -> footer, household-id ranges


def _open(path: Path) -> tuple[pq.ParquetFile, list]:
    """The file, its footer parsed once per process, and each row group's household-id (min, max) (None when
    the file has no statistics)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    found = _files.get(key)
    if found is None:
        meta = pq.ParquetFile(path).metadata
        at = meta.schema.to_arrow_schema().get_field_index("household_id")
        ranges = []
        for i in range(meta.num_row_groups):
            stats = meta.row_group(i).column(at).statistics
            ranges.append((stats.min, stats.max) if stats is not None and stats.has_min_max else None)
        if len(_files) >= 64:  # a long-lived process reading many sources keeps the recent ones
            _files.clear()
        found = _files[key] = (meta, ranges)
    # mapped and read column by column without pre-buffering: the cheapest way to read a few columns
    return pq.ParquetFile(path, metadata=found[0], memory_map=True, pre_buffer=False), found[1]


class _Rows:
    """One table's rows of a partition: the row groups that may hold its household-id range, read a column at
    a time, and the rows kept among them (in file order)."""

    def __init__(self, path: Path, part: Partition):
        self.file, ranges = _open(path)
        self.groups = [i for i, r in enumerate(ranges) if r is None or not (r[1] < part.lo or r[0] > part.hi)]
        self.names = set(self.file.schema_arrow.names)
        ids = self.raw("household_id")
        self.ids = ids.to_numpy()
        self.keep: np.ndarray | slice = _where((self.ids >= part.lo) & (self.ids <= part.hi))

    def raw(self, column: str) -> pa.ChunkedArray:
        return self.file.read_row_groups(self.groups, columns=[column], use_threads=False).column(0)

    def only(self, mask: np.ndarray) -> None:
        """Keeps, of the rows kept, those where `mask` holds."""
        kept = np.zeros(len(self.ids), dtype=bool)
        kept[np.arange(len(self.ids))[self.keep][mask]] = True
        self.keep = _where(kept)

    def column(self, name: str) -> pa.ChunkedArray:
        found = self.raw(name)
        return (
            found.slice(self.keep.start, self.keep.stop - self.keep.start)
            if isinstance(self.keep, slice)
            else found.take(pa.array(self.keep))
        )

    def numpy(self, name: str) -> np.ndarray:
        found = self.ids if name == "household_id" else self.raw(name).to_numpy()
        return found[self.keep]


def _where(mask: np.ndarray) -> np.ndarray | slice:
    """The rows where `mask` holds: a slice when they are one run (a table sorted by household id), else rows."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return slice(0, 0)
    if rows[-1] - rows[0] + 1 == len(rows):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def _array(column: pa.ChunkedArray | None, n: int, dtype) -> np.ndarray:
    """One column as the engine's array, as `population.column_array` makes it from a Polars frame: dates as
    days (null: NaT), numbers with null as NaN, flags with null as False, codes with null as 0. A column the
    table lacks (an optional one) is "not given" for every row."""
    if column is None:
        return np.full(n, NAT) if dtype == "datetime64[D]" else np.zeros(n, dtype)
    if dtype == "datetime64[D]":
        if column.type != pa.date32():
            column = pc.cast(column, pa.date32(), safe=False)
        return column.to_numpy().astype("datetime64[D]", copy=False)  # null: NaT
    fill = np.nan if dtype is float else False if dtype is bool else 0
    wanted = pa.float64() if dtype is float else pa.bool_() if dtype is bool else None
    if wanted is not None and column.type != wanted:
        column = pc.cast(column, wanted)
    if column.null_count:
        column = pc.fill_null(column, fill)
    found = column.to_numpy()
    return found if wanted is not None else found.astype(dtype, copy=False)


class _Columns(Mapping):
    """A table's engine columns, each read from the file when first asked for (a pack's formulas read a few of
    the columns; the others are never decoded); `given` columns are computed ones."""

    def __init__(self, rows: _Rows, schema: dict, n: int, given: dict[str, np.ndarray]):
        self._rows, self._schema, self._n, self._arrays = rows, schema, n, dict(given)

    def __getitem__(self, key: str) -> np.ndarray:
        found = self._arrays.get(key)
        if found is None:
            if key not in self._schema:
                raise KeyError(key)
            column = self._rows.column(key) if key in self._rows.names else None
            found = self._arrays[key] = _array(column, self._n, self._schema[key])
        return found

    def __iter__(self):
        return iter(self._schema)

    def __len__(self) -> int:
        return len(self._schema)


def _match(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Row of each `wanted` key among `keys` (unique), and where it was found (None: everywhere)."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    order = None
    if len(keys) > 1 and not np.all(keys[1:] > keys[:-1]):
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
    if len(wanted) > 1 and np.all(wanted[1:] >= wanted[:-1]):
        # members listed household by household (a table sorted by household id): one search per household
        starts = np.flatnonzero(np.r_[True, wanted[1:] != wanted[:-1]])
        lengths = np.diff(np.r_[starts, len(wanted)])
        values = wanted[starts]
        if len(values) == len(keys) and np.array_equal(values, keys):
            pos = np.arange(len(keys))
        else:
            pos = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
        found = np.repeat(keys[pos] == values, lengths)
        pos = np.repeat(pos, lengths)
    else:
        pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        found = keys[pos] == wanted
    rows = (pos if order is None else order[pos]).astype(np.int64, copy=False)
    return rows, None if found.all() else found


def _codes(*columns: np.ndarray) -> list[np.ndarray]:
    """Ids that are not integers (texts) as integer codes, equal where the ids are equal."""
    values = pa.chunked_array([pa.array(c).cast(pa.string()) for c in columns], type=pa.string())
    codes = pc.dictionary_encode(values).combine_chunks().indices.to_numpy(zero_copy_only=False)
    out, at = [], 0
    for c in columns:
        out.append(codes[at : at + len(c)].astype(np.int64))
        at += len(c)
    return out


def _texts(ids: np.ndarray) -> np.ndarray:
    return pa.array(ids).cast(pa.string()).to_numpy(zero_copy_only=False)


def read_population(directory: Path, part: Partition) -> Population:
    """One partition as the engine's Population (what `Population.from_frames(*read_partition(...))` gives),
    read with Arrow: only the row groups holding the partition's household ids, and of the person and
    household columns only those a formula reads, when it first reads them."""
    directory = Path(directory)
    h, p, b = (_Rows(directory / f"{name}.parquet", part) for name in TABLES)
    county = _array(h.raw("jurisdiction"), 0, np.int64)[h.keep]
    in_counties = np.isin(county, np.array(part.counties, dtype=np.int64))
    if not in_counties.all():
        h.only(in_counties)
        county = county[in_counties]
    hh_ids = h.numpy("household_id")
    person_hh_ids, birth_hh_ids = p.numpy("household_id"), b.numpy("household_id")
    person_ids, child_ids = p.numpy("person_id"), b.numpy("child_id")
    out_person_ids, out_hh_ids = person_ids, hh_ids
    hh_keys = hh_ids
    if not all(a.dtype.kind in "iu" for a in (hh_ids, person_hh_ids, birth_hh_ids, person_ids, child_ids)):
        # text ids: matched through integer codes, written as text
        hh_keys, person_hh_ids, birth_hh_ids = _codes(hh_ids, person_hh_ids, birth_hh_ids)
        person_ids, child_ids = _codes(person_ids, child_ids)
        out_person_ids, out_hh_ids = _texts(out_person_ids), _texts(hh_ids)
    # the members and births of the households kept (others in the id range belong to other counties)
    person_hh, found = _match(hh_keys, person_hh_ids)
    if found is not None:
        p.only(found)
        person_hh, person_ids, out_person_ids = person_hh[found], person_ids[found], out_person_ids[found]
    birth_hh, found = _match(hh_keys, birth_hh_ids)
    if found is not None:
        b.only(found)
        birth_hh, child_ids = birth_hh[found], child_ids[found]
    persons = _Columns(p, PERSON_COLUMNS, len(person_hh), {"hh": person_hh})
    households = _Columns(h, HOUSEHOLD_COLUMNS, len(hh_ids), {"jurisdiction": county})
    # a person's key within its household: (household row, person id) -> person row
    stride = np.int64(person_ids.max() + 1) if len(person_ids) else np.int64(1)
    pkey = person_hh * stride + person_ids
    bkey = birth_hh * stride + child_ids
    ordered = len(pkey) < 2 or bool(np.all(pkey[1:] > pkey[:-1]))  # members sorted by household, then id
    order = np.arange(len(pkey)) if ordered else np.argsort(pkey, kind="stable")
    sorted_keys = pkey if ordered else pkey[order]
    pos = np.minimum(np.searchsorted(sorted_keys, bkey), max(len(pkey) - 1, 0))
    child = np.where((len(pkey) > 0) & (sorted_keys[pos] == bkey), order[pos], -1) if len(bkey) else bkey
    births = {"hh": birth_hh, "child": child.astype(np.int64)}
    for col, dtype in BIRTH_COLUMNS.items():
        if col not in births and col != "mother":
            births[col] = _array(b.column(col) if col in b.names else None, len(birth_hh), dtype)
    mothers = first_mothers(persons["relation"], person_hh, len(hh_ids))
    found: dict = {}
    births = deliveries(births, persons, mothers, found)
    return Population(
        persons,
        households,
        births,
        out_person_ids,
        out_hh_ids,
        mothers=mothers,
        newborns=found.get("newborns"),
    )
