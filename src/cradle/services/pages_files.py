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

from cradle.db import RequestSession
from cradle.services import applications, certificates, files
from cradle.services.errors import Invalid, ServiceError
from cradle.services.web import error_list, guarded, page_actor, see_other
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)


async def _chosen_file(request: Request) -> tuple[str, str, bytes] | None:
    """(name, content type, bytes) of the form's `file`, or None when no file was chosen. Read at most one byte
    over the limit: enough for the service to refuse it."""
    item = (await request.form()).get("file")
    if isinstance(item, StarletteUpload) and item.filename:
        return item.filename, item.content_type or "", await item.read(applications.MAX_ATTACHMENT + 1)
    return None


ChosenFile = Annotated[tuple[str, str, bytes] | None, Depends(_chosen_file)]


def _back(actor, case_no: str) -> str:
    return f"/staff/cases/{case_no}" if actor.role in ("town", "county") else f"/applications/{case_no}"


def _refused(request: Request, s: Session, actor, case_no: str, exc: ServiceError) -> Response:
    from cradle.services.pages_citizen import case_page
    from cradle.services.pages_staff import staff_case_page

    s.rollback()
    if exc.status == 404:
        return render(request, "error.html", status_code=404, status=404, errors=error_list(exc))
    show = staff_case_page if actor.role in ("town", "county") else case_page
    return show(
        request,
        s,
        actor,
        case_no,
        error_list(exc, {"content_type": "file", "name": "file"}),
        status_code=exc.status,
    )


@router.post("/applications/{case_no}/attachments")
@guarded
def upload(request: Request, s: RequestSession, case_no: str, chosen: ChosenFile) -> Response:
    actor = page_actor(request, "citizen")
    try:
        if chosen is None:  # the form was sent without a file chosen
            raise Invalid("file", "请选择要上传的文件")
        applications.add_attachment(s, actor, case_no, *chosen)
    except ServiceError as exc:
        return _refused(request, s, actor, case_no, exc)
    return see_other(f"/applications/{case_no}#attachments")


@router.get("/services/cases/{case_no}/attachments/{attachment_id}")
@guarded
def download(request: Request, s: RequestSession, case_no: str, attachment_id: int) -> Response:
    actor = page_actor(request)
    try:
        row = files.fetch(s, actor, case_no, attachment_id)
    except ServiceError as exc:
        return render(
            request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
        )
    name = quote(row.name)
    return Response(
        row.data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/services/cases/{case_no}/decision")
@guarded
def issue_decision(request: Request, s: RequestSession, case_no: str) -> Response:
    actor = page_actor(request, "citizen", "town", "county")
    try:
        doc = certificates.issue_decision(s, actor, case_no)
    except ServiceError as exc:
        return _refused(request, s, actor, case_no, exc)
    return see_other(f"{_back(actor, case_no)}?doc={doc.doc_no}#documents")
