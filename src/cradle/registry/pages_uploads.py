"""The feed upload page (/registry/uploads): a department clerk (or a county official, for any department)
uploads a CSV, Excel or Parquet file; the browser shows the upload's progress, the server runs the same ingest as
`cradle ingest` and answers with the run's summary page. A refusal (a wrong header, a row outside the uploader's
scope) is shown beside the file field and stores nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.db import RequestSession
from cradle.errors import N_, Invalid, OutOfScope
from cradle.registry import access, browse, uploads
from cradle.registry.feeds import FEEDS
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/registry", include_in_schema=False)
Uploader = Annotated[Actor, Depends(PageActor(*access.UPLOADERS))]
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")


def _departments(actor: Actor) -> list[str]:
    return [actor.dept] if actor.role == roles.DEPT else list(FEEDS)


def _page(
    request: Request, db, actor: Actor, dept: str = "", errors=None, status_code: int = 200
) -> Response:
    return render(
        request,
        "registry/uploads.html",
        status_code=status_code,
        departments=_departments(actor),
        dept=dept,
        errors=errors or {},
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
) -> Response:
    dept = actor.dept if actor.role == roles.DEPT else dept
    name = Path((file.filename if file else "") or "").name
    try:
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
        db.commit()  # the ingest writes on connections of its own
        with tempfile.TemporaryDirectory(prefix="cradle-upload-") as d:
            path = Path(d) / name
            with open(path, "wb") as out:
                shutil.copyfileobj(file.file, out, 1 << 20)
            summary = uploads.upload(db.get_bind(), actor, dept, path)
    except (Invalid, OutOfScope) as exc:
        errors = {p.field or "file": p.text(locale_of(request)) for p in exc.items()}
        return _page(request, db, actor, dept, errors, status_code=exc.status)
    query = "?already=1" if summary.skipped_as_already_ingested else ""
    return RedirectResponse(f"/registry/runs/{summary.run_id}{query}", status_code=303)
