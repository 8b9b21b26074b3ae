"""Batch throughput and peak memory at 1M, 5M and 35M persons (山西 140000, synthetic).

    .venv/bin/python benchmarks/batch_scale.py --persons 1000000 5000000 35000000 [--workers 2] [--keep DIR]
        [--stages N]

The population is generated county by county (so each county's households are one household-id range in the
Parquet files, as a registry export sorted by county would be) and written once; the timed part is
`cradle batch` itself: reading partitions, the engine, writing the entitlements. Peak memory is the largest
sum of proportional resident memory (PSS: a page shared by the forked workers counted once, not once per
process) over this process and its workers, sampled every second.

The floor, measured right after in the same run with the same number of worker processes: every partition's rows
of the three tables read (all their columns, the row groups holding the partition) and its entitlements written
(the batch's own output, held in memory, written with the batch's writer): the I/O a batch cannot avoid, without
the engine. The ratio batch / floor is what is compared between machines; the 35M target is 6 s of wall time.
`--stages N` also times the stages of every N-th partition in this process (CPU seconds): plan, reading
(with building the Population), the engine with building the table, writing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

import polars as pl
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

import cradle.db  # noqa: F401  (loaded by the `cradle` command before it runs a batch: not timed here either)
from cradle.batch.compute import entitlement_table
from cradle.batch.runner import BatchSpec, run_batch, write_entitlements
from cradle.batch.source import Partition, plan, read_population
from cradle.batch.synth import TABLES, counties, generate

ON = dt.date(2026, 6, 30)
TARGET_35M = 6.0  # seconds of wall time for 35M persons (issue 25)


def write_population(region: str, persons: int, seed: int, out: Path) -> int:
    """County by county into three Parquet files; returns the number of persons."""
    codes = counties(region)
    writers: dict[str, pq.ParquetWriter] = {}
    offset_h = offset_p = total = 0
    for i, code in enumerate(codes):
        share = persons // len(codes) + (1 if i < persons % len(codes) else 0)
        f = generate(code, share, seed + i, ON)
        tables = {
            "households": f.households.with_columns(pl.col("household_id") + offset_h),
            "persons": f.persons.with_columns(
                pl.col("household_id") + offset_h, pl.col("person_id") + offset_p
            ),
            "births": f.births.with_columns(pl.col("household_id") + offset_h, pl.col("child_id") + offset_p),
        }
        for name in TABLES:
            arrow = tables[name].to_arrow()
            if name not in writers:
                writers[name] = pq.ParquetWriter(out / f"{name}.parquet", arrow.schema)
            writers[name].write_table(arrow, row_group_size=128 * 1024)
        offset_h += f.households.height
        offset_p += f.persons.height
        total += f.persons.height
    for w in writers.values():
        w.close()
    return total


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the batch's worker processes)."""
    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


class PeakMemory:
    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                rss = sum(p.memory_full_info().pss for p in (me, *me.children(recursive=True)))
            except psutil.Error:
                continue
            self.peak = max(self.peak, rss)
            # once a second: each sample walks every worker's page tables (smaps) while the workers map and
            # unmap their arrays; at four a second the 35M batch took 12.7 s of wall against 6.5 s, back to back
            time.sleep(1.0)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


_FLOOR: dict = {}  # what the floor's forked workers read: source, output tables by partition key


def _read_rows(path: Path, part: Partition, columns: list[str] | None = None) -> pa.Table:
    """A partition's rows of one table, every column (or `columns`): the row groups whose household ids meet
    its range."""
    f = pq.ParquetFile(path)
    at = f.schema_arrow.get_field_index("household_id")
    groups = []
    for i in range(f.metadata.num_row_groups):
        st = f.metadata.row_group(i).column(at).statistics
        if st is None or not st.has_min_max or not (st.max < part.lo or st.min > part.hi):
            groups.append(i)
    table = f.read_row_groups(groups, columns=columns, use_threads=False)
    ids = table["household_id"].to_numpy()
    return table.filter((ids >= part.lo) & (ids <= part.hi))


def _floor_part(part: Partition) -> int:
    columns = _FLOOR["columns"] or {}
    rows = sum(
        _read_rows(_FLOOR["source"] / f"{name}.parquet", part, columns.get(name)).num_rows for name in TABLES
    )
    write_entitlements(_FLOOR["tables"][part.key], _FLOOR["out"] / f"{part.key}.parquet")
    return rows


def floor(
    src: Path, parts: list[Partition], out: Path, workers: int, columns: dict[str, list[str]] | None = None
) -> tuple[float, float]:
    """Wall and CPU seconds of reading every partition's rows and writing its entitlements, in `workers` processes;
    `columns`: of each table only these (default: all)."""
    floor_out = Path(tempfile.mkdtemp(prefix="cradle-batch-floor-"))
    _FLOOR.update(
        columns=columns,
        source=src,
        out=floor_out,
        tables={p.key: pq.read_table(out / "parts" / f"{p.key}.parquet") for p in parts},
    )
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    with mp.get_context("fork").Pool(workers) as pool:
        for _ in pool.imap_unordered(_floor_part, parts):
            pass
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    _FLOOR.clear()
    shutil.rmtree(floor_out)
    return seconds, cpu


def columns_read(spec: BatchSpec, part: Partition) -> dict[str, list[str]]:
    """The columns of each table the batch decodes for a partition: the ids, the births' columns and the
    person and household columns its formulas read."""
    pop = read_population(Path(spec.source), part)
    entitlement_table(pop, spec.as_of)
    out = {}
    for name, columns in (("households", pop.households), ("persons", pop.persons), ("births", pop.births)):
        have = pq.ParquetFile(Path(spec.source) / f"{name}.parquet").schema_arrow.names
        decoded = set(getattr(columns, "_arrays", columns))  # source._Columns: the columns read so far
        ids = (
            {"household_id", "person_id"}
            if name == "persons"
            else {"household_id", "child_id", "jurisdiction"}
        )
        out[name] = [c for c in have if c in decoded or c in ids]
    return out


def stages(spec: BatchSpec, parts: list[Partition], out: Path) -> None:
    """CPU seconds of each stage over the partitions given, in this process."""
    cpu = time.process_time
    total = {"read": 0.0, "engine+table": 0.0, "write": 0.0}
    persons = 0
    for part in parts:
        t0 = cpu()
        pop = read_population(Path(spec.source), part)
        t1 = cpu()
        table = entitlement_table(pop, spec.as_of)
        t2 = cpu()
        write_entitlements(table, out / "stage.parquet")
        t3 = cpu()
        for k, v in zip(total, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            total[k] += v
        persons += pop.n_persons
    per_m = {k: v * 1e6 / persons for k, v in total.items()}
    print(
        f"stages over {len(parts)} partitions ({persons:,} persons), CPU s per million persons: "
        + "  ".join(f"{k} {v:.3f}" for k, v in per_m.items())
        + " (reading leaves the columns a formula reads to the engine, which decodes them when first read)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--region", default="140000")
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-households", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the generated populations here (reused when present)")
    parser.add_argument("--stages", type=int, default=0, help="also time the stages of every N-th partition")
    parser.add_argument("--no-floor", action="store_true", help="skip measuring the floor")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="cradle-bench-"))
    rows = []
    for n in args.persons:
        src = base / f"{args.region}-{n}"
        if not (src / "births.parquet").exists():
            src.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            write_population(args.region, n, 1, src)
            print(f"generated {n:,} persons in {time.perf_counter() - t0:.1f}s", flush=True)
        out = Path(tempfile.mkdtemp(prefix="cradle-batch-out-"))
        spec = BatchSpec(args.region, ON, str(src), max_households=args.partition_households)
        cpu0 = cpu_seconds()
        with PeakMemory() as mem:
            summary = run_batch(spec, out, workers=args.workers)
        cpu = cpu_seconds() - cpu0
        compute = sum(p.seconds for p in summary.parts)
        rows.append((summary.persons, summary.seconds, compute, mem.peak, summary.rows, summary.partitions))
        print(
            f"{summary.persons:>12,} persons  {summary.partitions:4} partitions  {summary.rows:>12,} entitlements  "
            f"wall {summary.seconds:7.1f}s  ({summary.persons / summary.seconds:>9,.0f} persons/s)  "
            f"worker compute {compute:7.1f}s  CPU {cpu:7.1f}s ({summary.persons / cpu:>9,.0f} persons per CPU s)  "
            f"peak memory {mem.peak / 2**30:5.2f} GiB",
            flush=True,
        )
        parts = plan(src, args.region, args.partition_households)
        if not args.no_floor:
            floor_s, floor_cpu = floor(src, parts, out, args.workers)
            print(
                f"floor (read the partitions' rows, write their entitlements; {args.workers} processes) "
                f"{floor_s:.2f}s, {floor_cpu:.1f} CPU s   batch / floor {summary.seconds / floor_s:.2f}x",
                flush=True,
            )
            needed = columns_read(spec, parts[0])
            floor_read, read_cpu = floor(src, parts, out, args.workers, needed)
            print(
                f"floor of the columns the batch reads ({sum(map(len, needed.values()))} of "
                f"{sum(len(pq.ParquetFile(src / f'{t}.parquet').schema_arrow.names) for t in TABLES)}: "
                f"{needed}) {floor_read:.2f}s, {read_cpu:.1f} CPU s   batch / floor "
                f"{summary.seconds / floor_read:.2f}x; against 6 s: {floor_read / TARGET_35M:.2f} of it",
                flush=True,
            )
        if summary.persons >= 30_000_000:
            print(
                f"target: the whole of 山西 (35M persons) in under {TARGET_35M:.0f} s wall: "
                f"{summary.seconds:.2f}s is {summary.seconds / TARGET_35M:.2f}x the target",
                flush=True,
            )
        print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
        if args.stages:
            t0 = time.process_time()
            plan(src, args.region, args.partition_households)
            print(f"plan: {time.process_time() - t0:.2f} CPU s", flush=True)
            stages(spec, parts[:: args.stages], out)
        shutil.rmtree(out)
        if not args.keep:
            shutil.rmtree(src)
    if len(rows) > 1:
        (p0, t0, *_), (p1, t1, *_) = rows[0], rows[-1]
        print(f"time grows {t1 / t0:.2f}x for {p1 / p0:.2f}x persons")


if __name__ == "__main__":
    main()
