"""The batch's own reading (`source.read_population`, Arrow, columns decoded when a formula first reads them) and
its table of entitlements (`compute.entitlement_table`) give what the frames path gives: the same Population as
`Population.from_frames(*read_partition(...))` and the same rows as `entitlements()` over it, on a table sorted
as written, on shuffled tables cut into small row groups, with household ids interleaved across counties (a
partition's id range holding other counties' households), with text person ids, and without the optional
columns."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from cradle.batch.compute import entitlement_table, entitlements, plain
from cradle.batch.runner import write_entitlements
from cradle.batch.source import plan, read_partition, read_population
from cradle.batch.synth import TABLES
from cradle.policy.population import OPTIONAL_HOUSEHOLD_COLUMNS, OPTIONAL_PERSON_COLUMNS, Population

from .conftest import ON


def _same(a: Population, b: Population) -> None:
    for name in ("persons", "households", "births"):
        x, y = getattr(a, name), getattr(b, name)
        assert list(x) == list(y)
        for k in x:
            u, v = (np.asarray(z) for z in (x[k], y[k]))
            u, v = (z.view(np.int64) if z.dtype.kind == "M" else z for z in (u, v))  # NaT == NaT
            assert u.dtype == v.dtype and np.array_equal(u, v, equal_nan=u.dtype.kind == "f"), (name, k)
    assert a.person_ids.dtype == b.person_ids.dtype and (a.person_ids == b.person_ids).all()
    assert a.household_ids.dtype == b.household_ids.dtype and (a.household_ids == b.household_ids).all()


def _variant(frames, how: str, out):
    tables = {name: getattr(frames, name) for name in TABLES}
    if how == "interleaved":  # household ids drawn at random: each partition's id range holds other counties'
        ids = tables["households"]["household_id"]
        new = pl.DataFrame({"household_id": ids, "new": ids.sample(fraction=1.0, shuffle=True, seed=9)})
        tables = {
            name: t.join(new, on="household_id", maintain_order="left")
            .with_columns(pl.col("new").alias("household_id"))
            .drop("new")
            for name, t in tables.items()
        }
    if how in ("shuffled", "text", "interleaved"):
        tables = {name: t.sample(fraction=1.0, shuffle=True, seed=5) for name, t in tables.items()}
    if how == "text":
        tables["persons"] = tables["persons"].with_columns(
            pl.format("{}:{}", "household_id", "person_id").alias("person_id")
        )
        tables["births"] = tables["births"].with_columns(
            pl.format("{}:{}", "household_id", "child_id").alias("child_id")
        )
    if how == "without optional columns":
        tables["persons"] = tables["persons"].drop(
            c for c in OPTIONAL_PERSON_COLUMNS if c in tables["persons"].columns
        )
        tables["households"] = tables["households"].drop(
            c for c in OPTIONAL_HOUSEHOLD_COLUMNS if c in tables["households"].columns
        )
    out.mkdir()
    for name, t in tables.items():
        t.write_parquet(out / f"{name}.parquet", row_group_size=500 if how != "sorted" else 256 * 1024)
    return out


@pytest.mark.parametrize("how", ["sorted", "shuffled", "interleaved", "text", "without optional columns"])
def test_arrow_population_and_table_equal_the_frames_path(zibo_frames, tmp_path, how):
    src = _variant(zibo_frames, how, tmp_path / "src")
    parts = plan(src, "370300", 400)
    assert len(parts) >= 6
    rows = 0
    households = pl.read_parquet(src / "households.parquet")
    others = 0  # households of other counties inside a partition's id range
    for part in parts:
        others += households.filter(
            pl.col("household_id").is_between(part.lo, part.hi) & ~pl.col("jurisdiction").is_in(part.counties)
        ).height
        by_frames = Population.from_frames(*read_partition(src, part))
        by_arrow = read_population(src, part)
        _same(by_frames, by_arrow)
        expected = entitlements(by_frames, ON)
        table = entitlement_table(by_arrow, ON)
        assert pl.from_arrow(plain(table)).equals(expected)
        write_entitlements(table, tmp_path / "part.parquet")
        assert pl.read_parquet(tmp_path / "part.parquet").equals(expected)  # read back as plain strings
        rows += expected.height
    assert rows > 0
    assert (others > 0) == (how == "interleaved")


def _households_written(frames, out, how: str):
    """The households table alone (plan reads no other), written one row group per county, in row groups that
    cut across counties, or shuffled."""
    households = frames.households.sort("jurisdiction", "household_id")
    out.mkdir()
    for name in TABLES[1:]:
        getattr(frames, name).head(0).write_parquet(out / f"{name}.parquet")
    if how == "a row group per county":
        with pq.ParquetWriter(out / "households.parquet", households.to_arrow().schema) as writer:
            for _, county in households.group_by("jurisdiction", maintain_order=True):
                writer.write_table(county.to_arrow())
    elif how == "row groups across counties":
        households.write_parquet(out / "households.parquet", row_group_size=300)
    else:
        households.sample(fraction=1.0, shuffle=True, seed=2).write_parquet(
            out / "households.parquet", row_group_size=700
        )
    return out


def test_plan_is_the_same_however_the_households_are_cut_into_row_groups(zibo_frames, tmp_path):
    """Counted from the statistics of row groups of one county, read where a row group holds several, or
    sorted from a shuffled table: the same partitions, split counties included."""
    hows = ("a row group per county", "row groups across counties", "shuffled")
    sources = [_households_written(zibo_frames, tmp_path / str(i), how) for i, how in enumerate(hows)]
    per_county = pq.ParquetFile(sources[0] / "households.parquet").metadata
    assert per_county.num_row_groups == zibo_frames.households["jurisdiction"].n_unique() > 1
    for region, size in (("370300", 400), ("370300", 5000), ("370303", 100), ("370300", 150)):
        plans = [plan(src, region, size) for src in sources]
        assert plans[0] == plans[1] == plans[2], (region, size)
        assert sum(p.households for p in plans[0]) > 0
    split = plan(sources[0], "370300", 150)
    assert any(p.key.endswith("-1") for p in split)  # counties split into household-id ranges


@pytest.mark.parametrize(
    "ids",
    [
        [0, 9, 3],
        [10, 99, 42],
        [100, 999],
        [1, 10, 100],  # more than one number of digits: Arrow's cast
        [2**32 - 2, 2**32 - 1, 2**32],
        [10**18, 2**63 - 1],
        [-5, 7],
        [12345],
    ],
)
def test_ids_written_as_text_are_what_arrows_cast_writes(ids):
    import pyarrow as pa
    import pyarrow.compute as pc

    from cradle.batch.compute import _texts

    values = np.array(ids, dtype=np.int64)
    assert _texts(values).equals(pc.cast(pa.array(values), pa.string()))
    assert _texts(values).to_pylist() == [str(i) for i in ids]
