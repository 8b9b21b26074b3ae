"""The least a SQLite first load can take as cradle runs it, beside the floor and the ingest, in one run.

    flock /tmp/bench.lock .venv/bin/python benchmarks/ingest_bound.py --file gongan_5m.csv

For a file of at least `cradle.registry.bulk.MIN_ROWS` rows, which an ingest into an empty registry takes as a
first load (cradle.registry.firstload). A first load prepares its batches in one thread, one after another, and
SQLite has one writer. So, however well the writing overlaps the preparing, no first load of the file ends before

- its preparation alone (`Ingester.prepare` over every batch, settling each against the batches before it:
  the last batch cannot be written before it is prepared), and then
- what SQLite's one writer can do only once every row is in, measured alone on the loaded registry: the three
  indexes set aside, built as the run builds them (`ingest._build_deferred`), beside which the 户's links are
  judged (`kinship.links`, on what the preparation kept) and staged; then the links' insert; then the relation's
  two indexes.

Printed in the same run, each in a child process of its own one after another: the floor
(`benchmarks/ingest_floor.py`, bare), the ingest (`benchmarks/ingest_gongan.py`'s child), and that bound; then
the bound's and the ingest's shares of the floor beside the target (60%). A bound below the target's allowance
says the design leaves room, and how much; above it, that no scheduling of these parts reaches the target. The
parts are measured minutes apart and the machine's speed drifts between them (the bound moved from 9% within to
10% beyond the allowance over four runs of one evening), so read several runs, not one.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ingest_gongan import TARGET_SHARE, child, loadavg, run, run_floor

BATCH_ROWS = 100_000

BOUND_CHILD = """
import json, sys, time
from sqlalchemy import text
from cradle.db import make_engine, upgrade
from cradle.registry import bulk, kinship
from cradle.registry.feeds import get_feed
from cradle.registry.firstload import FirstLoad
from cradle.registry.ingest import COMMIT_BATCHES, Ingester, _build_deferred, expected_rows
from cradle.registry.reader import read_batches

fresh, loaded, path, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = {}
upgrade(fresh)
engine = make_engine(fresh)
with engine.begin() as conn:
    first = FirstLoad.start(conn, expected_rows(path)).with_households()
ing = Ingester(engine, get_feed("gongan"), 0, path, COMMIT_BATCHES)
ing.first = first
t = time.perf_counter()
for raw in read_batches(path, batch):
    ing.prepare(raw)
out["prepare"] = time.perf_counter() - t
first.release()
households = first.households()
ing.close()
t = time.perf_counter()
found = kinship.links(*households)
out["judge"] = time.perf_counter() - t
del households

engine = make_engine(loaded)
with engine.begin() as conn:  # the registry as the batches leave it: links, and the indexes set aside, not there
    aside = bulk.set_aside(conn) + bulk.set_aside_unique(conn)
    conn.execute(text("DELETE FROM registry_relation"))
with engine.connect() as conn:
    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
t = time.perf_counter()
_build_deferred(engine, [n for n in aside if n not in bulk.RELATIVES])
out["builds"] = time.perf_counter() - t
with engine.connect() as conn:
    t = time.perf_counter()
    kinship._stage(conn, found)
    out["stage"] = time.perf_counter() - t
    t = time.perf_counter()
    out["links"] = conn.execute(text(kinship._INSERT)).rowcount
    conn.execute(text(f"DROP TABLE IF EXISTS {kinship.LINKS}"))
    conn.commit()
    out["insert"] = time.perf_counter() - t
t = time.perf_counter()
_build_deferred(engine)
out["relation_indexes"] = time.perf_counter() - t
print(json.dumps(out))
"""


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, required=True)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cradle-bound-"))
    url = {name: f"sqlite:///{work / name}.db" for name in ("floor", "ingest", "fresh")}

    print(f"load average {loadavg()}", flush=True)
    floor = run_floor("SQLite", url["floor"], args.file, BATCH_ROWS, None)  # prints the floor's own line
    print(f"load average {loadavg()}", flush=True)
    _remove(work / "floor.db")  # its 2 GB, before the next database is written
    ingest = run(url["ingest"], args.file, BATCH_ROWS, None)
    print(
        f"ingest: {ingest['seconds']:.1f} s, {ingest['cpu']:.0f} CPU s; load average {loadavg()}",
        flush=True,
    )
    b = child(BOUND_CHILD, url["fresh"], url["ingest"], str(args.file), str(BATCH_ROWS))
    beside = max(b["builds"], b["judge"] + b["stage"])
    tail = beside + b["insert"] + b["relation_indexes"]
    bound = b["prepare"] + tail
    allowed = floor["bound_s"] / TARGET_SHARE
    print(
        f"bound: preparation alone {b['prepare']:.1f} s; then, one writer: the builds {b['builds']:.1f} s beside "
        f"the links judged {b['judge']:.1f} s and staged {b['stage']:.1f} s, the links' insert {b['insert']:.1f} s "
        f"({b['links']:,} links), the relation's indexes {b['relation_indexes']:.1f} s: at least {bound:.1f} s; "
        f"load average {loadavg()}",
        flush=True,
    )
    print(
        f"floor {floor['bound_s']:.1f} s; {TARGET_SHARE:.0%} of it allows {allowed:.1f} s. The bound is "
        f"{floor['bound_s'] / bound:.0%} of the floor, the ingest {floor['bound_s'] / ingest['seconds']:.0%}: "
        + (
            f"this run's bound is {bound / allowed - 1:.0%} beyond the allowance"
            if bound > allowed
            else f"the design leaves {allowed - bound:.1f} s; the ingest is {ingest['seconds'] - bound:.1f} s "
            "above its bound"
        ),
        flush=True,
    )
    # A preparation spread over both cores would lower the bound, and the floor's with it: to its CPU seconds
    # on two cores, against which the ingest's own CPU seconds on two cores are the least it could take.
    spread = floor["cpu"] / 2
    print(
        f"were both preparations spread over the two cores: the floor {spread:.1f} s ({floor['cpu']:.0f} CPU s), "
        f"{TARGET_SHARE:.0%} of it {spread / TARGET_SHARE:.1f} s, where the ingest's {ingest['cpu']:.0f} CPU s "
        f"need at least {ingest['cpu'] / 2:.1f} s: "
        + (
            f"beyond by {ingest['cpu'] / 2 / (spread / TARGET_SHARE) - 1:.0%}"
            if ingest["cpu"] / 2 > spread / TARGET_SHARE
            else "not excluded"
        ),
        flush=True,
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
