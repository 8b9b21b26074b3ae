"""Load curve on loopback: the scenario mix of :mod:`cradle.reliability.load_users` against `cradle serve`,
with a `cradle batch` and a `cradle ingest` started at the same moment, users stepped up until saturation;
then the database is counted: every acknowledged 生育登记 stored (0 lost), no mother registered twice (0
duplicated), every ingested row once; and the answers: 0 5xx, 0 out-of-scope reads.

SQLite (a file, as `cradle serve` runs by default) and a throw-away PostgreSQL (cradle.testing.postgres).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from cradle.auth.testing import bearer_for
from cradle.config import PROJECT_ROOT
from cradle.db import upgrade
from cradle.reliability.fault_ingest import synth
from cradle.reliability.fault_server import COUNTY, submissions
from cradle.reliability.procs import Server, cradle_env, start_cradle
from cradle.testing.postgres import start_temp_postgres

HOUSEHOLD = PROJECT_ROOT / "tests" / "policy" / "household_370303.json"
OTHER_COUNTY = "620403"
RATE = "CRADLE_API_RATE_PER_MINUTE"


@dataclass
class LoadResult:
    database: str
    steps: list[dict]
    submitted: int
    acknowledged: int
    stored: int
    lost: int
    duplicated: int
    server_errors: int
    out_of_scope_reads: int
    outsider_reads: int
    statuses: dict
    batch_exit: int | None
    ingest_exit: int | None
    ingest_expected: int
    ingest_stored: int
    ingest_duplicated: int
    seconds: float
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def saturated_at(self) -> int | None:
        return next((s["users"] for s in self.steps if s.get("saturated")), None)


def _plan(url: str, base: str, mothers: int, users: list[int], step_seconds: float) -> dict:
    subs = [{"key": k, "headers": h, "body": b} for k, h, b in submissions(url, mothers)]
    return {
        "host": base,
        "users": users,
        "step_seconds": step_seconds,
        "household": json.loads(HOUSEHOLD.read_text(encoding="utf-8")),
        "submissions": subs,
        "official": bearer_for(url, "county_official", COUNTY),
        "outsider": bearer_for(url, "county_official", OTHER_COUNTY),
    }


def _count(url: str, sql: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return list(c.execute(text(sql)))
    finally:
        engine.dispose()


def _why_failed(log: Path) -> str:
    """A failed command's error line (a traceback's last `...Error: ...` line) and its log's end."""
    lines = log.read_text(errors="replace").splitlines()
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return " | ".join([*errors[-1:], "\n".join(lines)[-300:]])


def run_curve(
    url: str, workdir: Path, *, users: list[int], step_seconds: float, mothers: int, persons: int, label: str
) -> LoadResult:
    """The whole exercise against the empty database at ``url`` (migrated here)."""
    t0 = time.monotonic()
    upgrade(url)
    feeds = workdir / "feeds"
    manifest = synth(feeds, persons)
    info = manifest["feeds"]["gongan"]
    source = workdir / "batch-source"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "cradle.cli",
            "batch-synth",
            "--region",
            "370305",
            "--persons",
            str(persons),
            "--seed",
            "3",
            "--on",
            "2026-06-30",
            "--out",
            str(source),
        ],
        env=cradle_env(url),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if made.returncode != 0:
        raise RuntimeError(made.stderr[-2000:])
    server = Server(url, workdir / "serve.log")
    plan = _plan(url, "", mothers, users, step_seconds)
    notes: list[str] = []
    saved = os.environ.get(RATE)
    os.environ[RATE] = "0"  # the server inherits it: one address sends everything, and the app is measured
    try:
        server.start()
    finally:
        os.environ.pop(RATE) if saved is None else os.environ.__setitem__(RATE, saved)
    plan["host"] = server.base
    (workdir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    batch = start_cradle(
        [
            "batch",
            "--region",
            "370305",
            "--on",
            "2026-06-30",
            "--source",
            str(source),
            "--out",
            str(workdir / "batch-out"),
            "--workers",
            "1",
        ],
        url,
        workdir / "batch.log",
    )
    ingest = start_cradle(["ingest", "gongan", str(feeds / info["file"])], url, workdir / "ingest.log")
    try:
        users_proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "cradle.reliability.load_users",
                str(workdir / "plan.json"),
                str(workdir / "users.json"),
            ],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if users_proc.returncode != 0:
            raise RuntimeError("locust: " + users_proc.stderr[-3000:])
        out = json.loads((workdir / "users.json").read_text(encoding="utf-8"))
        batch_exit = batch.wait(timeout=900)
        ingest_exit = ingest.wait(timeout=900)
    finally:
        for p in (batch, ingest):
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=30)
        server.stop()
    if batch_exit:
        notes.append("batch: " + _why_failed(workdir / "batch.log"))
    if ingest_exit:
        notes.append("ingest: " + _why_failed(workdir / "ingest.log"))
    regs = _count(url, "SELECT reg_no, mother_id_number FROM svc_birth_registration")
    stored_nos = {r[0] for r in regs}
    mothers_seen = [r[1] for r in regs]
    acked = out["acked"]
    rows = _count(
        url, "SELECT count(*), count(DISTINCT record_no) FROM registry_source_record WHERE dept = 'gongan'"
    )
    fives = sum(v for k, v in out["status"].items() if k.startswith("5"))
    return LoadResult(
        label,
        out["steps"],
        out["submitted"],
        len(acked),
        len(regs),
        lost=sum(1 for n in acked.values() if n not in stored_nos),
        duplicated=len(mothers_seen) - len(set(mothers_seen)),
        server_errors=fives,
        out_of_scope_reads=out["out_of_scope_reads"],
        outsider_reads=out["outsider_reads"],
        statuses=out["status"],
        batch_exit=batch_exit,
        ingest_exit=ingest_exit,
        ingest_expected=info["stored"],
        ingest_stored=rows[0][0],
        ingest_duplicated=rows[0][0] - rows[0][1],
        seconds=time.monotonic() - t0,
        notes=notes,
    )


def run_both(workdir: Path, *, quick: bool) -> list[LoadResult]:
    kw = {
        "users": [2, 4, 8] if quick else [2, 4, 8, 16, 32, 64],
        "step_seconds": 4 if quick else 10,
        "mothers": 120 if quick else 500,
        "persons": 800 if quick else 2000,
    }
    out = []
    (workdir / "sqlite").mkdir()
    out.append(
        run_curve(f"sqlite:///{workdir / 'sqlite' / 'load.db'}", workdir / "sqlite", label="SQLite", **kw)
    )
    pg = start_temp_postgres()
    try:
        (workdir / "pg").mkdir()
        out.append(run_curve(pg.create_database("load"), workdir / "pg", label="PostgreSQL", **kw))
    finally:
        pg.stop()
    return out


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="cradle-load-") as tmp:
        for r in run_both(Path(tmp), quick="--quick" in sys.argv):
            print(json.dumps(r.as_dict(), ensure_ascii=False, indent=1))
