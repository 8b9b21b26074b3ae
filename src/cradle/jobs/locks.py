"""One run of a job at a time, across hosts.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection of its own, held for the run;
the server drops it with the connection, so a crashed host never leaves it behind. The connection is named
`cradle-job:<name> <host>:<pid>` so a refused run can say who holds the lock.

SQLite: a row in `jobs_lock` naming the holder, claimed with an INSERT (or an UPDATE of a lapsed claim that
names the claim it replaces, so two claimants cannot both win) and renewed every LEASE/4 while the job runs.
A claim of this host lapses exactly when its process is gone; another host's when its lease runs out (the host
crashed, or lost the database for a whole lease).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from cradle.db import get_engine
from cradle.jobs.models import JobLock

LEASE = dt.timedelta(minutes=10)


class JobBusy(RuntimeError):
    """Another process holds the job's lock; the message says which, where it can be known."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def host_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key per job name (advisory locks share one key space per database)."""
    return int.from_bytes(hashlib.sha256(f"cradle.jobs:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def hold(url: str, name: str, lease: dt.timedelta = LEASE) -> Iterator[None]:
    """Holds job `name`'s lock for the block, or raises JobBusy at once."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name):
            yield
    else:
        with _claim(engine, name, lease):
            yield


@contextmanager
def _advisory(engine, name: str) -> Iterator[None]:
    key = advisory_key(name)
    conn = engine.connect()
    try:
        conn.execute(
            text("SELECT set_config('application_name', :n, false)"), {"n": f"cradle-job:{name} {host_id()}"}
        )
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        conn.commit()  # a session-level lock outlives the transaction; none is left open for the run
        if not got:
            raise JobBusy(f"作业 {name} 正在运行（{_advisory_holder(conn, key) or '另一进程'}），本次不运行")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
    finally:
        conn.invalidate()  # closed, not pooled: no lock and no job name is left on a connection others reuse
        conn.close()


def _advisory_holder(conn: Connection, key: int) -> str | None:
    """The holder's connection name and start, when this role may see it (pg_stat_activity)."""
    row = conn.execute(
        text(
            "SELECT a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
        ),
        {"hi": (key >> 32) & 0xFFFFFFFF, "lo": key & 0xFFFFFFFF},
    ).first()
    conn.rollback()
    if row is None or not row[0]:
        return None
    return f"{row[0].split(' ', 1)[-1]}，自 {row[1]:%Y-%m-%d %H:%M:%S}"


def _lapsed(holder: str, expires_at: dt.datetime, now: dt.datetime) -> bool:
    """A claim of this host lapses when its process is gone (whatever its lease says); another host's when its
    lease has run out."""
    host, _, rest = holder.partition(":")
    if host != socket.gethostname():
        return expires_at <= now
    try:
        os.kill(int(rest.split(":")[0]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


@contextmanager
def _claim(engine, name: str, lease: dt.timedelta) -> Iterator[None]:
    me = f"{host_id()}:{uuid.uuid4().hex[:8]}"
    _take(engine, name, me, lease)
    stop = threading.Event()
    beat = threading.Thread(target=_renew, args=(engine, name, me, lease, stop), daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()
        with engine.begin() as conn:
            conn.execute(delete(JobLock).where(JobLock.name == name, JobLock.holder == me))


def _take(engine, name: str, me: str, lease: dt.timedelta) -> None:
    now = utcnow()
    try:
        with engine.begin() as conn:
            held = conn.execute(select(JobLock).where(JobLock.name == name)).first()
            if held is None:
                conn.execute(
                    insert(JobLock).values(name=name, holder=me, acquired_at=now, expires_at=now + lease)
                )
                return
            if not _lapsed(held.holder, held.expires_at, now):
                raise JobBusy(
                    f"作业 {name} 正在运行（{held.holder.rsplit(':', 1)[0]}，自 {held.acquired_at:%Y-%m-%d %H:%M:%S} "
                    "UTC），本次不运行"
                )
            taken = conn.execute(
                update(JobLock)
                .where(JobLock.name == name, JobLock.holder == held.holder)
                .values(holder=me, acquired_at=now, expires_at=now + lease)
            ).rowcount
            if taken != 1:
                raise JobBusy(f"作业 {name} 刚被另一进程启动，本次不运行")
    except IntegrityError:
        raise JobBusy(f"作业 {name} 刚被另一进程启动，本次不运行") from None
    except OperationalError as exc:
        if "locked" not in str(exc.orig):
            raise
        raise JobBusy(f"作业 {name}：数据库正被另一进程写入，本次不运行") from None


def _renew(engine, name: str, me: str, lease: dt.timedelta, stop: threading.Event) -> None:
    while not stop.wait(lease.total_seconds() / 4):
        try:
            with engine.begin() as conn:
                conn.execute(
                    update(JobLock)
                    .where(JobLock.name == name, JobLock.holder == me)
                    .values(expires_at=utcnow() + lease)
                )
        except OperationalError:
            continue  # the job itself is writing; the next beat comes well within the lease
