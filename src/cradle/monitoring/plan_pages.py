"""The plan's pages at /monitoring/{code}/plan: every task binding the region with its units and due items, the
考核 scorecard (and its Excel), a task's page where its units report (progress, figures, evidence, a date) and the
leading office accepts or returns each report, and the evidence downloads. The signed-in account says which unit
reports (`cradle.monitoring.plan`); a region outside the official's scope is refused."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError, Invalid
from cradle.monitoring import plan, plan_score, units
from cradle.monitoring.pagekit import Staff, crumbs, errors_by_field, in_scope, place, say, uploaded
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/monitoring/{code}/plan")
PLAN = N_("Implementation plan and assessment")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIGURE_ROWS = 3
Id = Annotated[int, Path(ge=1, le=2**62)]


def _unit_of(actor: Actor, code: str) -> str | None:
    """The department the actor's account is, when it is a unit of ``code``."""
    return actor.dept if actor.role == roles.DEPT and actor.region == code else None


def _helpers(request: Request, code: str) -> dict:
    locale = locale_of(request)
    return {
        "office": lambda c: units.office(c, code, locale),
        "STATES": plan.STATES,
        "BASES": plan.BASES,
        "RECURRENCE": plan.RECURRENCE,
        "region_code": code,
        "region_label": place(request, code),
    }


@router.get("")
def plan_page(
    code: str,
    request: Request,
    db: RequestSession,
    actor: Staff,
    chapter: str = "",
    unit: str = "",
    only: str = "",
) -> Response:
    in_scope(actor, code)
    today = dt.date.today()
    rows = plan.board(db, code, today)
    me = _unit_of(actor, code)
    shown = [
        r
        for r in rows
        if (not chapter or r.task.measure.section == chapter)
        and (not unit or unit in r.task.units())
        and (only != "mine" or r.task.is_unit(me))
        and (only != "overdue" or r.state(today) == "overdue")
    ]
    chapters: dict[str, list[plan.TaskStatus]] = {}
    for r in shown:
        chapters.setdefault(r.task.measure.section, []).append(r)
    title = say(request, PLAN)
    return render(
        request,
        "monitoring/plan.html",
        title=title,
        today=today,
        me=me,
        lead_office=plan.is_lead_office(actor, code),
        mine=[r for r in rows if r.task.is_unit(me)],
        my_overdue=plan.overdue_items(rows, today, me) if me else [],
        overdue=plan.overdue_items(rows, today),
        chapters=chapters,
        all_chapters=list(dict.fromkeys(r.task.measure.section for r in rows)),
        all_units=sorted({c for r in rows for c in r.task.lead}),
        filters={"chapter": chapter, "unit": unit, "only": only},
        by_unit=plan_score.by_unit(rows, today),
        by_chapter=plan_score.by_chapter(rows, today),
        breadcrumbs=crumbs(request, code, (title, None)),
        **_helpers(request, code),
    )


@router.get("/scorecard.xlsx", response_class=Response)
def scorecard_xlsx(code: str, request: Request, db: RequestSession, actor: Staff) -> Response:
    in_scope(actor, code)
    today = dt.date.today()
    data = plan_score.workbook(code, plan.board(db, code, today), today, locale_of(request))
    return Response(
        data,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="plan_scorecard_{code}_{today.isoformat()}.xlsx"'
        },
    )


def _task_page(
    request: Request,
    db,
    actor: Actor,
    code: str,
    task_id: str,
    errors: dict[str, str] | None = None,
    form: dict | None = None,
    review_errors: dict[int, dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    today = dt.date.today()
    task = plan.find_task(code, task_id)
    row = next(r for r in plan.board(db, code, today) if r.task.id == task_id)
    me = _unit_of(actor, code)
    reportable = []
    if me is not None and task.is_unit(me):
        for item in row.items:
            mine = [r for r in item.reports if r.department == me]
            if not any(r.status in ("submitted", "accepted") for r in mine):
                reportable.append(item)
    blank = {
        "period": reportable[0].period if reportable else "",
        "progress": "",
        "reported_on": today.isoformat(),
    }
    blank.update({f"figures-{k}-{f}": "" for k in range(FIGURE_ROWS) for f in ("label", "value", "unit")})
    title = task.task.title
    return render(
        request,
        "monitoring/plan_task.html",
        status_code=status,
        title=title,
        task=task,
        items=list(reversed(row.items)),
        today=today,
        me=me,
        reportable=reportable,
        lead_office=plan.is_lead_office(actor, code),
        errors=errors or {},
        review_errors=review_errors or {},
        form={**blank, **(form or {})},
        figure_rows=range(FIGURE_ROWS),
        saved=request.query_params.get("saved"),
        breadcrumbs=crumbs(request, code, (say(request, PLAN), f"/monitoring/{code}/plan"), (title, None)),
        **_helpers(request, code),
    )


@router.get("/tasks/{task_id}")
def task_page(code: str, task_id: str, request: Request, db: RequestSession, actor: Staff) -> Response:
    in_scope(actor, code)
    return _task_page(request, db, actor, code, task_id)


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(field, N_("A date is expected (YYYY-MM-DD): %(value)s"), value=repr(value)) from None


@router.post("/tasks/{task_id}/reports")
async def report_submit(
    code: str, task_id: str, request: Request, db: RequestSession, actor: Staff
) -> Response:
    in_scope(actor, code)
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    figures = [
        {f: form.get(f"figures-{k}-{f}", "") for f in ("label", "value", "unit")} for k in range(FIGURE_ROWS)
    ]
    try:
        row = plan.submit(
            db,
            actor,
            code,
            task_id,
            form.get("period", ""),
            form.get("progress", ""),
            _date(form.get("reported_on", ""), "reported_on"),
            figures,
            await uploaded(request, "files", plan.MAX_EVIDENCE),
        )
    except DomainError as exc:
        if exc.status not in (409, 422):  # a wrong account or region is the error page
            raise
        db.rollback()
        errors = errors_by_field(exc, locale_of(request))
        return _task_page(request, db, actor, code, task_id, errors, form, status=exc.status)
    return RedirectResponse(
        f"/monitoring/{code}/plan/tasks/{quote(task_id)}?saved={row.id}#item-{row.period}", status_code=303
    )


@router.post("/reports/{report_id}/review")
async def report_review(
    code: str, report_id: Id, request: Request, db: RequestSession, actor: Staff
) -> Response:
    in_scope(actor, code)
    raw = await request.form()
    report = plan.get_report(db, actor, code, report_id)
    task_id = report.task_id
    try:
        plan.review(db, actor, code, report_id, str(raw.get("action") or ""), str(raw.get("reason") or ""))
    except DomainError as exc:
        if exc.status not in (409, 422):
            raise
        db.rollback()
        errors = {report_id: errors_by_field(exc, locale_of(request))}
        return _task_page(request, db, actor, code, task_id, review_errors=errors, status=exc.status)
    return RedirectResponse(
        f"/monitoring/{code}/plan/tasks/{quote(task_id)}#report-{report_id}", status_code=303
    )


@router.get("/evidence/{evidence_id}", response_class=Response)
def evidence(code: str, evidence_id: Id, db: RequestSession, actor: Staff) -> Response:
    row = plan.evidence_file(db, actor, in_scope(actor, code), evidence_id)
    return Response(
        row.data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
