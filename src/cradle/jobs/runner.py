"""Running a job: under its lock, recorded in `jobs_run` from start to finish.

A run started by its timer (`scheduled=True`) is skipped when a run of the same job finished well since the
schedule's last firing: with the same timer on two hosts, the second to fire finds the first one's run under
way (the lock refuses it) or done (this check does), and stops. A failed run does not count, so the other host
tries again. A run by hand always runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass

from sqlalchemy import func, select, update

from cradle.db import session_scope
from cradle.idcard import mask
from cradle.jobs import locks
from cradle.jobs.models import JobRun
from cradle.jobs.registry import JobContext, get, jobs
from cradle.jobs.schedule import Calendar

log = logging.getLogger("cradle.jobs")
# The timers of two hosts fire at "the same" time by two clocks; a run this much before the firing counts.
CLOCK_SLACK = dt.timedelta(minutes=1)
_PERSONAL = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")


class AlreadyRan(RuntimeError):
    """A scheduled run found this firing's run already done or under way (on this host or another)."""


def scrub(text: str) -> str:
    """One line, ID and mobile numbers masked: what the run record and the logs may keep of an error."""
    line = " ".join(str(text).split())[:500]
    return _PERSONAL.sub(lambda m: mask(m.group(0)), line)


def _local(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _utc(local: dt.datetime) -> dt.datetime:
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def run(name: str, url: str, *, today: dt.date | None = None, scheduled: bool = False) -> JobRun:
    """Runs job `name` once; returns its record (result ok or failed). JobBusy when another process holds the
    job, AlreadyRan when a scheduled run finds this firing done, UnknownJob for a name not in the registry."""
    job, calendar = get(name)
    function = job.load()
    with locks.hold(url, job.name):
        record = _start(url, job.name, calendar if scheduled else None)
        began = time.perf_counter()
        try:
            summary = function(JobContext(url=url, today=today or dt.date.today()))
        except Exception as exc:  # the run fails, recorded with its reason; the next firing tries again
            _finish(url, record, "failed", None, scrub(f"{type(exc).__name__}: {exc}"))
        else:
            _finish(url, record, "ok", summary, None)
    log.log(
        logging.INFO if record.result == "ok" else logging.ERROR,
        "job %s %s",
        job.name,
        record.result,
        extra={
            "job": job.name,
            "result": record.result,
            "run_id": record.id,
            "duration_ms": round((time.perf_counter() - began) * 1000, 1),
        },
    )
    return record


def _start(url: str, name: str, calendar: Calendar | None) -> JobRun:
    now = locks.utcnow()
    with session_scope(url) as s:
        # Holding the lock, no other run of the job is alive: one still marked running was cut short.
        s.execute(
            update(JobRun)
            .where(JobRun.name == name, JobRun.result == "running")
            .values(result="interrupted", finished_at=now)
        )
        if calendar is not None:
            fired = _utc(calendar.last_at_or_before(_local(now))) - CLOCK_SLACK
            done = s.execute(
                select(JobRun.host, JobRun.started_at)
                .where(JobRun.name == name, JobRun.started_at >= fired, JobRun.result == "ok")
                .order_by(JobRun.started_at.desc())
                .limit(1)
            ).first()
            if done is not None:
                raise AlreadyRan(
                    f"作业 {name} 本次定时（{_local(fired + CLOCK_SLACK):%Y-%m-%d %H:%M}）已由 {done.host} "
                    f"于 {_local(done.started_at):%H:%M:%S} 运行，本次不运行"
                )
        record = JobRun(name=name, started_at=now, result="running", host=locks.host_id())
        s.add(record)
    return record


def _finish(url: str, record: JobRun, result: str, summary: dict | None, error: str | None) -> None:
    record.finished_at, record.result, record.summary, record.error = locks.utcnow(), result, summary, error
    with session_scope(url) as s:
        s.execute(
            update(JobRun)
            .where(JobRun.id == record.id)
            .values(finished_at=record.finished_at, result=result, summary=summary, error=error)
        )


@dataclass(frozen=True)
class JobStatus:
    name: str
    title: str
    schedule: str
    last: JobRun | None  # the newest run, whatever its result
    last_ok: dt.datetime | None  # local time
    next_run: dt.datetime  # local time

    @property
    def last_started(self) -> dt.datetime | None:
        return _local(self.last.started_at) if self.last else None

    @property
    def seconds(self) -> float | None:
        if self.last is None or self.last.finished_at is None:
            return None
        return (self.last.finished_at - self.last.started_at).total_seconds()


def status(url: str, now: dt.datetime | None = None) -> list[JobStatus]:
    """Every job with its schedule, newest run, last success and next firing (local times)."""
    now = now or dt.datetime.now()
    with session_scope(url) as s:
        newest = select(JobRun.name, func.max(JobRun.id).label("id")).group_by(JobRun.name).subquery()
        last = {r.name: r for r in s.execute(select(JobRun).join(newest, newest.c.id == JobRun.id)).scalars()}
        ok = dict(
            s.execute(
                select(JobRun.name, func.max(JobRun.started_at))
                .where(JobRun.result == "ok")
                .group_by(JobRun.name)
            ).all()
        )
    return [
        JobStatus(
            name=job.name,
            title=job.title,
            schedule=calendar.text,
            last=last.get(job.name),
            last_ok=_local(ok[job.name]) if job.name in ok else None,
            next_run=calendar.next_after(now),
        )
        for job, calendar in jobs()
    ]


def recent(url: str, limit: int = 20) -> list[JobRun]:
    with session_scope(url) as s:
        return list(s.execute(select(JobRun).order_by(JobRun.id.desc()).limit(limit)).scalars())
