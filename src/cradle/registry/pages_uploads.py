"""The feed upload page (/registry/uploads): a department clerk (or a county official, for any department)
uploads a CSV, Excel or Parquet file; the browser shows the upload's progress, the server stores the file and
answers at once with the upload's page (`upload_jobs`: the same ingest as `cradle ingest`, in the background),
which refreshes until the ingest has ended and then shows the run's summary page (counts, quarantine). A refusal
(a wrong header, a row outside the uploader's scope) is shown beside the file field and stores nothing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import DomainError
from cradle.registry import access, browse, upload_jobs
from cradle.registry.feeds import FEEDS
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/registry", include_in_schema=False)
Uploader = Annotated[Actor, Depends(PageActor(*access.UPLOADERS))]
Id = Annotated[int, PathParam(ge=1, le=2**62)]


def _departments(actor: Actor) -> list[str]:
    return [actor.dept] if actor.role == roles.DEPT else list(FEEDS)


def _page(
    request: Request, db, actor: Actor, dept: str = "", errors=None, status_code: int = 200, refused=None
) -> Response:
    return render(
        request,
        "registry/uploads.html",
        status_code=status_code,
        departments=_departments(actor),
        dept=dept,
        errors=errors or {},
        refused=refused,
        token=uuid.uuid4().hex,  # a resubmitted form answers with the upload it made
        runs=browse.runs(db, actor, dept=actor.dept if actor.role == roles.DEPT else None, limit=10),
    )


@router.get("/uploads")
def uploads_page(request: Request, db: RequestSession, actor: Uploader) -> Response:
    return _page(request, db, actor, dept=_departments(actor)[0] if actor.role == roles.DEPT else "")


@router.post("/uploads")
def upload(
    request: Request,
    db: RequestSession,
    actor: Uploader,
    dept: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    upload_token: Annotated[str, Form()] = "",
) -> Response:
    dept = actor.dept if actor.role == roles.DEPT else dept
    name = Path((file.filename if file else "") or "").name
    try:
        if file is None:
            upload_jobs.check(actor, dept, "")
        row = upload_jobs.store(db, actor, dept, name, file.file, upload_token)
    except DomainError as exc:
        db.rollback()
        errors = {p.field or "file": p.text(locale_of(request)) for p in exc.items()}
        return _page(request, db, actor, dept, errors, status_code=exc.status)
    db.commit()  # the worker reads the upload on a connection of its own
    upload_jobs.launch(row.id, _url(db))
    return RedirectResponse(f"/registry/uploads/{row.id}", status_code=303)


def _url(db) -> str:
    return db.get_bind().url.render_as_string(hide_password=False)


@router.get("/uploads/{upload_id}")
def upload_status(upload_id: Id, request: Request, db: RequestSession, actor: Uploader) -> Response:
    """The upload's progress, refreshed until its ingest has ended; then the run's summary page (the counts and
    the quarantine), or the form with the refusal beside its field."""
    row = upload_jobs.get(db, actor, upload_id)
    if row.status == "done":
        return RedirectResponse(f"/registry/runs/{row.run_id}", status_code=303)
    if row.status == "refused":
        locale = locale_of(request)
        errors = {p.field or "file": p.text(locale) for p in upload_jobs.problems(row)}
        status = upload_jobs.refusal_status(row)
        return _page(request, db, actor, row.dept, errors, status_code=status, refused=row)
    upload_jobs.resume(row, _url(db))
    return render(request, "registry/upload_status.html", upload=row, run=upload_jobs.progress(db, row))
