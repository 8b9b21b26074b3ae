"""Short load curve (a few seconds a step) with a batch and an ingest running: nothing lost or duplicated,
no 5xx, no out-of-scope read — on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from cradle.reliability.load import run_curve

SHORT = {"users": [2, 4], "step_seconds": 3, "mothers": 40, "persons": 500}


def _check(r):
    assert len(r.steps) >= 1 and all(s["requests"] > 0 for s in r.steps)
    assert r.acknowledged > 0 and r.outsider_reads > 0  # the mix really submitted and really tried to pry
    assert r.lost == 0 and r.duplicated == 0
    assert r.stored >= r.acknowledged  # a submission whose answer timed out may still have landed
    assert r.server_errors == 0 and r.out_of_scope_reads == 0, r.statuses
    assert r.batch_exit == 0 and r.ingest_exit == 0, r.notes
    assert r.ingest_stored == r.ingest_expected and r.ingest_duplicated == 0


def test_load_curve_sqlite(tmp_path):
    _check(run_curve(f"sqlite:///{tmp_path / 'load.db'}", tmp_path, label="SQLite", **SHORT))


@pytest.mark.postgres
def test_load_curve_postgres(pg_url, tmp_path):
    _check(run_curve(pg_url, tmp_path, label="PostgreSQL", **SHORT))
