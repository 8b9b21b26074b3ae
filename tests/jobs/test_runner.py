"""Running jobs: the run record (ok, failed with its reason masked, interrupted), the timer's second firing on
another host skipped, the status the list and the page show, and schedule overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from cradle.db import get_engine, session_scope
from cradle.jobs import registry, runner
from cradle.jobs.models import JobRun
from cradle.jobs.registry import Job
from cradle.jobs.schedule import ScheduleError

PROBES = [
    Job("probe", "probes:ok", "*-*-* 01:30", "Probe"),
    Job("broken", "probes:boom", "daily", "Broken"),
]


@pytest.fixture
def probes(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.setattr(registry, "JOBS", tuple(PROBES))


def _runs(url: str) -> list[JobRun]:
    with session_scope(url) as s:
        return list(s.execute(select(JobRun).order_by(JobRun.id)).scalars())


def test_runs_are_recorded_ok_or_failed_with_numbers_masked(svc_url, probes):
    url = svc_url
    done = runner.run("probe", url, today=dt.date(2026, 1, 2))
    failed = runner.run("broken", url)
    rows = _runs(url)
    assert [(r.name, r.result) for r in rows] == [("probe", "ok"), ("broken", "failed")]
    assert rows[0].summary == {"rows": 3, "on": "2026-01-02"} and rows[0].error is None
    assert rows[0].finished_at >= rows[0].started_at and rows[0].host == done.host
    assert failed.result == "failed" and rows[1].error == failed.error
    assert rows[1].error.startswith("ValueError: row 7:")
    assert "370303199203011202" not in rows[1].error and "13800000000" not in rows[1].error
    assert "370303**********02" in rows[1].error
    with pytest.raises(registry.UnknownJob, match="probe, broken"):
        runner.run("nope", url)
    get_engine(url).dispose()


def test_a_run_left_running_is_marked_interrupted(svc_url, probes):
    url = svc_url
    with session_scope(url) as s:
        s.add(JobRun(name="probe", started_at=dt.datetime(2026, 1, 1), result="running", host="gone:1"))
    runner.run("probe", url)
    assert [r.result for r in _runs(url)] == ["interrupted", "ok"]
    get_engine(url).dispose()


def test_a_scheduled_run_skips_a_firing_another_host_served(svc_url, probes):
    url = svc_url
    last_firing = registry.get("probe")[1].last_at_or_before(dt.datetime.now())
    fired_utc = last_firing.astimezone(dt.UTC).replace(tzinfo=None)
    with session_scope(url) as s:  # before the firing, and a failure after it: neither served it
        s.add(JobRun(name="probe", started_at=fired_utc - dt.timedelta(hours=1), result="ok", host="a:1"))
        s.add(
            JobRun(name="probe", started_at=fired_utc + dt.timedelta(seconds=5), result="failed", host="a:2")
        )
    first = runner.run("probe", url, scheduled=True)
    assert first.result == "ok"
    with pytest.raises(runner.AlreadyRan, match="本次不运行"):
        runner.run("probe", url, scheduled=True)
    assert runner.run("probe", url).result == "ok"  # by hand it always runs
    assert [r.result for r in _runs(url)] == ["ok", "failed", "ok", "ok"]
    get_engine(url).dispose()


def test_status_has_last_run_last_success_and_next_run(svc_url, probes):
    url = svc_url
    runner.run("probe", url)
    runner.run("broken", url)
    now = dt.datetime(2026, 12, 6, 2, 0)
    rows = {r.name: r for r in runner.status(url, now=now)}
    assert rows["probe"].last.result == "ok" and rows["probe"].last_ok is not None
    assert rows["probe"].next_run == dt.datetime(2026, 12, 7, 1, 30)
    assert rows["broken"].last.result == "failed" and rows["broken"].last_ok is None
    assert rows["broken"].next_run == dt.datetime(2026, 12, 7, 0, 0)
    assert rows["probe"].seconds is not None and rows["probe"].seconds >= 0
    get_engine(url).dispose()


def test_schedule_overrides(monkeypatch, probes):
    monkeypatch.setenv("CRADLE_JOB_SCHEDULES", "probe=*-*-* 04:00 ; broken=weekly")
    assert {j.name: c.text for j, c in registry.jobs()} == {"probe": "*-*-* 04:00", "broken": "weekly"}
    monkeypatch.setenv("CRADLE_JOB_SCHEDULES", "probe=*-*-* 25:00")
    with pytest.raises(ScheduleError, match="probe: hour '25'"):
        registry.jobs()
    monkeypatch.setenv("CRADLE_JOB_SCHEDULES", "nosuch=daily")
    with pytest.raises(ScheduleError, match="'nosuch=daily'"):
        registry.jobs()


def test_every_registered_job_loads():
    for job in registry.JOBS:
        assert callable(job.load()), job.name
