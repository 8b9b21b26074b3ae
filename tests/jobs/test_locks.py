"""One run of a job at a time: two `cradle jobs run` processes against one database (PostgreSQL's advisory lock,
SQLite's claim row), and how a claim of a crashed process or host lapses."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from cradle.db import get_engine, session_scope
from cradle.jobs import locks
from cradle.jobs.models import JobLock, JobRun
from cradle.jobs.systemd import SKIPPED
from cradle.services import notifications

CRADLE = Path(sys.executable).with_name("cradle")


def _cradle(url: str, probe_dir: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CRADLE_DATABASE_URL": url,
        "CRADLE_DATA_DIR": str(probe_dir),
        "CRADLE_SMS_SENDER": "probes:BlockingSender",
        "PROBE_DIR": str(probe_dir),
        "PYTHONPATH": str(Path(__file__).parent),
    }
    return subprocess.Popen(
        [str(CRADLE), "jobs", "run", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_process_is_refused_while_the_first_runs(svc_url, tmp_path):
    url = svc_url
    with session_scope(url) as s:
        notifications.notify(s, "370303199203011202", "reminder", "case:1", "提醒", phone="13800000000")
    first = _cradle(url, tmp_path, "dispatch")
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists():  # the first holds the lock, inside its SMS send
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first run never reached its sender"
        time.sleep(0.05)
    try:
        second = _cradle(url, tmp_path, "dispatch")
        out, err = second.communicate(timeout=60)
        assert second.returncode == SKIPPED, (out, err)
        assert "作业 dispatch 正在运行" in err and "本次不运行" in err
        assert socket.gethostname() in err  # it says who holds the job
    finally:
        (tmp_path / "release").write_text("")
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert '"sent": 1' in out
    third = _cradle(url, tmp_path, "dispatch")  # the lock is free again
    out, err = third.communicate(timeout=60)
    assert third.returncode == 0, err
    with session_scope(url) as s:
        assert [r.result for r in s.execute(select(JobRun).order_by(JobRun.id)).scalars()] == ["ok", "ok"]
        assert s.execute(select(JobLock)).first() is None
    get_engine(url).dispose()


def _claim(url: str, holder: str, expires: dt.datetime) -> None:
    with session_scope(url) as s:
        s.add(JobLock(name="dispatch", holder=holder, acquired_at=locks.utcnow(), expires_at=expires))


def test_sqlite_claims_of_dead_processes_and_lapsed_hosts_are_taken(svc_sqlite_url):
    url = svc_sqlite_url
    later = locks.utcnow() + dt.timedelta(hours=1)
    dead = subprocess.Popen(["true"])
    dead.wait()
    _claim(url, f"{socket.gethostname()}:{dead.pid}:abcd1234", later)  # this host, process gone
    with locks.hold(url, "dispatch"), session_scope(url) as s:
        assert s.get(JobLock, "dispatch").holder.startswith(locks.host_id() + ":")
    with session_scope(url) as s:
        assert s.get(JobLock, "dispatch") is None  # released
    _claim(url, "other-host:4242:abcd1234", later)  # another host, within its lease
    with pytest.raises(locks.JobBusy, match="other-host:4242"), locks.hold(url, "dispatch"):
        pass
    with session_scope(url) as s:
        s.get(JobLock, "dispatch").expires_at = locks.utcnow() - dt.timedelta(seconds=1)  # the host crashed
    with locks.hold(url, "dispatch"):
        pass
    # this very process, alive: busy, even past its lease (a process of this host is asked, not its lease)
    _claim(url, f"{socket.gethostname()}:{os.getpid()}:live0000", locks.utcnow() - dt.timedelta(minutes=1))
    with pytest.raises(locks.JobBusy), locks.hold(url, "dispatch"):
        pass
    get_engine(url).dispose()


def test_sqlite_claim_is_renewed_while_the_job_runs(svc_sqlite_url):
    url = svc_sqlite_url
    lease = dt.timedelta(seconds=0.4)
    with locks.hold(url, "dispatch", lease=lease):
        with session_scope(url) as s:
            first = s.get(JobLock, "dispatch").expires_at
        time.sleep(0.6)  # past the first lease: renewed meanwhile
        with session_scope(url) as s:
            renewed = s.get(JobLock, "dispatch").expires_at
        assert renewed > first and renewed > locks.utcnow()
    get_engine(url).dispose()


@pytest.mark.postgres
def test_postgres_lock_goes_with_its_connection(svc_pg_url):
    url = svc_pg_url
    with locks.hold(url, "dispatch"):
        busy = pytest.raises(locks.JobBusy, match=f"{socket.gethostname()}:{os.getpid()}")
        with busy, locks.hold(url, "dispatch"):
            pass
        with locks.hold(url, "backup"):  # another job is not held up
            pass
    with locks.hold(url, "dispatch"):  # released at the end of the block
        pass
    get_engine(url).dispose()
