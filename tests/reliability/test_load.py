"""Short load curve (a few seconds a step) with a batch and an ingest running: nothing lost or duplicated,
no 5xx, no out-of-scope read — on SQLite and on PostgreSQL. And every line the server, the batch and the ingest
logged meanwhile: one JSON line per request, and no ID number or mobile number anywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cradle.reliability.load import run_curve

SHORT = {"users": [2, 4], "step_seconds": 3, "mothers": 40, "persons": 500}
# An 18-character ID number and an 11-digit mobile number, as a run of digits (the request id, random hex, is set
# aside: a run of digits inside it is no one's number).
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _personal_data_in_logs(workdir: Path) -> tuple[list[str], int]:
    """(lines showing an ID or mobile number, request lines of the server)."""
    found, requests = [], 0
    for log in sorted(workdir.glob("*.log")):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if isinstance(record, dict):
                requests += log.name == "serve.log" and record.get("logger") == "cradle.request"
                record.pop("request_id", None)
                line = json.dumps(record, ensure_ascii=False)
            if ID_NUMBER.search(line) or MOBILE.search(line):
                found.append(f"{log.name}: {line[:300]}")
    return found, requests


def _check(r, workdir: Path):
    assert len(r.steps) >= 1 and all(s["requests"] > 0 for s in r.steps)
    assert r.acknowledged > 0 and r.outsider_reads > 0  # the mix really submitted and really tried to pry
    assert r.lost == 0 and r.duplicated == 0
    assert r.stored >= r.acknowledged  # a submission whose answer timed out may still have landed
    assert r.server_errors == 0 and r.out_of_scope_reads == 0, r.statuses
    assert r.batch_exit == 0 and r.ingest_exit == 0, r.notes
    assert r.ingest_stored == r.ingest_expected and r.ingest_duplicated == 0
    leaks, requests = _personal_data_in_logs(workdir)
    assert leaks == [], "\n".join(leaks[:20])
    assert requests >= sum(r.statuses.values())  # every answer the users counted has its line


@pytest.mark.slow
def test_load_curve_sqlite(tmp_path):
    _check(run_curve(f"sqlite:///{tmp_path / 'load.db'}", tmp_path, label="SQLite", **SHORT), tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_load_curve_postgres(pg_url, tmp_path):
    _check(run_curve(pg_url, tmp_path, label="PostgreSQL", **SHORT), tmp_path)
