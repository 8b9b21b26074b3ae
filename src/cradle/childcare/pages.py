"""Pages under /childcare: the public listing and map, a facility's public page, the operator's desk
(备案, roster, vacancies, enrol/leave) and the officials' desk (review queue, overdue corrections,
capacity dashboard, subsidy queue). They call the same service functions as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from cradle.childcare import capacity, disclosure, enrolment, filing, inspections, places, subsidies
from cradle.childcare.deps import DOMAIN_ERRORS, PAYMENT_ROLES, caller, caller_scope, today
from cradle.childcare.facilities import facility_dict, get_facility, latest_filing
from cradle.childcare.standards import CHECKLIST, RESULTS
from cradle.db import RequestSession
from cradle.web.nav import N_
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/childcare", include_in_schema=False)
ScopeDep = Annotated[str | None, Depends(caller_scope)]
CallerDep = Annotated[object, Depends(caller)]


def _t(request: Request, message: str, **params) -> str:
    """`message` (an English msgid) in the request's language."""
    from cradle.web.i18n import gettext

    text = gettext(locale_of(request), message)
    return text % params if params else text


def _error_text(exc: Exception) -> str:
    field = getattr(exc, "field", None)
    return f"{field}：{exc.message}" if field and hasattr(exc, "message") else str(exc)


@router.get("")
def public_page(
    request: Request, session: RequestSession, region: str | None = None, on: str | None = None
) -> Response:
    day = today(on)
    error = None
    try:
        listing = disclosure.public_listing(session, day, region or None)
    except DOMAIN_ERRORS as exc:
        listing, error = disclosure.public_listing(session, day), _error_text(exc)
    return render(
        request,
        "childcare/public.html",
        title="托育机构信息公示",
        listing=listing,
        region=region or "",
        svg=Markup(disclosure.map_svg(listing, locale=locale_of(request))),
        error=error,
        breadcrumbs=[("托育机构", None)],
    )


@router.get("/facilities/{facility_id}")
def facility_page(
    facility_id: int, request: Request, session: RequestSession, on: str | None = None
) -> Response:
    day = today(on)
    try:
        f = get_facility(session, facility_id)
    except DOMAIN_ERRORS as exc:
        return render(
            request,
            "error.html",
            status_code=404,
            status=404,
            errors=[{"field": None, "code": "not_found", "message": str(exc)}],
        )
    return render(
        request,
        "childcare/facility.html",
        title=f.name,
        f=disclosure.public_facility(session, f, day),
        inspections=inspections.inspections_of(session, f.id),
        breadcrumbs=[("托育机构", "/childcare"), (f.name, None)],
    )


# --- operator ----------------------------------------------------------------------------------------------
@router.get("/operator/{facility_id}")
def operator_page(
    facility_id: int,
    request: Request,
    session: RequestSession,
    scope: ScopeDep,
    on: str | None = None,
    error: str | None = None,
) -> Response:
    day = today(on)
    try:
        f = get_facility(session, facility_id, scope)
    except DOMAIN_ERRORS as exc:
        return render(
            request,
            "error.html",
            status_code=404,
            status=404,
            errors=[{"field": None, "code": "error", "message": str(exc)}],
        )
    current = latest_filing(session, f.id)
    return render(
        request,
        "childcare/operator.html",
        title=f"{f.name} · 机构工作台",
        f=facility_dict(session, f, day, detail=True),
        filing=filing.filing_dict(session, current) if current else None,
        roster=enrolment.roster(session, f.id, day, scope),
        day=day.isoformat(),
        error=error,
        subsidies=[
            subsidies.application_dict(session, a)
            for a in subsidies.applications(session, scope, facility_id=f.id)
        ],
        programs=subsidies.PROGRAMS,
        breadcrumbs=[("托育机构", "/childcare"), (f.name, None)],
    )


def _back(path: str, exc: Exception | None = None) -> RedirectResponse:
    if exc is not None:
        from urllib.parse import quote

        path += ("&" if "?" in path else "?") + "error=" + quote(_error_text(exc))
    return RedirectResponse(path, status_code=303)


@router.post("/operator/{facility_id}/filing")
def operator_file(facility_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep) -> Response:
    try:
        current = latest_filing(session, facility_id)
        if current is not None and current.status == "returned":
            filing.transition(session, current.id, "submit", actor=who.ref, role=who.role, scope=scope)
        else:
            filing.open_filing(session, facility_id, scope=scope, actor=who.ref, role=who.role)
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(f"/childcare/operator/{facility_id}", exc)
    return _back(f"/childcare/operator/{facility_id}")


@router.post("/operator/{facility_id}/enrol")
def operator_enrol(
    facility_id: int,
    session: RequestSession,
    scope: ScopeDep,
    child_id_number: Annotated[str, Form()],
    child_name: Annotated[str, Form()],
    start_on: Annotated[str, Form()],
) -> Response:
    try:
        enrolment.enrol(
            session,
            facility_id,
            {"child_id_number": child_id_number, "child_name": child_name, "start_on": start_on},
            scope,
        )
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(f"/childcare/operator/{facility_id}", exc)
    return _back(f"/childcare/operator/{facility_id}")


@router.post("/operator/{facility_id}/leave/{enrolment_id}")
def operator_leave(
    facility_id: int,
    enrolment_id: int,
    session: RequestSession,
    scope: ScopeDep,
    end_on: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        enrolment.leave(session, enrolment_id, end_on, reason, scope)
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(f"/childcare/operator/{facility_id}", exc)
    return _back(f"/childcare/operator/{facility_id}")


# --- officials ---------------------------------------------------------------------------------------------
@router.get("/official")
def official_page(
    request: Request,
    session: RequestSession,
    scope: ScopeDep,
    region: str | None = None,
    on: str | None = None,
) -> Response:
    day = today(on)
    report, error = None, None
    target = region or scope
    if target:
        try:
            report = capacity.capacity_report(session, target, day, scope)
        except DOMAIN_ERRORS as exc:
            error = _error_text(exc)
    return render(
        request,
        "childcare/official.html",
        title="托育监管工作台",
        region=target or "",
        queue=[filing.filing_dict(session, f) for f in filing.queue(session, scope)],
        overdue=inspections.overdue(session, day, scope),
        report=report,
        error=error,
        subsidies=[
            subsidies.application_dict(session, a)
            for a in subsidies.applications(session, scope)
            if a.status in ("applied", "payable")
        ],
        day=day.isoformat(),
        breadcrumbs=[("托育监管", None)],
    )


@router.get("/official/filings/{filing_id}")
def review_page(
    filing_id: int, request: Request, session: RequestSession, scope: ScopeDep, error: str | None = None
) -> Response:
    try:
        f = filing.get_filing(session, filing_id, scope)
    except DOMAIN_ERRORS as exc:
        return render(
            request,
            "error.html",
            status_code=404,
            status=404,
            errors=[{"field": None, "code": "error", "message": str(exc)}],
        )
    data = filing.filing_dict(session, f)
    recorded = {c["item"]: c for c in data["checks"]}
    return render(
        request,
        "childcare/review.html",
        title=f"备案审核 · {data['facility_name']}",
        filing=data,
        checklist=CHECKLIST,
        results=RESULTS,
        recorded=recorded,
        error=error,
        breadcrumbs=[("托育监管", "/childcare/official"), (data["facility_name"], None)],
    )


@router.post("/official/filings/{filing_id}")
async def review_action(
    filing_id: int, request: Request, session: RequestSession, scope: ScopeDep, who: CallerDep
) -> Response:
    form = await request.form()
    checks = {k[6:]: v for k, v in form.items() if k.startswith("check_") and v}
    try:
        if checks:
            filing.record_checks(session, filing_id, checks, scope)
        action = form.get("action")
        if action and action != "save":
            filing.transition(
                session,
                filing_id,
                str(action),
                actor=who.ref,
                role=who.role,
                note=form.get("note") or None,
                scope=scope,
            )
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(f"/childcare/official/filings/{filing_id}", exc)
    return _back(f"/childcare/official/filings/{filing_id}")


@router.get("/official/subsidies/{application_id}")
def subsidy_page(
    application_id: int,
    request: Request,
    session: RequestSession,
    scope: ScopeDep,
    who: CallerDep,
    error: str | None = None,
) -> Response:
    from cradle.childcare.subsidy_desk import describe

    try:
        desk = describe(session, application_id, scope)
    except DOMAIN_ERRORS as exc:
        return render(
            request,
            "error.html",
            status_code=404,
            status=404,
            errors=[{"field": None, "code": "error", "message": str(exc)}],
        )
    name = desk["application"]["facility_name"]
    return render(
        request,
        "childcare/subsidy.html",
        title=f"{desk['application']['title']} · {name}",
        desk=desk,
        error=error,
        can_pay=who.role in PAYMENT_ROLES,
        breadcrumbs=[(_t(request, N_("Childcare supervision")), "/childcare/official"), (name, None)],
    )


@router.post("/official/subsidies/{application_id}")
async def subsidy_action(
    application_id: int, request: Request, session: RequestSession, scope: ScopeDep, who: CallerDep
) -> Response:
    """Approve, reject or cancel; or register the approved subsidy for payment (county officials and above)."""
    from cradle.childcare.errors import ChildcareError
    from cradle.childcare.subsidy_desk import register_and_describe
    from cradle.errors import DomainError

    form = await request.form()
    action = str(form.get("action") or "")
    back = f"/childcare/official/subsidies/{application_id}"
    try:
        if action == "register_payment":
            if who.role not in PAYMENT_ROLES:
                raise ChildcareError("action", "您的角色不能登记补助发放")
            register_and_describe(
                session,
                who,
                application_id,
                {k: form.get(k) for k in ("account_no", "bank_code", "account_name")},
                scope,
            )
        elif action in ("approve", "reject", "cancel"):
            subsidies.transition(
                session,
                application_id,
                action,
                today(),
                note=form.get("note") or None,
                scope=scope,
                actor=who,
            )
        else:
            raise ChildcareError("action", f"未知的操作 {action}")
    except (*DOMAIN_ERRORS, DomainError) as exc:
        session.rollback()
        return _back(back, exc)
    return _back(back)


# --- inspections (officials) ------------------------------------------------------------------------------
@router.get("/official/facilities/{facility_id}")
def inspect_page(
    facility_id: int, request: Request, session: RequestSession, scope: ScopeDep, error: str | None = None
) -> Response:
    from cradle.childcare.vocab import INSPECTION_KINDS, INSPECTION_RESULTS, SEVERITIES

    try:
        f = get_facility(session, facility_id, scope)
    except DOMAIN_ERRORS as exc:
        return render(
            request,
            "error.html",
            status_code=404,
            status=404,
            errors=[{"field": None, "code": "error", "message": str(exc)}],
        )
    title = _t(request, N_("%(name)s · Inspections"), name=f.name)
    return render(
        request,
        "childcare/inspect.html",
        title=title,
        facility_id=f.id,
        inspections=inspections.inspections_of(session, f.id, scope),
        error=error,
        kinds=INSPECTION_KINDS,
        results=INSPECTION_RESULTS,
        severities=SEVERITIES,
        day=today().isoformat(),
        breadcrumbs=[(_t(request, N_("Childcare supervision")), "/childcare/official"), (f.name, None)],
    )


@router.post("/official/facilities/{facility_id}/inspections")
async def inspect_action(
    facility_id: int, request: Request, session: RequestSession, scope: ScopeDep, who: CallerDep
) -> Response:
    form = await request.form()
    data = {k: form.get(k) or None for k in ("visited_on", "kind", "inspector", "result", "summary")}
    if form.get("description"):  # the form carries at most one finding; the API takes a list
        data["findings"] = [{k: form.get(k) or None for k in ("item", "description", "severity", "deadline")}]
    back = f"/childcare/official/facilities/{facility_id}"
    try:
        inspections.record_inspection(
            session, facility_id, {k: v for k, v in data.items() if v is not None}, scope, recorded_by=who.ref
        )
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(back, exc)
    return _back(back)


@router.post("/official/findings/{finding_id}/followups")
async def followup_action(
    finding_id: int, request: Request, session: RequestSession, scope: ScopeDep, who: CallerDep
) -> Response:
    from cradle.childcare.models import Finding

    form = await request.form()
    finding = session.get(Finding, finding_id)
    facility = get_facility(session, finding.facility_id) if finding else None
    visible = facility is not None and places.is_within(
        facility.region_code, scope
    )  # no id of another county
    back = f"/childcare/official/facilities/{facility.id}" if visible else "/childcare/official"
    data = {
        "visited_on": form.get("visited_on") or None,
        "inspector": form.get("inspector") or None,
        "resolved": form.get("resolved") == "yes",
        "note": form.get("note") or None,
        "new_deadline": form.get("new_deadline") or None,
    }
    try:
        inspections.record_followup(session, finding_id, data, scope, recorded_by=who.ref)
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(back, exc)
    return _back(back)


@router.post("/operator/{facility_id}/subsidies")
def operator_apply(
    facility_id: int,
    session: RequestSession,
    scope: ScopeDep,
    who: CallerDep,
    program: Annotated[str, Form()],
) -> Response:
    """The facility applies for a subsidy program; the engine decides the amount for its unsubsidised slots."""
    try:
        subsidies.apply(session, facility_id, program, today(), scope, actor=who)
    except DOMAIN_ERRORS as exc:
        session.rollback()
        return _back(f"/childcare/operator/{facility_id}", exc)
    return _back(f"/childcare/operator/{facility_id}")
