"""A feed file uploaded through the pages or the API is ingested in the background, not inside the request: the
request checks who may upload which department's file, stores the file under the data folder (`uploads/`),
records the upload (`registry_upload`, queued) and answers at once with its id; a worker thread runs the same
checks and ingest as before (`uploads.upload`, as `cradle ingest` does) and records the outcome: the ingest run
(whose page has the counts and the quarantine) or the refusal, each problem a message id with its field and
parameters (a bad row named by its line), said in the reader's language when shown.

The file is kept until its ingest has ended, so an upload whose process went away is started again when its
page is next read (`resume`) or by the `uploads` job (`resume_abandoned`), whichever comes first; the form's token (the API's `Idempotency-Key`) makes a resubmitted form answer
with the upload it made, never a second ingest. `cradle ingest` is unchanged: it ingests in the command.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cradle.auth import accounts
from cradle.auth.actor import Actor, from_account
from cradle.config import get_settings
from cradle.db import get_engine, session_scope
from cradle.errors import N_, Conflict, DomainError, Forbidden, Invalid, NotFound
from cradle.registry import access, uploads
from cradle.registry.feeds import FEEDS
from cradle.registry.models import IngestRun, Upload

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")
ABANDONED = dt.timedelta(
    minutes=30
)  # queued or running this long with no worker of this process: started again
FAILED = N_("The file could not be ingested: %(reason)s")
log = logging.getLogger(__name__)
_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cradle-upload")
_lock = threading.Lock()
_running: set[int] = set()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def folder() -> Path:
    return get_settings().data_dir / "uploads"


def check(actor: Actor, dept: str, name: str) -> None:
    """What the request itself refuses, naming the field: the department, the file's name and type, the role."""
    if dept not in FEEDS:
        raise Invalid("dept", N_("Choose a department"))
    if not name:
        raise Invalid("file", N_("Choose a file"))
    if not name.lower().endswith(SUFFIXES):
        raise Invalid(
            "file",
            N_("Unsupported file type %(suffix)s: use CSV, Excel (.xlsx) or Parquet"),
            suffix=Path(name).suffix,
        )
    if not access.may_upload(actor, dept):
        raise Forbidden(
            "dept", N_("Your account cannot upload files of %(dept)s"), code="forbidden_role", dept=dept
        )


def by_token(session: Session, actor: Actor, token: str | None) -> Upload | None:
    """The upload made with `token` (by this account), if any."""
    if not token:
        return None
    row = session.scalar(select(Upload).where(Upload.token == token))
    if row is not None and row.account_id != actor.account_id:
        raise Conflict("token", N_("This upload token belongs to another upload"))
    return row


def store(
    session: Session, actor: Actor, dept: str, name: str, data: BinaryIO, token: str | None = None
) -> Upload:
    """Stores the file and records the upload, queued (the caller commits, then `launch`es it). With a token
    already used, the upload made with it (nothing stored again)."""
    token = (token or "").strip()[:64] or uuid.uuid4().hex
    done = by_token(session, actor, token)
    if done is not None:
        return done
    name = Path(name or "").name
    check(actor, dept, name)
    if actor.account_id is None:
        raise Forbidden("actor", N_("Your role may not do this."))
    where = folder() / uuid.uuid4().hex
    where.mkdir(parents=True, exist_ok=True)
    path = where / name
    with open(path, "wb") as out:
        shutil.copyfileobj(data, out, 1 << 20)
    row = Upload(
        token=token,
        account_id=actor.account_id,
        dept=dept,
        file_name=name,
        path=str(path),
        status="queued",
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, actor: Actor, upload_id: int) -> Upload:
    row = session.get(Upload, upload_id)
    if row is None or row.account_id != actor.account_id:
        raise NotFound("upload", N_("No such upload"))
    return row


def progress(session: Session, row: Upload) -> IngestRun | None:
    """The ingest run of the upload: its rows read so far while running, its counts when done."""
    if row.run_id is not None:
        return session.get(IngestRun, row.run_id)
    return session.scalar(
        select(IngestRun).where(IngestRun.file_name == row.path).order_by(IngestRun.id.desc()).limit(1)
    )


def problems(row: Upload) -> list[DomainError]:
    """The refusal of a refused upload, as errors to be said in the reader's language."""
    return [Invalid(p.get("field"), p["message"], **(p.get("params") or {})) for p in row.problems or []]


def refusal_status(row: Upload) -> int:
    """The HTTP status of a refused upload's first problem (422 for a bad file, 403 for a row out of scope)."""
    return int((row.problems or [{}])[0].get("status") or 422)


def drain() -> None:
    """Waits until the uploads queued in this process have been ingested (tests; a worker's shutdown)."""
    _EXECUTOR.submit(lambda: None).result()


def launch(upload_id: int, url: str) -> None:
    """Runs the upload's ingest on the worker thread (once per process)."""
    with _lock:
        if upload_id in _running:
            return
        _running.add(upload_id)
        job = _EXECUTOR.submit(_run, upload_id, url)
        job.add_done_callback(lambda _f: _running.discard(upload_id))


def resume(row: Upload, url: str) -> None:
    """Starts again an upload left queued, or running past `ABANDONED`, by a process that went away (its file is
    still there); the worker's claim (`_claim`) keeps two processes from ingesting it both."""
    if row.status == "queued" or (
        row.status == "running" and row.started_at is not None and utcnow() - row.started_at > ABANDONED
    ):
        launch(row.id, url)


def resume_abandoned(url: str) -> dict:
    """Ingests here, one after another, the uploads left queued or running past `ABANDONED` (the `uploads` job:
    a worker that went away with nobody reading the upload's page). The claim keeps a live worker's upload its own."""
    cutoff = utcnow() - ABANDONED
    with session_scope(url) as s:
        ids = s.scalars(
            select(Upload.id)
            .where(
                ((Upload.status == "queued") & (Upload.created_at < cutoff))
                | ((Upload.status == "running") & (Upload.started_at < cutoff))
            )
            .order_by(Upload.id)
        ).all()
    for upload_id in ids:
        _run(upload_id, url)
    with session_scope(url) as s:
        done = s.scalars(select(Upload.status).where(Upload.id.in_(ids))).all() if ids else []
    return {"resumed": len(ids), "ingested": done.count("done"), "refused": done.count("refused")}


def _said(value):
    return value if isinstance(value, int | float | str) or value is None else str(value)


def _claim(session: Session, upload_id: int) -> bool:
    """Marks the upload running, atomically: True for the one worker (of any process) that may ingest it now;
    False when it is ingested, refused, or running elsewhere and not yet abandoned."""
    now = utcnow()
    claimed = session.execute(
        update(Upload)
        .where(
            Upload.id == upload_id,
            (Upload.status == "queued")
            | ((Upload.status == "running") & (Upload.started_at < now - ABANDONED)),
        )
        .values(status="running", started_at=now)
    ).rowcount
    return claimed == 1


def _run(upload_id: int, url: str) -> None:
    with session_scope(url) as s:
        if not _claim(s, upload_id):
            return
        row = s.get(Upload, upload_id)
        account = accounts.get(s, row.account_id)
        actor = from_account(account, "session") if account is not None and account.active else None
        dept, path = row.dept, Path(row.path)
    run_id, found = None, None
    try:
        if actor is None:  # the account was closed meanwhile
            raise Forbidden("actor", N_("Your role may not do this."))
        run_id = uploads.upload(get_engine(url), actor, dept, path).run_id
    except DomainError as exc:
        found = [
            {
                "field": p.field,
                "message": p.message_id,
                "params": {k: _said(v) for k, v in p.params.items()},
                "status": p.status,
            }
            for p in exc.items()
        ]
    except Exception as exc:  # noqa: BLE001 - the upload says it failed; the log has the traceback
        log.exception("upload %s failed", upload_id)
        found = [
            {"field": "file", "message": FAILED, "params": {"reason": f"{type(exc).__name__}: {exc}"[:500]}}
        ]
    with session_scope(url) as s:
        row = s.get(Upload, upload_id)
        row.status = "refused" if found else "done"
        row.run_id, row.problems, row.finished_at = run_id, found, utcnow()
    shutil.rmtree(path.parent, ignore_errors=True)
