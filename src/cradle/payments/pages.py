"""Payment pages for county and finance officials (their own county): the county's rates, batches (generate,
export the bank file, import the bank's return file, reconcile, retry failures); the stop form is
`pages_stops`. The same functions as the JSON API and the `cradle payments` commands."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError, Invalid
from cradle.idcard import mask
from cradle.payments import bankfile, batches, rates
from cradle.services import forms, validate
from cradle.services.catalogue import PROGRAMS
from cradle.services.offices import office
from cradle.services.web import OfficePage, error_list, form_data, label, see_other
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
Payer = Annotated[Actor, Depends(OfficePage("county", "finance"))]
County = Annotated[Actor, Depends(OfficePage("county"))]
DISBURSEMENT = N_("Disbursement")
# The rate form's fields, by the service's names.
RATE_FIELDS = {
    "amount": "rate_amount",
    "decision": "rate_decision",
    "program": "rate_program",
    "start": "rate_start",
}


def _last_month() -> str:
    first = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


def index_page(
    request: Request, s: Session, actor: Actor, errors: list, form: dict, status_code: int = 200
) -> Response:
    form = {
        "program": "zibo.nursery_fee_subsidy",
        "period": _last_month(),
        "rate_start": f"{dt.date.today():%Y-01-01}",
        **form,
    }
    return render(
        request,
        "payments/index.html",
        status_code=status_code,
        actor=actor,
        office=office(actor),
        batches=batches.batches(s, actor, actor.county),
        errors=errors,
        form=form,
        programs=forms.program_choices(locale_of(request)),
        rate_programs=[(p, forms.program_title(p)) for p, sp in PROGRAMS.items() if sp.rate_parameter],
        breadcrumbs=[(label(request, DISBURSEMENT), None)],
    )


@router.get("/payments")
def index(request: Request, s: RequestSession, actor: Payer) -> Response:
    return index_page(request, s, actor, [], {})


@router.post("/payments/batches")
def generate(request: Request, s: RequestSession, actor: Payer, form: FormDep) -> Response:
    try:
        b = batches.generate(s, actor, form.get("program", ""), form.get("period", ""), actor.county)
    except DomainError as exc:
        s.rollback()
        return index_page(request, s, actor, error_list(request, exc), form, status_code=exc.status)
    return see_other(f"/payments/batches/{b.batch_no}")


@router.post("/payments/rates")
def set_rate(request: Request, s: RequestSession, actor: County, form: FormDep) -> Response:
    try:
        start = validate.date(form, "rate_start")  # the error names rate_start
        rates.set_rate(
            s,
            actor,
            form.get("rate_program", ""),
            actor.county,
            start,
            form.get("rate_amount", ""),
            form.get("rate_decision", ""),
        )
    except DomainError as exc:
        s.rollback()
        errors = error_list(request, exc, RATE_FIELDS)
        return index_page(request, s, actor, errors, form, status_code=exc.status)
    return see_other("/payments?rate=1")


def _batch(
    request: Request, s: Session, actor: Actor, batch_no: str, errors: list, status_code: int = 200
) -> Response:
    b = batches.get_batch(s, actor, batch_no)
    return render(
        request,
        "payments/batch.html",
        status_code=status_code,
        b=b,
        recon=batches.summary(s, b),
        payments=batches.payments_in(s, b),
        mask=mask,
        errors=errors,
        title_of=forms.program_title,
        breadcrumbs=[(label(request, DISBURSEMENT), "/payments"), (b.batch_no, None)],
    )


@router.get("/payments/batches/{batch_no}")
def batch_page(request: Request, s: RequestSession, actor: Payer, batch_no: str) -> Response:
    return _batch(request, s, actor, batch_no, [])


@router.post("/payments/batches/{batch_no}/export")
def export(request: Request, s: RequestSession, actor: Payer, batch_no: str, form: FormDep) -> Response:
    fd, path = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    try:
        bankfile.export(s, actor, batch_no, path, encoding=form.get("encoding") or "utf-8-sig")
        content = Path(path).read_bytes()
    except DomainError as exc:
        s.rollback()
        return _batch(request, s, actor, batch_no, error_list(request, exc), status_code=exc.status)
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return Response(
        content,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{batch_no}.csv"'},
    )


@router.post("/payments/batches/{batch_no}/return")
def import_return(
    request: Request, s: RequestSession, actor: Payer, batch_no: str, file: UploadFile = File(None)
) -> Response:
    """A multipart upload: the page sends it through htmx, whose request carries the X-CSRF-Token header."""
    try:
        content = file.file.read() if file is not None else b""
        if not content:
            raise Invalid("file", N_("Choose the bank return file"))
        bankfile.import_return(s, actor, batch_no, content)
    except DomainError as exc:
        s.rollback()  # htmx swaps only successful answers: the page with the error beside the file field
        status = 200 if request.headers.get("hx-request") else exc.status
        return _batch(request, s, actor, batch_no, error_list(request, exc), status_code=status)
    return _redirect(request, f"/payments/batches/{batch_no}?imported=1")


@router.post("/payments/batches/{batch_no}/retry")
def retry(request: Request, s: RequestSession, actor: Payer, batch_no: str) -> Response:
    try:
        b = batches.get_batch(s, actor, batch_no)
        again = batches.retry_failures(s, actor, b.program, b.period, b.county)
    except DomainError as exc:
        s.rollback()
        return _batch(request, s, actor, batch_no, error_list(request, exc), status_code=exc.status)
    return see_other(f"/payments/batches/{again.batch_no}")


def _redirect(request: Request, path: str) -> Response:
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": path})
    return see_other(path)
