"""Attachments and decision documents on the pages. A citizen (or her proxy) uploads PDF/JPEG/PNG material to
her application (`applications.add_attachment` checks type, size and state); the owner and the town or county
reviewers of its area list and download it (`files`); once the application is approved or rejected anyone who
may read it issues the decision as a PDF with the verification QR (`certificates.issue_decision`), downloaded
through the same route as the 生育登记 receipt."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError, Invalid
from cradle.services import applications, certificates, files
from cradle.services.offices import office
from cradle.services.pages_citizen import case_page
from cradle.services.pages_staff import staff_case_page
from cradle.services.web import OfficePage, error_list, see_other
from cradle.web.session import RequestSession

router = APIRouter(include_in_schema=False)
Citizen = Annotated[Actor, Depends(OfficePage("citizen"))]
AnyOffice = Annotated[Actor, Depends(OfficePage())]
CaseReader = Annotated[Actor, Depends(OfficePage("citizen", "town", "county"))]


async def _chosen_file(request: Request) -> tuple[str, str, bytes] | None:
    """(name, content type, bytes) of the form's `file`, or None when no file was chosen. Read at most one byte
    over the limit: enough for the service to refuse it."""
    item = (await request.form()).get("file")
    if isinstance(item, StarletteUpload) and item.filename:
        return item.filename, item.content_type or "", await item.read(applications.MAX_ATTACHMENT + 1)
    return None


ChosenFile = Annotated[tuple[str, str, bytes] | None, Depends(_chosen_file)]


def _reviewer(actor: Actor) -> bool:
    return office(actor) in ("town", "county")


def _refused(request: Request, s: Session, actor: Actor, case_no: str, exc: DomainError) -> Response:
    """The case's page with the refusal beside the file field; a case the actor may not read is the error page."""
    s.rollback()
    if exc.status == 404:
        raise exc
    show = staff_case_page if _reviewer(actor) else case_page
    errors = error_list(request, exc, {"content_type": "file", "name": "file"})
    return show(request, s, actor, case_no, errors, status_code=exc.status)


@router.post("/applications/{case_no}/attachments")
def upload(request: Request, s: RequestSession, actor: Citizen, case_no: str, chosen: ChosenFile) -> Response:
    try:
        if chosen is None:  # the form was sent without a file chosen
            raise Invalid("file", N_("Choose a file to upload"))
        applications.add_attachment(s, actor, case_no, *chosen)
    except DomainError as exc:
        return _refused(request, s, actor, case_no, exc)
    return see_other(f"/applications/{case_no}#attachments")


@router.get("/services/cases/{case_no}/attachments/{attachment_id}")
def download(s: RequestSession, case_no: str, attachment_id: int, actor: AnyOffice) -> Response:
    row = files.fetch(s, actor, case_no, attachment_id)
    return Response(
        row.data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/services/cases/{case_no}/decision")
def issue_decision(request: Request, s: RequestSession, actor: CaseReader, case_no: str) -> Response:
    try:
        doc = certificates.issue_decision(s, actor, case_no)
    except DomainError as exc:
        return _refused(request, s, actor, case_no, exc)
    back = f"/staff/cases/{case_no}" if _reviewer(actor) else f"/applications/{case_no}"
    return see_other(f"{back}?doc={doc.doc_no}#documents")
