"""Rate limits on sign-in and registration, kept in the database so every worker process sees them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cradle.auth.models import Attempt, utcnow

WINDOW = dt.timedelta(minutes=15)
LOGIN_FAILURES_PER_CLIENT = 20  # failed sign-ins from one client address per window
REGISTRATIONS_PER_CLIENT = 10
ACCOUNT_LOCK_AFTER = 5  # consecutive failures lock the account …
ACCOUNT_LOCK_FOR = dt.timedelta(minutes=15)  # … for this long


def failures(session: Session, key: str, window: dt.timedelta = WINDOW) -> int:
    since = utcnow() - window
    return (
        session.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(Attempt.key == key, Attempt.at >= since, Attempt.ok.is_(False))
        )
        or 0
    )


def count(session: Session, key: str, window: dt.timedelta = WINDOW) -> int:
    since = utcnow() - window
    return (
        session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.key == key, Attempt.at >= since)
        )
        or 0
    )


def note(session: Session, key: str, ok: bool) -> None:
    session.add(Attempt(key=key[:80], ok=ok, at=utcnow()))
    session.flush()


def prune(session: Session, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    return session.execute(delete(Attempt).where(Attempt.at < utcnow() - older_than)).rowcount or 0
