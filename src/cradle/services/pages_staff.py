"""Officials' pages: the review queue of a town or county official (their own town or county only), a case with
approve / return / reject and the reason, and a department's queue of 出生一件事 tasks. The actions call the same
service functions as the JSON API (`applications.act`, `bundle.move`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle.db import RequestSession
from cradle.idcard import mask
from cradle.services import applications, bundle, escalation, forms, review
from cradle.services.errors import ServiceError
from cradle.services.web import error_list, form_data, guarded, page_actor, see_other
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
STAFF = ("town", "county", "dept", "finance")


def _workbench(
    request: Request,
    s: Session,
    actor,
    status: str | None,
    errors: list,
    done: str = "",
    status_code: int = 200,
) -> Response:
    cases, tasks = [], []
    if actor.role in ("town", "county"):
        cases = applications.queue(s, actor, status or None)
    elif actor.role == "dept":
        tasks = bundle.dept_queue(s, actor, status or None)
    escalated = escalation.open_for(s, actor)
    return render(
        request,
        "services/staff.html",
        status_code=status_code,
        actor=actor,
        cases=cases,
        tasks=tasks,
        escalated=escalated,
        status=status or "",
        states=review.STATES,
        status_text=applications.STATUS_TEXT,
        task_status=bundle.STATUS_TEXT,
        title_of=forms.program_title,
        mask=mask,
        errors=errors,
        done=done,
        overdue=applications.is_overdue,
        breadcrumbs=[("工作台", None)],
    )


@router.get("/staff")
@guarded
def workbench(request: Request, s: RequestSession, status: str = "", done: str = "") -> Response:
    actor = page_actor(request, *STAFF)
    try:
        return _workbench(request, s, actor, status, [], done)
    except ServiceError as exc:
        return _workbench(request, s, actor, "", error_list(exc), status_code=exc.status)


def staff_case_page(
    request: Request, s: Session, actor, case_no: str, errors: list, status_code: int = 200
) -> Response:
    from sqlalchemy import select

    from cradle.services.models import IssuedDocument

    try:
        case = applications.get(s, actor, case_no)
    except ServiceError as exc:
        return render(
            request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
        )
    actions = review.allowed_actions(case.status, actor.role)
    docs = (
        s.execute(
            select(IssuedDocument)
            .where(IssuedDocument.subject == f"case:{case.case_no}")
            .order_by(IssuedDocument.id.desc())
        )
        .scalars()
        .all()
    )
    return render(
        request,
        "services/staff_case.html",
        status_code=status_code,
        c=case,
        docs=docs,
        title=forms.program_title(case.program),
        steps=applications.steps(s, case),
        attachments=applications.attachments(s, case),
        status_text=applications.STATUS_TEXT,
        members=forms.masked_members(case.household, case.identities or {}),
        mask=mask,
        actions=[(a, review.TABLE[(case.status, a)].reason_required) for a in actions],
        overdue=applications.is_overdue(case),
        errors=errors,
        breadcrumbs=[("工作台", "/staff"), (case.case_no, None)],
    )


_case = staff_case_page


@router.get("/staff/cases/{case_no}")
@guarded
def staff_case(request: Request, s: RequestSession, case_no: str) -> Response:
    actor = page_actor(request, "town", "county")
    return _case(request, s, actor, case_no, [])


@router.post("/staff/cases/{case_no}/act")
@guarded
def staff_case_act(request: Request, s: RequestSession, form: FormDep, case_no: str) -> Response:
    actor = page_actor(request, "town", "county")
    action = form.get("action", "")
    try:
        version = int(form["version"]) if form.get("version", "").isdigit() else None
        case = applications.act(
            s, actor, case_no, action, reason=form.get(f"reason_{action}") or None, expected_version=version
        )
    except ServiceError as exc:
        s.rollback()
        return _case(
            request,
            s,
            actor,
            case_no,
            error_list(exc, {"reason": f"reason_{action}"}),
            status_code=exc.status,
        )
    return see_other(f"/staff?done={case.case_no}:{case.status}")


@router.post("/staff/tasks/{task_id}/act")
@guarded
def staff_task_act(request: Request, s: RequestSession, form: FormDep, task_id: int) -> Response:
    actor = page_actor(request, "dept")
    try:
        task = bundle.move(
            s, actor, task_id, form.get("action", ""), reason=form.get(f"reason-{task_id}") or None
        )
    except ServiceError as exc:
        s.rollback()
        errors = [{**error_list(exc)[0], "field": f"{exc.field}-{task_id}"}]
        return _workbench(request, s, actor, "", errors, status_code=exc.status)
    return see_other(f"/staff?done=task{task.id}:{task.status}")
