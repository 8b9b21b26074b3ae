"""JSON API of the payments: batches (generate, the bank file, the bank's return, reconciliation) and stops, under
/api/v1/services/payments/... Actions take an `Idempotency-Key` header like the services API, with the same
callers (`cradle.services.callers`)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.idcard import mask
from cradle.payments import bankfile, batches, stops
from cradle.payments.schemas import BatchIn, BatchSummary, ReturnApplied, StopIn, Stopped
from cradle.services.callers import Reader
from cradle.services.idempotency import body_of, idempotent
from cradle.web.session import RequestSession

router = APIRouter(prefix="/api/v1/services/payments", tags=["payments"])
CSV = {200: {"content": {"text/csv": {}}}}


@router.post(
    "/batches",
    status_code=201,
    response_model=BatchSummary,
    summary="Generate a payment batch (program, period, county)",
)
@idempotent()
def post_batch(body: BatchIn, *, db: Session, actor: Actor) -> dict:
    b = batches.generate(db, actor, body.program or "", body.period or "", body.county or "")
    return batches.summary(db, b)


@router.post(
    "/batches/{batch_no}/export",
    response_class=Response,
    responses=CSV,
    summary="The bank file (CSV, docs/payments.md)",
)
def post_export(batch_no: str, db: RequestSession, actor: Reader, encoding: str = "utf-8-sig") -> Response:
    fd, path = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    try:
        bankfile.export(db, actor, batch_no, path, encoding=encoding)
        content = Path(path).read_bytes()
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return Response(
        content,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{batch_no}.csv"'},
    )


@router.post(
    "/batches/{batch_no}/return", response_model=ReturnApplied, summary="Import the bank's return file"
)
def post_return(
    batch_no: str, file: Annotated[UploadFile, File()], db: RequestSession, actor: Reader
) -> dict:
    return bankfile.import_return(db, actor, batch_no, file.file.read())


@router.get("/batches/{batch_no}", response_model=BatchSummary)
def get_batch(batch_no: str, db: RequestSession, actor: Reader) -> dict:
    return batches.summary(db, batches.get_batch(db, actor, batch_no))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@router.post(
    "/stops",
    response_model=list[Stopped],
    summary="Stop a beneficiary's payments on death or moving away (county/finance)",
)
@idempotent()
def post_stop(body: StopIn, *, db: Session, actor: Actor) -> list[dict]:
    return [
        {
            "entitlement": e.id,
            "program": e.program,
            "beneficiary": mask(e.beneficiary_id_number),
            "status": e.status,
            "stop_reason": e.stop_reason,
            "stop_date": _iso(e.stop_date),
        }
        for e in stops.stop_for(db, actor, body_of(body))
    ]
