"""JSON API of the population data hub, for officials: person search, a person's history with sources and
household JSON, ingest runs with their quarantine, quarantine correction and re-submission, and the identity
review queue (`cradle.registry.browse` holds the scope, masking and audit rules). Refusals are `cradle.errors`
errors, answered by the app's one handler."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import require
from cradle.registry import access, browse, upload_jobs
from cradle.registry.models import Upload
from cradle.registry.schemas import (
    CorrectIn,
    DecideIn,
    DecisionOut,
    DismissIn,
    DismissOut,
    HouseholdOut,
    PendingOut,
    PersonHistoryOut,
    PersonsOut,
    QuarantineOut,
    QuarantineRowOut,
    ResubmitIn,
    ResubmitOut,
    RunsOut,
    RunWithRowsOut,
    SplitIn,
    SplitOut,
    UploadOut,
)
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of

router = APIRouter(prefix="/api/v1/registry", tags=["registry"])
Official = Annotated[Actor, Depends(require(*access.READERS))]
Writer = Annotated[Actor, Depends(require(*access.WRITERS))]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/persons", summary="Search persons", response_model=PersonsOut)
def persons(
    db: RequestSession,
    actor: Official,
    id_number: str | None = None,
    name: str | None = None,
    birth_date: dt.date | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
):
    found = browse.find_persons(
        db, actor, id_number=id_number, name=name, birth_date=birth_date, limit=limit, offset=offset
    )
    return {"persons": found}


@router.get(
    "/persons/{person_id}",
    summary="A person with the history of every fact and its source",
    response_model=PersonHistoryOut,
)
def person(person_id: Id, db: RequestSession, actor: Official):
    return browse.person_history(db, actor, person_id)


@router.get(
    "/persons/{person_id}/household",
    summary="The catalogue's household JSON for this person",
    response_model=HouseholdOut,
)
def household(person_id: Id, db: RequestSession, actor: Official, on: dt.date | None = None):
    return browse.household(db, actor, person_id, on or dt.date.today())


@router.get("/runs", summary="Ingest runs overlapping your scope, newest first", response_model=RunsOut)
def runs(
    db: RequestSession,
    actor: Official,
    dept: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
):
    return {"runs": browse.runs(db, actor, dept, limit, offset)}


@router.get(
    "/runs/{run_id}",
    summary="One run with its quarantined rows inside your scope",
    response_model=RunWithRowsOut,
)
def run(
    run_id: Id,
    db: RequestSession,
    actor: Official,
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
):
    return browse.run_with_rows(db, actor, run_id, limit, offset)


@router.get("/quarantine", summary="Quarantined rows inside your scope", response_model=QuarantineOut)
def quarantine(
    db: RequestSession,
    actor: Official,
    run_id: int | None = None,
    dept: str | None = None,
    reason: str | None = None,
    status: str = "open",
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
):
    return browse.quarantined(
        db, actor, run_id=run_id, dept=dept, reason=reason, status=status, limit=limit, offset=offset
    )


@router.get(
    "/quarantine.csv",
    summary="Export quarantined rows inside your scope as CSV (ID numbers masked "
    "unless your role handles cases; unmasked exports are audited)",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "the rows as CSV (UTF-8 with BOM)",
        }
    },
)
def quarantine_csv(
    db: RequestSession,
    actor: Official,
    run_id: int | None = None,
    dept: str | None = None,
    status: str = "open",
) -> Response:
    data = browse.quarantine_csv(db, actor, run_id=run_id, dept=dept, status=status)
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=quarantine.csv"},
    )


@router.post(
    "/quarantine/{row_id}/correct",
    summary="Store a correction beside the row as read",
    response_model=QuarantineRowOut,
)
def correct(row_id: Id, body: CorrectIn, db: RequestSession, actor: Writer):
    return browse.correct(db, actor, row_id, body.changes)


@router.post(
    "/quarantine/resubmit", summary="Run corrected rows through ingest again", response_model=ResubmitOut
)
def resubmit(body: ResubmitIn, db: RequestSession, actor: Writer):
    return {"runs": browse.resubmit(db, actor, body.ids, engine=db.get_bind())}


@router.post(
    "/quarantine/dismiss",
    summary="Close quarantined rows without storing them, with a reason",
    response_model=DismissOut,
)
def dismiss(body: DismissIn, db: RequestSession, actor: Writer):
    return {"dismissed": browse.dismiss(db, actor, body.ids, body.reason)}


@router.get(
    "/identity/pending",
    summary="Candidate matches inside your scope waiting for an official",
    response_model=PendingOut,
)
def pending(db: RequestSession, actor: Official, limit: int = Query(50, ge=1, le=500), offset: Offset = 0):
    return {"pending": browse.pending(db, actor, limit, offset)}


@router.post(
    "/identity/candidates/{candidate_id}/decide",
    summary="Confirm (merge) or reject a candidate match",
    response_model=DecisionOut,
)
def decide(candidate_id: Id, body: DecideIn, db: RequestSession, actor: Writer):
    return browse.decide(db, actor, candidate_id, confirm=body.confirm, reason=body.reason)


@router.post("/identity/merges/{merge_id}/split", summary="Reverse a merge", response_model=SplitOut)
def split(merge_id: Id, body: SplitIn, db: RequestSession, actor: Writer):
    return browse.split(db, actor, merge_id, body.reason)


Uploader = Annotated[Actor, Depends(require(*access.UPLOADERS))]


def _upload_out(request: Request, db, row: Upload) -> dict:
    run = upload_jobs.progress(db, row) if row.status != "refused" else None
    locale = locale_of(request)
    return {
        "id": row.id,
        "dept": row.dept,
        "file": row.file_name,
        "status": row.status,
        "run_id": row.run_id,
        "rows_read": run.rows_read if run is not None else None,
        "problems": [{"field": p.field, "message": p.text(locale)} for p in upload_jobs.problems(row)],
    }


def _url(db) -> str:
    return db.get_bind().url.render_as_string(hide_password=False)


@router.post(
    "/uploads",
    summary="Upload a feed file: stored and ingested in the background (202; read /uploads/{id})",
    response_model=UploadOut,
    status_code=202,
)
def post_upload(
    request: Request,
    db: RequestSession,
    actor: Uploader,
    dept: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    idempotency_key: Annotated[str | None, Header()] = None,
):
    dept = actor.dept if actor.role == roles.DEPT else dept
    if file is None:
        upload_jobs.check(actor, dept, "")
    row = upload_jobs.store(db, actor, dept, file.filename or "", file.file, idempotency_key)
    db.commit()  # the worker reads the upload on a connection of its own
    upload_jobs.launch(row.id, _url(db))
    return JSONResponse(_upload_out(request, db, row), status_code=202)


@router.get("/uploads/{upload_id}", summary="An upload's progress and outcome", response_model=UploadOut)
def get_upload(upload_id: Id, request: Request, db: RequestSession, actor: Uploader):
    row = upload_jobs.get(db, actor, upload_id)
    upload_jobs.resume(row, _url(db))
    return _upload_out(request, db, row)
