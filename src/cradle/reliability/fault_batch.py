"""kill -9 of `cradle batch` (the whole process group, workers included) after some partitions are done, then
the same command again: the finished partitions are skipped, and the output equals an uninterrupted run's, with
no entitlement lost or written twice."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from cradle.reliability.procs import cradle, start_cradle

REGION, ON = "370305", "2026-06-30"
KEY = ["program", "beneficiary", "period_start", "household"]


@dataclass
class BatchFaultResult:
    partitions: int
    done_when_killed: int
    skipped_on_rerun: int
    rows: int
    expected_rows: int
    lost: int
    duplicated: int
    temp_files_left: int

    def as_dict(self) -> dict:
        return asdict(self)


def _done(out: Path) -> int:
    try:
        return len(json.loads((out / "manifest.json").read_text())["done"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError):  # not written yet, or being replaced
        return 0


def _rows(out: Path) -> pl.DataFrame:
    return pl.read_parquet(sorted((out / "parts").glob("*.parquet")))


def kill_and_rerun(
    workdir: Path,
    *,
    persons: int = 3000,
    households_per_part: int = 60,
    kill_after_parts: int = 2,
    timeout: float = 300,
) -> BatchFaultResult:
    url = f"sqlite:///{workdir / 'unused.db'}"
    src = workdir / "src"
    made = cradle(
        [
            "batch-synth",
            "--region",
            REGION,
            "--persons",
            str(persons),
            "--seed",
            "11",
            "--on",
            ON,
            "--out",
            str(src),
        ],
        url,
        timeout=timeout,
    )
    if made.returncode != 0:
        raise RuntimeError(made.stderr[-2000:])

    def args(out: Path) -> list[str]:
        return [
            "batch",
            "--region",
            REGION,
            "--on",
            ON,
            "--source",
            str(src),
            "--out",
            str(out),
            "--workers",
            "1",
            "--partition-households",
            str(households_per_part),
        ]

    killed = workdir / "killed"
    proc = start_cradle(args(killed), url, workdir / "batch-1.log")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None and _done(killed) < kill_after_parts:
        time.sleep(0.02)
    if proc.poll() is not None:
        raise RuntimeError("batch finished before it could be killed: use more persons or smaller partitions")
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and any worker it started
    proc.wait(timeout=30)
    done_at_kill = _done(killed)
    again = cradle(args(killed), url, timeout=timeout)
    if again.returncode != 0:
        raise RuntimeError("rerun failed: " + again.stderr[-2000:])
    manifest = json.loads((killed / "manifest.json").read_text())
    clean = cradle(args(workdir / "clean"), url, timeout=timeout)
    if clean.returncode != 0:
        raise RuntimeError("uninterrupted run failed: " + clean.stderr[-2000:])
    got, expected = _rows(killed), _rows(workdir / "clean")
    got_keys, expected_keys = _keys(got), _keys(expected)
    lost = expected_keys.filter(~expected_keys.is_in(got_keys.implode())).len()
    duplicated = got_keys.len() - got_keys.n_unique()
    if lost == 0 and duplicated == 0 and not got.sort(got.columns).equals(expected.sort(got.columns)):
        lost = -1  # same keys but different amounts: report it as a failure rather than hide it
    return BatchFaultResult(
        partitions=len(manifest["done"]),
        done_when_killed=done_at_kill,
        skipped_on_rerun=_skipped(again.stdout),
        rows=got.height,
        expected_rows=expected.height,
        lost=lost,
        duplicated=duplicated,
        temp_files_left=len(list((killed / "parts").glob("*.tmp"))),
    )


def _keys(rows: pl.DataFrame) -> pl.Series:
    """One text key per entitlement; a missing beneficiary or period is a value too (joins would drop it)."""
    text = [pl.col(c).cast(pl.Utf8).fill_null("-") for c in KEY]
    return rows.select(pl.concat_str(text, separator="|")).to_series()


def _skipped(output: str) -> int:
    """'(N already done)' from the batch's progress line."""
    import re

    found = re.search(r"\((\d+) already done\)", output)
    return int(found.group(1)) if found else -1
