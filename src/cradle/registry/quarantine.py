"""Quarantined rows: list, export, correct, re-submit. The row as read is never overwritten: a correction is
stored beside it, and a re-submission runs the corrected row through the same ingest as a file row."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from cradle.atomicfile import atomic_open
from cradle.db import get_engine
from cradle.errors import N_, Invalid, NotFound
from cradle.registry.feeds import get_feed
from cradle.registry.ingest import IngestSummary, ingest_frames
from cradle.registry.models import QuarantineRow
from cradle.registry.reader import ROW_NO


def town_filter(town: str | None):
    """The rows naming `town` (a 9-digit 乡镇/街道 code), or None for no filter; a malformed code is refused."""
    if town is None:
        return None
    if not (len(town) == 9 and town.isdigit()):
        raise Invalid("town", N_("Should be a 9-digit town (street) code: %(town)s"), town=town)
    return QuarantineRow.town == town


def _query(run_id=None, dept=None, reason=None, status="open", where=None):
    q = select(QuarantineRow).order_by(QuarantineRow.id)
    if where is not None:  # the caller's scope (cradle.registry.access.quarantine_filter)
        q = q.where(where)
    if run_id is not None:
        q = q.where(QuarantineRow.run_id == run_id)
    if dept:
        q = q.where(QuarantineRow.dept == dept)
    if reason:
        q = q.where(QuarantineRow.reason == reason)
    if status and status != "all":
        q = q.where(QuarantineRow.status == status)
    return q


def list_rows(
    session: Session, *, run_id=None, dept=None, reason=None, status="open", limit=100, offset=0, where=None
) -> list[QuarantineRow]:
    q = _query(run_id, dept, reason, status, where)
    return list(session.execute(q.limit(limit).offset(offset)).scalars())


def count_rows(session: Session, *, run_id=None, dept=None, reason=None, status="open", where=None) -> int:
    q = _query(run_id, dept, reason, status, where).order_by(None)
    return session.execute(select(func.count()).select_from(q.subquery())).scalar_one()


def export_csv(
    session: Session,
    out: Path,
    *,
    run_id=None,
    dept=None,
    status="open",
    where=None,
    values: Callable[[QuarantineRow], dict] | None = None,
) -> int:
    """The rows as read (corrections applied), with where they came from and why they were refused; opens in
    Excel (UTF-8 BOM). `values(row)` may replace a row's values (the API masks ID numbers with it)."""
    n = 0
    with atomic_open(
        out, "w", encoding="utf-8-sig", newline=""
    ) as fh:  # whole or absent, even on a full disk
        writer = None
        q = _query(run_id, dept, None, status, where).execution_options(yield_per=1000)
        for r in session.execute(q).scalars():
            row = values(r) if values else {k: (r.corrected or {}).get(k, v) for k, v in r.raw.items()}
            if row is None:
                continue
            if writer is None:
                cols = ["quarantine_id", "dept", "file", "row_no", "field", "reason", "message"]
                writer = csv.writer(fh)
                writer.writerow(cols + list(r.raw))
            writer.writerow(
                [
                    r.id,
                    r.dept,
                    r.file_name,
                    r.row_no,
                    r.field,
                    r.reason,
                    r.message,
                    *[row.get(k) for k in r.raw],
                ]
            )
            n += 1
    return n


def correct(session: Session, row_id: int, changes: dict[str, str | None]) -> QuarantineRow:
    row = session.get(QuarantineRow, row_id)
    if row is None:
        raise NotFound("row_id", N_("Quarantined row does not exist: %(row)s"), row=row_id)
    if row.status != "open":
        raise Invalid(
            "row_id",
            N_("Quarantined row %(row)s already handled (%(status)s)"),
            row=row_id,
            status=row.status,
        )
    unknown = [k for k in changes if k not in get_feed(row.dept).names]
    if unknown:
        raise Invalid(
            "changes", N_("%(dept)s has no fields: %(fields)s"), dept=row.dept, fields=", ".join(unknown)
        )
    row.corrected = {**(row.corrected or {}), **changes}
    row.updated_at = dt.datetime.now()
    return row


def dismiss(session: Session, row_ids: list[int]) -> list[QuarantineRow]:
    """Closes open rows without storing them (the department sends the record again, or it was never valid)."""
    rows = [session.get(QuarantineRow, i) for i in row_ids]
    for i, (row_id, row) in enumerate(zip(row_ids, rows, strict=True)):
        if row is None or row.status != "open":
            raise Invalid(
                f"ids[{i}]",
                N_("These quarantined rows do not exist or are already handled: %(rows)s"),
                rows=[row_id],
            )
    now = dt.datetime.now()
    for row in rows:
        row.status, row.updated_at = "dismissed", now
    session.flush()
    return rows


def resubmit(
    row_ids: list[int] | None = None,
    *,
    dept: str | None = None,
    url: str | None = None,
    engine: Engine | None = None,
) -> list[IngestSummary]:
    """Run corrected (or, if named, uncorrected) open rows through ingest again, one run per department.
    The old rows are closed; a row still refused is quarantined afresh with its new reason."""
    engine = engine or get_engine(url)
    with Session(engine) as session:
        q = select(QuarantineRow).where(QuarantineRow.status == "open")
        if row_ids:
            q = q.where(QuarantineRow.id.in_(row_ids))
        else:
            q = q.where(QuarantineRow.corrected.is_not(None))
        if dept:
            q = q.where(QuarantineRow.dept == dept)
        rows = list(session.execute(q.order_by(QuarantineRow.id)).scalars())
        if row_ids and len(rows) != len(set(row_ids)):
            missing = sorted(set(row_ids) - {r.id for r in rows})
            raise Invalid(
                "ids",
                N_("These quarantined rows do not exist or are already handled: %(rows)s"),
                rows=missing,
            )
        by_dept: dict[str, list[QuarantineRow]] = {}
        for r in rows:
            by_dept.setdefault(r.dept, []).append(r)
        payload = {
            d: [(r.id, r.row_no, r.file_name, {**r.raw, **(r.corrected or {})}) for r in rs]
            for d, rs in by_dept.items()
        }
    results = []
    for d, items in payload.items():
        names = get_feed(d).names
        frame = pl.DataFrame(
            [{**{k: v.get(k) for k in names}, ROW_NO: row_no} for _, row_no, _, v in items],
            schema={**dict.fromkeys(names, pl.String), ROW_NO: pl.Int64},
        )
        ids = [i for i, _, _, _ in items]
        files = sorted({f for _, _, f, _ in items})
        with (
            engine.begin() as conn
        ):  # closed first, so the unchanged row is not mistaken for one already filed
            conn.execute(
                update(QuarantineRow)
                .where(QuarantineRow.id.in_(ids))
                .values(status="resubmitted", updated_at=dt.datetime.now())
            )
        try:
            s = ingest_frames(
                engine, d, [frame], file_name=f"resubmit: {', '.join(files)}"[:500], kind="resubmit"
            )
        except BaseException:
            with engine.begin() as conn:
                conn.execute(update(QuarantineRow).where(QuarantineRow.id.in_(ids)).values(status="open"))
            raise
        with engine.begin() as conn:
            conn.execute(
                update(QuarantineRow).where(QuarantineRow.id.in_(ids)).values(resolved_run_id=s.run_id)
            )
        results.append(s)
    return results
