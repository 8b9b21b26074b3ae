"""Faults: kill -9 of `cradle ingest`, `cradle batch` and `cradle serve`, PostgreSQL stopped under load. Bounded: a few
thousand rows, a few hundred requests, 127.0.0.1 only."""

from __future__ import annotations

import pytest

from cradle.reliability import fault_batch
from cradle.reliability.fault_ingest import kill_and_rerun
from cradle.reliability.fault_postgres import restart_under_load
from cradle.reliability.fault_server import kill_and_replay


def test_ingest_killed_mid_file_then_rerun_loses_and_duplicates_nothing(tmp_path):
    r = kill_and_rerun(tmp_path, persons=1500, batch_rows=100)
    assert 0 < r.rows_stored_when_killed < r.expected_stored
    assert r.stored == r.distinct_records == r.expected_stored
    assert r.lost == r.duplicated == 0
    assert r.quarantined_open == r.quarantined_distinct_rows > 0


def test_batch_killed_mid_run_then_rerun_resumes_without_loss_or_duplicates(tmp_path):
    r = fault_batch.kill_and_rerun(tmp_path, persons=2000, households_per_part=60)
    assert 0 < r.done_when_killed < r.partitions and r.skipped_on_rerun == r.done_when_killed
    assert r.rows == r.expected_rows > 0
    assert r.lost == r.duplicated == r.temp_files_left == 0


@pytest.mark.slow
def test_server_killed_during_idempotent_submissions(tmp_path):
    r = kill_and_replay(tmp_path, n=80, kill_after=25)
    assert r.acknowledged_before_kill >= 25 and r.replayed_ok == r.submitted
    assert r.stored == r.submitted and r.lost == r.duplicated == r.changed_answers == r.server_errors == 0


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_restart_under_load_fails_cleanly_and_recovers(tmp_path):
    r = restart_under_load(tmp_path)
    assert r.statuses.get(503, 0) > 0 and r.server_errors_other_than_503 == 0, r.statuses
    assert not r.unclean and r.recovered_after_s is not None
    assert r.lost == r.duplicated == 0
