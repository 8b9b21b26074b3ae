"""Tables of the jobs domain (branch `jobs`): every run of a scheduled job, and the claims that keep two hosts
from running one job at once on SQLite (PostgreSQL uses advisory locks instead)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base


class JobRun(Base):
    __tablename__ = "jobs_run"
    __table_args__ = (Index("ix_jobs_run_name", "name", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result: Mapped[str] = mapped_column(String(12))  # running | ok | failed | interrupted
    summary: Mapped[dict | None] = mapped_column(JSON)  # the job's counts (never personal data)
    host: Mapped[str] = mapped_column(String(120))  # host name and process id
    error: Mapped[str | None] = mapped_column(Text)  # one line, ID and phone numbers masked


class JobLock(Base):
    """A job's claim on SQLite: who holds it and until when (renewed while the job runs, so a crashed host's
    claim lapses; a claim of a dead process on the same host lapses at once)."""

    __tablename__ = "jobs_lock"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(160))  # host:pid:token
    acquired_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
