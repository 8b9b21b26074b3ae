"""Officials' pages: the review queue of a town or county official (their own town or county only), a case with
approve / return / reject and the reason, and a department's queue of 出生一件事 tasks. The actions call the same
service functions as the JSON API (`applications.act`, `bundle.move`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError
from cradle.idcard import mask
from cradle.services import applications, bundle, escalation, forms, review
from cradle.services.models import IssuedDocument
from cradle.services.offices import office
from cradle.services.web import OfficePage, error_list, form_data, label, see_other
from cradle.web.session import RequestSession
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
Staff = Annotated[Actor, Depends(OfficePage("town", "county", "dept", "finance"))]
Reviewer = Annotated[Actor, Depends(OfficePage("town", "county"))]
Desk = Annotated[Actor, Depends(OfficePage("dept"))]
WORKBENCH = N_("Workbench")


def _workbench(
    request: Request,
    s: Session,
    actor: Actor,
    status: str | None,
    errors: list,
    done: str = "",
    status_code: int = 200,
) -> Response:
    cases, tasks = [], []
    name = office(actor)
    if name in ("town", "county"):
        cases = applications.queue(s, actor, status or None)
    elif name == "dept":
        tasks = bundle.dept_queue(s, actor, status or None)
    escalated = escalation.open_for(s, actor)
    return render(
        request,
        "services/staff.html",
        status_code=status_code,
        actor=actor,
        office=name,
        cases=cases,
        tasks=tasks,
        escalated=escalated,
        status=status or "",
        states=review.STATES,
        status_labels=applications.STATUS_LABELS,
        task_titles=bundle.TITLES,
        task_labels=bundle.STATUS_LABELS,
        title_of=forms.program_title,
        mask=mask,
        errors=errors,
        done=done,
        overdue=applications.is_overdue,
        breadcrumbs=[(label(request, WORKBENCH), None)],
    )


@router.get("/staff")
def workbench(
    request: Request, s: RequestSession, actor: Staff, status: str = "", done: str = ""
) -> Response:
    try:
        return _workbench(request, s, actor, status, [], done)
    except DomainError as exc:
        return _workbench(request, s, actor, "", error_list(request, exc), status_code=exc.status)


def staff_case_page(
    request: Request, s: Session, actor: Actor, case_no: str, errors: list, status_code: int = 200
) -> Response:
    case = applications.get(s, actor, case_no)
    actions = review.allowed_actions(case.status, office(actor))
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
        status_labels=applications.STATUS_LABELS,
        members=forms.masked_members(case.household, case.identities or {}),
        mask=mask,
        actions=[(a, review.TABLE[(case.status, a)].reason_required) for a in actions],
        overdue=applications.is_overdue(case),
        errors=errors,
        breadcrumbs=[(label(request, WORKBENCH), "/staff"), (case.case_no, None)],
    )


@router.get("/staff/cases/{case_no}")
def staff_case(request: Request, s: RequestSession, case_no: str, actor: Reviewer) -> Response:
    return staff_case_page(request, s, actor, case_no, [])


@router.post("/staff/cases/{case_no}/act")
def staff_case_act(
    request: Request, s: RequestSession, actor: Reviewer, form: FormDep, case_no: str
) -> Response:
    action = form.get("action", "")
    try:
        version = int(form["version"]) if form.get("version", "").isdigit() else None
        case = applications.act(
            s, actor, case_no, action, reason=form.get(f"reason_{action}") or None, expected_version=version
        )
    except DomainError as exc:
        s.rollback()
        errors = error_list(request, exc, {"reason": f"reason_{action}"})
        return staff_case_page(request, s, actor, case_no, errors, status_code=exc.status)
    return see_other(f"/staff?done={case.case_no}:{case.status}")


@router.post("/staff/tasks/{task_id}/act")
def staff_task_act(request: Request, s: RequestSession, actor: Desk, form: FormDep, task_id: int) -> Response:
    try:
        task = bundle.move(
            s, actor, task_id, form.get("action", ""), reason=form.get(f"reason-{task_id}") or None
        )
    except DomainError as exc:
        s.rollback()
        errors = [{**error_list(request, exc)[0], "field": f"{exc.field}-{task_id}"}]
        return _workbench(request, s, actor, "", errors, status_code=exc.status)
    return see_other(f"/staff?done=task{task.id}:{task.status}")
