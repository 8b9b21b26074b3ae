"""Where a batch reads households: a directory of the three Parquet tables (the batch layout of
`Population.from_frames`: households.parquet, persons.parquet, births.parquet) or the registry database.

A batch is cut into partitions of at most `max_households` households: whole counties together (in code
order) while they fit, and a county larger than that alone, split into household-id ranges. Reading a partition scans the tables lazily with a household-id range filter, which
Parquet row-group statistics turn into reading only the row groups that hold it when the tables are sorted by
household id (as `cradle batch-synth` writes them); unsorted tables are still read correctly, only slower.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cradle.batch.synth import TABLES, counties
from cradle.errors import N_, Invalid
from cradle.policy.population import (
    BIRTH_COLUMNS,
    HOUSEHOLD_COLUMNS,
    OPTIONAL_HOUSEHOLD_COLUMNS,
    OPTIONAL_PERSON_COLUMNS,
    PERSON_COLUMNS,
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
    wanted = [int(c) for c in counties(region)]
    hh = (
        pl.scan_parquet(paths["households"])
        .select("household_id", "jurisdiction")
        .filter(pl.col("jurisdiction").is_in(wanted))
        .sort("jurisdiction", "household_id")
        .collect()
    )
    out: list[Partition] = []
    group: list[tuple[int, pl.Series]] = []  # small counties waiting to fill a partition

    def flush() -> None:
        if group:
            ids = pl.concat([g[1] for g in group])
            out.append(
                Partition(f"{group[0][0]}-0", tuple(g[0] for g in group), ids.min(), ids.max(), len(ids))
            )
            group.clear()

    for (county,), rows in hh.group_by("jurisdiction", maintain_order=True):
        ids = rows["household_id"]
        if len(ids) > max_households:
            flush()
            for n, start in enumerate(range(0, len(ids), max_households)):
                piece = ids.slice(start, max_households)
                out.append(Partition(f"{county}-{n}", (int(county),), piece[0], piece[-1], len(piece)))
            continue
        if sum(len(g[1]) for g in group) + len(ids) > max_households:
            flush()
        group.append((int(county), ids))
    flush()
    return out


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
