"""`record_run(kind, seconds, rows)`: where an ingest, batch, 免申即享 (proactive) or payment run ends, it leaves
one row in `ops_run`; /metrics shows the last of each kind (cradle.ops.metrics), whichever process ran it."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cradle.db import get_engine
from cradle.ops.models import OpsRun

KINDS = ("ingest", "batch", "proactive", "payment")
log = logging.getLogger("cradle.ops")


def record_run(
    kind: str, seconds: float, rows: int, *, session: Session | None = None, engine: Engine | None = None
) -> None:
    """Store a finished run. With `session` the row joins the run's own transaction (stored if and only if the
    run's work is). Otherwise it is written on its own through `engine` (default: the configured database's); a
    database that cannot take it (never set up, unreachable) costs a warning, not the run, whose work is done."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    values = {
        "kind": kind,
        "finished_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "seconds": float(seconds),
        "rows": int(rows),
    }
    if session is not None:
        session.execute(insert(OpsRun), [values])
        return

    engine = engine or get_engine()
    if _missing_sqlite_file(
        engine.url
    ):  # a batch read from files on a machine with no database: none to create
        return
    try:
        with engine.begin() as conn:
            conn.execute(insert(OpsRun), [values])
    except SQLAlchemyError as exc:
        log.warning("the %s run was not recorded for /metrics: %s", kind, str(exc).splitlines()[0])


def _missing_sqlite_file(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and bool(url.database) and not Path(url.database).exists()


def last_runs(conn: Connection) -> dict[str, OpsRun]:
    """The newest run of each kind."""
    newest = select(func.max(OpsRun.id)).group_by(OpsRun.kind)
    rows = conn.execute(select(OpsRun.__table__).where(OpsRun.id.in_(newest))).all()
    return {r.kind: r for r in rows}
