"""The scheduled jobs. A domain adds one by one entry in JOBS:

    Job("name", "cradle.<domain>.jobs:function", "<schedule>", N_("What it does, in English"))

The function takes a `JobContext` (database URL, today's date) and returns a small dict of counts for the run's
record (never personal data); it raises to fail the run. The schedule is the default (cradle.jobs.schedule's
syntax); `CRADLE_JOB_SCHEDULES="name=schedule;name=schedule"` overrides it per deployment, and the systemd timer
units are generated from the result (`cradle jobs systemd`), so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cradle.config import get_settings
from cradle.db import session_scope
from cradle.jobs.schedule import Calendar, ScheduleError, parse
from cradle.web.nav import N_


@dataclass(frozen=True)
class JobContext:
    url: str
    today: dt.date

    @contextmanager
    def session(self) -> Iterator[Session]:

        with session_scope(self.url) as s:
            yield s


@dataclass(frozen=True)
class Job:
    name: str
    function: str  # "module:function", imported when the job runs
    schedule: str
    title: str  # message id (English); shown in Chinese by default

    def load(self) -> Callable[[JobContext], dict]:
        module, _, attr = self.function.partition(":")
        return getattr(importlib.import_module(module), attr)


JOBS: tuple[Job, ...] = (
    Job(
        "proactive",
        "cradle.services.jobs:proactive",
        "*-*-* 01:30",
        N_("Proactive offers to eligible households from the data hub's candidate files"),
    ),
    Job(
        "escalation",
        "cradle.services.jobs:escalation",
        "*-*-* 07:00",
        N_("Escalation of applications past their review deadline to the level above"),
    ),
    Job("reminders", "cradle.services.jobs:reminders", "*-*-* 09:00", N_("Deadline reminders to citizens")),
    Job(
        "dispatch", "cradle.services.jobs:dispatch", "*-*-* *:0/10", N_("Text messages handed to the sender")
    ),
    Job(
        "payment-cycle",
        "cradle.payments.jobs:cycle",
        "*-*-05 02:00",
        N_("Payment batches of the month just ended (and of the year, in January)"),
    ),
    Job("backup", "cradle.backup.jobs:backup", "*-*-* 03:00", N_("Encrypted backup of the database")),
    Job(
        "assistance-candidates",
        "cradle.assistance.jobs:yearly_candidates",
        "*-01-02 02:00",
        N_(
            "The new year's 奖励扶助 and 特别扶助 candidate lists of the counties that ran last year's review"
        ),
    ),
    Job(
        "visit-reminders",
        "cradle.assistance.jobs:visit_reminders",
        "*-*-* 08:00",
        N_("Reminders for special families overdue for a visit"),
    ),
    Job(
        "health-sync",
        "cradle.health.jobs:sync",
        "*-*-* 02:30",
        N_("Maternal and child health: high-risk cases from the feeds, free checks offered to newlyweds"),
    ),
    Job(
        "uploads",
        "cradle.registry.jobs:uploads",
        "*-*-* *:0/15",
        N_("Uploaded feed files whose ingest was left unfinished, ingested again"),
    ),
)


class UnknownJob(LookupError):
    pass


def _overrides() -> dict[str, str]:
    """CRADLE_JOB_SCHEDULES as {name: schedule}; a wrong entry is an error naming it."""
    out = {}
    for entry in filter(None, (e.strip() for e in get_settings().job_schedules.split(";"))):
        name, sep, schedule = entry.partition("=")
        name = name.strip()
        if not sep or name not in {j.name for j in JOBS}:
            raise ScheduleError(f"CRADLE_JOB_SCHEDULES: {entry!r}: expected NAME=SCHEDULE with a job's name")
        try:
            parse(schedule)
        except ScheduleError as exc:
            raise ScheduleError(f"CRADLE_JOB_SCHEDULES: {name}: {exc}") from None
        out[name] = schedule.strip()
    return out


def jobs() -> list[tuple[Job, Calendar]]:
    """Every job with its schedule in force (the default or CRADLE_JOB_SCHEDULES's)."""
    overrides = _overrides()
    return [(job, parse(overrides.get(job.name, job.schedule))) for job in JOBS]


def get(name: str) -> tuple[Job, Calendar]:
    for job, calendar in jobs():
        if job.name == name:
            return job, calendar
    raise UnknownJob(f"没有名为 {name!r} 的作业（可用：{', '.join(j.name for j in JOBS)}）")
