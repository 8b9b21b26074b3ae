"""The partitioned, resumable batch run.

Output directory layout (`--out DIR`):
    DIR/parts/<first county>-<n>.parquet   one file per finished partition (written to .tmp, then renamed)
    DIR/manifest.json                the run's settings and the finished partitions (replaced atomically)

A rerun with the same settings skips the partitions the manifest lists, so an interrupted run resumes without
redoing or duplicating anything: a partition is in the manifest only after its file was renamed into place,
and a part file that is not in the manifest (killed between rename and manifest) is simply rewritten.
Partitions run in worker processes forked once the parent has imported the engine, loaded the packs and read
the parameter desk, so a worker starts at once with what the parent has. A worker reads, computes and writes
with Arrow and NumPy and never calls Polars (whose thread pool does not survive a fork). Where fork is not the
platform's way (not Linux), workers are spawned and load all of it themselves.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from cradle import atomicfile
from cradle.atomicfile import atomic_path
from cradle.batch.compute import ENTITLEMENT_SCHEMA, TEXTS, entitlement_table
from cradle.batch.source import Partition, plan, read_population
from cradle.errors import N_, Invalid
from cradle.policy import published
from cradle.policy.packs import load_packs

MANIFEST = "manifest.json"


@dataclass
class BatchSpec:
    region: str
    as_of: dt.date
    source: str  # directory of the three tables
    overrides: dict = field(default_factory=dict)
    only: list[str] | None = None  # program ids; None: every program
    max_households: int = 200_000

    def settings(self) -> dict:
        return {
            "region": self.region,
            "as_of": self.as_of.isoformat(),
            "source": str(Path(self.source).resolve()),
            "overrides": self.overrides,
            "only": self.only,
            "max_households": self.max_households,
        }


@dataclass
class PartResult:
    key: str
    households: int
    persons: int
    rows: int
    seconds: float


@dataclass
class BatchSummary:
    out: Path
    partitions: int
    skipped: int  # finished by an earlier run
    households: int
    persons: int
    rows: int
    seconds: float
    parts: list[PartResult] = field(default_factory=list)


def _write_json_atomic(path: Path, data: dict) -> None:
    atomicfile.write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def load_manifest(out: Path, settings: dict) -> dict:
    path = Path(out) / MANIFEST
    if not path.exists():
        return {"settings": settings, "done": {}}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("settings") != settings:
        changed = sorted(k for k in settings if manifest.get("settings", {}).get(k) != settings[k])
        raise Invalid(
            "--out",
            N_("%(out)s holds a batch with other settings (%(changed)s); use another --out or --restart"),
            out=out,
            changed=", ".join(changed),
        )
    return manifest


# Days and county codes as differences from the previous row (Parquet's DELTA_BINARY_PACKED): a partition's
# periods and its one or few counties pack into a few bits a row, so the file is a sixth smaller and quicker to
# write than with the plain encoding; readers decode them to the same values.
_DELTAS = {name: "DELTA_BINARY_PACKED" for name in ("deadline", "period_start", "period_end", "county")}


def write_entitlements(table, path: Path) -> None:
    """A partition's entitlements as Parquet (Snappy; the repeated texts dictionary-encoded, the days and
    county codes delta-encoded). No Arrow schema is stored, so readers see the texts as plain strings
    (ENTITLEMENT_SCHEMA), not as dictionaries."""
    pq.write_table(
        table,
        path,
        compression="snappy",
        use_dictionary=list(TEXTS),
        column_encoding=_DELTAS,
        write_statistics=["amount", "deadline", "period_start", "period_end", "county"],
        store_schema=False,
    )


def run_partition(spec: BatchSpec, part: Partition, out: Path) -> PartResult:
    """Computes one partition and renames its file into place."""
    t0 = time.perf_counter()
    pop = read_population(Path(spec.source), part)
    only = set(spec.only) if spec.only is not None else None
    table = entitlement_table(pop, spec.as_of, spec.overrides or None, only)
    final = out / "parts" / f"{part.key}.parquet"
    with atomic_path(final) as tmp:  # a part appears whole or not at all (a rerun redoes a missing one)
        write_entitlements(table, tmp)
    return PartResult(part.key, pop.n_households, pop.n_persons, table.num_rows, time.perf_counter() - t0)


def _work(args) -> PartResult:
    spec, part, out = args
    return run_partition(spec, part, out)


def _forked_worker() -> None:
    """A forked worker's own database connections: the parent's pooled ones are left to the parent."""
    # deferred: the database layer loads when the parameter desk is first read, not with the batch
    from cradle.db import get_engine

    get_engine().dispose(close=False)


def _pool(workers: int):
    if sys.platform == "linux":
        load_packs()  # what the workers would each load: loaded once, before the fork
        published.refresh()
        gc.freeze()  # and kept out of the garbage collector's passes with the rest (see run_batch)
        return mp.get_context("fork").Pool(workers, initializer=_forked_worker)
    return mp.get_context("spawn").Pool(workers)


def run_batch(
    spec: BatchSpec,
    out: Path | str,
    *,
    workers: int | None = None,
    restart: bool = False,
    progress: Callable[[PartResult, int, int], None] | None = None,
    limit: int | None = None,
) -> BatchSummary:
    """Runs every unfinished partition; `limit` stops after that many (for tests of resumption)."""
    t0 = time.perf_counter()
    out = Path(out)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    settings = spec.settings()
    if restart and (out / MANIFEST).exists():
        (out / MANIFEST).unlink()
        for f in (out / "parts").glob("*.parquet"):
            f.unlink()
    manifest = load_manifest(out, settings)
    for stray in (out / "parts").glob("*.tmp"):
        stray.unlink()
    parts = plan(Path(spec.source), spec.region, spec.max_households)
    todo = [p for p in parts if p.key not in manifest["done"]]
    if limit is not None:
        todo = todo[:limit]
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    results: list[PartResult] = []

    def finish(res: PartResult) -> None:
        manifest["done"][res.key] = asdict(res)
        _write_json_atomic(out / MANIFEST, manifest)
        results.append(res)
        if progress:
            progress(res, len(manifest["done"]), len(parts))

    _write_json_atomic(out / MANIFEST, manifest)
    # What the process holds before the partitions (modules, packs, the desk's values) lives as long as the
    # run: kept out of the garbage collector's passes, which otherwise walk all of it again and again while the
    # formulas allocate (in a forked worker, touching and so copying the parent's pages as well)
    gc.freeze()
    try:
        if workers == 1:
            for part in todo:
                finish(run_partition(spec, part, out))
        else:
            with _pool(workers) as pool:
                for res in pool.imap_unordered(_work, [(spec, p, out) for p in todo]):
                    finish(res)
    finally:
        gc.unfreeze()
    return BatchSummary(
        out,
        len(parts),
        len(parts) - len(todo),
        sum(r.households for r in results),
        sum(r.persons for r in results),
        sum(r.rows for r in results),
        time.perf_counter() - t0,
        results,
    )


def read_output(out: Path | str) -> pl.DataFrame:
    """Every finished partition's entitlements (the manifest's, so half-written files are never read)."""
    out = Path(out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    files = [out / "parts" / f"{key}.parquet" for key in sorted(manifest["done"])]
    if not files:
        return pl.DataFrame(schema=ENTITLEMENT_SCHEMA)
    return pl.read_parquet(files)
