"""Pages under /childcare: the public listing and map, a facility's public page, the operator's desk
(备案, roster, vacancies, enrol/leave) and the officials' desk (review queue, overdue corrections,
capacity dashboard, subsidy queue). They call the same service functions as the API.

A form whose input the domain refuses comes back with the error beside it (the redirect names it); a record
outside the caller's scope is answered 404, as one that does not exist, with the out-of-scope message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from cradle.auth.actor import Actor
from cradle.auth.deps import current_actor
from cradle.childcare import (
    capacity,
    disclosure,
    enrolment,
    filing,
    inspections,
    places,
    quarantine,
    subsidies,
)
from cradle.childcare.deps import PAYMENT_ROLES, PageCaller, PageScope, today
from cradle.childcare.facilities import (
    facility_dict,
    get_facility,
    latest_filing,
    list_facilities,
    register_facility,
)
from cradle.childcare.history import facility_history
from cradle.childcare.models import Finding
from cradle.childcare.registration_form import record_from_form
from cradle.childcare.standards import CHECKLIST
from cradle.childcare.subsidy_desk import describe, register_and_describe
from cradle.childcare.vocab import CHECK_RESULTS, INSPECTION_KINDS, INSPECTION_RESULTS, LABELS, SEVERITIES
from cradle.errors import (
    N_,
    Conflict,
    DomainError,
    Forbidden,
    IllegalTransition,
    Invalid,
    NotFound,
    OutOfScope,
)
from cradle.web.errors import mark_page
from cradle.web.i18n import gettext
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

T = TypeVar("T")

# What a form shows beside itself: the input or the state was wrong. Other refusals get the error page.
FORM_ERRORS = (Invalid, Conflict, IllegalTransition)
INSTITUTIONS = N_("Childcare institutions")
SUPERVISION = N_("Childcare supervision")


def anyone(request: Request) -> Actor:
    """The visitor of a page anyone may see (signed in or not): its errors are answered as the error page."""
    mark_page(request)
    return current_actor(request)


router = APIRouter(prefix="/childcare", include_in_schema=False)
Visitor = Annotated[Actor, Depends(anyone)]


def _t(request: Request, message: str, **params) -> str:
    """`message` (an English msgid) in the request's language."""
    text = gettext(locale_of(request), message)
    return text % params if params else text


def _error_text(request: Request, exc: DomainError) -> str:
    """The refusal as a line beside the form: "field: message" in the reader's language."""
    texts = []
    for problem in exc.items():
        error = problem.as_dict(locale_of(request))
        texts.append(
            f"{error['field']}{_t(request, ': ')}{error['message']}" if error["field"] else error["message"]
        )
    return _t(request, "; ").join(texts)


def _in_scope(find: Callable[[], T]) -> T:
    """The record `find` looks up; one outside the caller's scope is answered as not found (404), saying so."""
    try:
        return find()
    except OutOfScope as exc:
        raise NotFound(exc.field, exc.message_id, **exc.params) from None


def _back(request: Request, path: str, exc: DomainError | None = None) -> RedirectResponse:
    if exc is not None:
        path += ("&" if "?" in path else "?") + "error=" + quote(_error_text(request, exc))
    return RedirectResponse(path, status_code=303)


@router.get("")
def public_page(
    request: Request,
    session: RequestSession,
    visitor: Visitor,
    region: str | None = None,
    on: str | None = None,
) -> Response:
    day = today(on)
    error = None
    try:
        listing = disclosure.public_listing(session, day, region or None)
    except Invalid as exc:  # a region the filter cannot use: the whole listing, and why
        listing, error = disclosure.public_listing(session, day), _error_text(request, exc)
    return render(
        request,
        "childcare/public.html",
        title=_t(request, N_("Childcare institution disclosure")),
        listing=listing,
        labels=LABELS,
        region=region or "",
        svg=Markup(disclosure.map_svg(listing, locale=locale_of(request))),
        error=error,
        breadcrumbs=[(_t(request, INSTITUTIONS), None)],
    )


@router.get("/facilities/{facility_id}")
def facility_page(
    facility_id: int, request: Request, session: RequestSession, visitor: Visitor, on: str | None = None
) -> Response:
    day = today(on)
    f = get_facility(session, facility_id)
    return render(
        request,
        "childcare/facility.html",
        title=f.name,
        f=disclosure.public_facility(session, f, day),
        labels=LABELS,
        inspections=inspections.inspections_of(session, f.id),
        breadcrumbs=[(_t(request, INSTITUTIONS), "/childcare"), (f.name, None)],
    )


# --- operator ----------------------------------------------------------------------------------------------
@router.get("/operator/{facility_id}")
def operator_page(
    facility_id: int,
    request: Request,
    session: RequestSession,
    scope: PageScope,
    on: str | None = None,
    error: str | None = None,
) -> Response:
    day = today(on)
    f = _in_scope(lambda: get_facility(session, facility_id, scope))
    current = latest_filing(session, f.id)
    return render(
        request,
        "childcare/operator.html",
        f=facility_dict(session, f, day, detail=True),
        labels=LABELS,
        filing=filing.filing_dict(session, current) if current else None,
        roster=enrolment.roster(session, f.id, day, scope),
        day=day.isoformat(),
        error=error,
        subsidies=[
            subsidies.application_dict(session, a)
            for a in subsidies.applications(session, scope, facility_id=f.id)
        ],
        programs=subsidies.PROGRAMS,
        breadcrumbs=[(_t(request, INSTITUTIONS), "/childcare"), (f.name, None)],
    )


@router.post("/operator/{facility_id}/filing")
def operator_file(
    facility_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
    back = f"/childcare/operator/{facility_id}"
    try:
        current = latest_filing(session, facility_id)
        if current is not None and current.status == "returned":
            filing.transition(session, current.id, "submit", actor=who.ref, role=who.role, scope=scope)
        else:
            filing.open_filing(session, facility_id, scope=scope, actor=who.ref, role=who.role)
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.post("/operator/{facility_id}/enrol")
def operator_enrol(
    facility_id: int,
    request: Request,
    session: RequestSession,
    scope: PageScope,
    child_id_number: Annotated[str, Form()],
    child_name: Annotated[str, Form()],
    start_on: Annotated[str, Form()],
) -> Response:
    back = f"/childcare/operator/{facility_id}"
    try:
        enrolment.enrol(
            session,
            facility_id,
            {"child_id_number": child_id_number, "child_name": child_name, "start_on": start_on},
            scope,
        )
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.post("/operator/{facility_id}/leave/{enrolment_id}")
def operator_leave(
    facility_id: int,
    enrolment_id: int,
    request: Request,
    session: RequestSession,
    scope: PageScope,
    end_on: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    back = f"/childcare/operator/{facility_id}"
    try:
        enrolment.leave(session, enrolment_id, end_on, reason, scope)
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.post("/operator/{facility_id}/subsidies")
def operator_apply(
    facility_id: int,
    request: Request,
    session: RequestSession,
    scope: PageScope,
    who: PageCaller,
    program: Annotated[str, Form()],
) -> Response:
    """The facility applies for a subsidy program; the engine decides the amount for its unsubsidised slots."""
    back = f"/childcare/operator/{facility_id}"
    try:
        subsidies.apply(session, facility_id, program, today(), scope, actor=who)
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


# --- officials ---------------------------------------------------------------------------------------------
@router.get("/official")
def official_page(
    request: Request,
    session: RequestSession,
    scope: PageScope,
    region: str | None = None,
    on: str | None = None,
) -> Response:
    day = today(on)
    report, error = None, None
    target = region or scope
    if target:
        try:
            report = capacity.capacity_report(session, target, day, scope)
        except (Invalid, OutOfScope) as exc:  # said beside the region form
            error = _error_text(request, exc)
    return render(
        request,
        "childcare/official.html",
        title=_t(request, N_("Childcare supervision workbench")),
        labels=LABELS,
        region=target or "",
        queue=[filing.filing_dict(session, f) for f in filing.queue(session, scope)],
        overdue=inspections.overdue(session, day, scope),
        facilities=list_facilities(session, scope=scope),
        report=report,
        error=error,
        subsidies=[
            subsidies.application_dict(session, a)
            for a in subsidies.applications(session, scope)
            if a.status in ("applied", "payable")
        ],
        day=day.isoformat(),
        breadcrumbs=[(_t(request, SUPERVISION), None)],
    )


@router.get("/official/filings/{filing_id}")
def review_page(
    filing_id: int, request: Request, session: RequestSession, scope: PageScope, error: str | None = None
) -> Response:
    f = _in_scope(lambda: filing.get_filing(session, filing_id, scope))
    data = filing.filing_dict(session, f)
    recorded = {c["item"]: c for c in data["checks"]}
    return render(
        request,
        "childcare/review.html",
        filing=data,
        labels=LABELS,
        checklist=CHECKLIST,
        results=CHECK_RESULTS,
        recorded=recorded,
        error=error,
        breadcrumbs=[(_t(request, SUPERVISION), "/childcare/official"), (data["facility_name"], None)],
    )


@router.post("/official/filings/{filing_id}")
async def review_action(
    filing_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
    form = await request.form()
    checks = {k[6:]: v for k, v in form.items() if k.startswith("check_") and v}
    back = f"/childcare/official/filings/{filing_id}"
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
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.get("/official/subsidies/{application_id}")
def subsidy_page(
    application_id: int,
    request: Request,
    session: RequestSession,
    scope: PageScope,
    who: PageCaller,
    error: str | None = None,
) -> Response:
    desk = _in_scope(lambda: describe(session, application_id, scope))
    application = desk["application"]
    return render(
        request,
        "childcare/subsidy.html",
        title=f"{_t(request, LABELS['program'][application['program']])} · {application['facility_name']}",
        desk=desk,
        labels=LABELS,
        error=error,
        can_pay=who.role in PAYMENT_ROLES,
        breadcrumbs=[
            (_t(request, SUPERVISION), "/childcare/official"),
            (application["facility_name"], None),
        ],
    )


@router.post("/official/subsidies/{application_id}")
async def subsidy_action(
    application_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
    """Approve, reject or cancel; or register the approved subsidy for payment (county officials and above)."""
    form = await request.form()
    action = str(form.get("action") or "")
    back = f"/childcare/official/subsidies/{application_id}"
    try:
        if action == "register_payment":
            if who.role not in PAYMENT_ROLES:
                raise Forbidden(
                    "action", N_("Your role cannot register subsidy payments"), code="forbidden_role"
                )
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
            raise Invalid("action", N_("Unknown action %(action)s"), action=action)
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


# --- inspections (officials) ------------------------------------------------------------------------------
@router.get("/official/facilities/{facility_id}")
def inspect_page(
    facility_id: int, request: Request, session: RequestSession, scope: PageScope, error: str | None = None
) -> Response:
    f = _in_scope(lambda: get_facility(session, facility_id, scope))
    return render(
        request,
        "childcare/inspect.html",
        title=_t(request, N_("%(name)s · Inspections"), name=f.name),
        facility_id=f.id,
        labels=LABELS,
        inspections=inspections.inspections_of(session, f.id, scope),
        error=error,
        kinds=INSPECTION_KINDS,
        results=INSPECTION_RESULTS,
        severities=SEVERITIES,
        quality=inspections.quality_summary(session, f.id, today()),
        day=today().isoformat(),
        breadcrumbs=[(_t(request, SUPERVISION), "/childcare/official"), (f.name, None)],
    )


@router.post("/official/facilities/{facility_id}/inspections")
async def inspect_action(
    facility_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
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
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.post("/official/findings/{finding_id}/followups")
async def followup_action(
    finding_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
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
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


# --- quality grade, credit list and history (officials) ---------------------------------------------------
@router.post("/official/facilities/{facility_id}/grades")
async def grade_action(
    facility_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
    """质量评估: the assessed grade; the latest by date is the one the public page shows."""
    form = await request.form()
    back = f"/childcare/official/facilities/{facility_id}"
    try:
        inspections.set_grade(
            session,
            facility_id,
            str(form.get("grade") or ""),
            str(form.get("assessed_on") or ""),
            str(form.get("assessor") or ""),
            form.get("note") or None,
            scope,
            recorded_by=who.ref,
        )
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.post("/official/facilities/{facility_id}/credit")
async def credit_action(
    facility_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
    """A red-list (守信激励) or black-list (失信惩戒) record, in force from its start until its end."""
    form = await request.form()
    fields = ("list_type", "reason", "decision_ref", "start_on", "end_on")
    data = {k: form.get(k) for k in fields if form.get(k)}
    back = f"/childcare/official/facilities/{facility_id}"
    try:
        inspections.add_credit_record(session, facility_id, data, scope, recorded_by=who.ref)
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


@router.get("/official/facilities/{facility_id}/history")
def history_page(facility_id: int, request: Request, session: RequestSession, scope: PageScope) -> Response:
    f = _in_scope(lambda: get_facility(session, facility_id, scope))
    return render(
        request,
        "childcare/history.html",
        title=_t(request, N_("%(name)s · History"), name=f.name),
        facility_id=f.id,
        labels=LABELS,
        events=facility_history(session, f.id, scope),
        breadcrumbs=[
            (_t(request, SUPERVISION), "/childcare/official"),
            (f.name, f"/childcare/official/facilities/{f.id}"),
            (_t(request, N_("History")), None),
        ],
    )


@router.get("/official/planning")
def planning_page(
    request: Request,
    session: RequestSession,
    scope: PageScope,
    region: str | None = None,
    communities_total: str | None = None,
    planned_population: str | None = None,
    existing: bool = False,
    on: str | None = None,
) -> Response:
    """公办托育 coverage by county and city, 托育驿站 coverage of urban communities, and the 托位 a residential area
    must provide: each asked of the domain as the API does, refusals said beside the form that asked."""
    day = today(on)
    target = region or scope  # a national account names the region it asks about
    results: dict = {"coverage": None, "stations": None, "residential": None}
    errors: dict = {}
    asked = [  # (what, asked for, how the domain answers it)
        ("coverage", True, lambda: capacity.coverage(session, target, day, scope)),
        (
            "stations",
            communities_total,
            lambda: capacity.station_coverage(
                session, target, _whole(communities_total, "communities_total"), day, scope
            ),
        ),
        (
            "residential",
            planned_population,
            lambda: capacity.residential_requirement(
                target, _whole(planned_population, "planned_population"), existing
            ),
        ),
    ]
    for key, wanted, ask in asked:
        if not target or not wanted:
            continue
        try:
            results[key] = ask()
        except (Invalid, OutOfScope) as exc:
            errors[key] = _error_text(request, exc)
    return render(
        request,
        "childcare/planning.html",
        title=_t(request, N_("Coverage, stations and residential areas")),
        region=target or "",
        communities_total=communities_total or "",
        planned_population=planned_population or "",
        existing=existing,
        errors=errors,
        labels=LABELS,
        **results,
        breadcrumbs=[(_t(request, SUPERVISION), "/childcare/official"), (_t(request, N_("Planning")), None)],
    )


def _whole(text: str | None, field: str) -> int:
    """A form's whole number; anything else is refused naming the field (the domain checks the range)."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise Invalid(field, N_("Should be a non-negative whole number")) from None


# --- the facility-import quarantine (officials) -----------------------------------------------------------
@router.get("/official/quarantine")
def quarantine_page(
    request: Request,
    session: RequestSession,
    scope: PageScope,
    status: str = "open",
    error: str | None = None,
) -> Response:
    """Rows of a department's facility list that failed the import's checks, with their errors; each can be
    corrected field by field and re-submitted (the row as read is kept; corrections sit beside it)."""
    try:
        rows = [quarantine.row_dict(r) for r in quarantine.list_rows(session, status, scope=scope)]
    except Invalid as exc:
        rows, status, error = [], "open", _error_text(request, exc)
    return render(
        request,
        "childcare/quarantine.html",
        title=_t(request, N_("Facility import quarantine")),
        rows=rows,
        status=status,
        error=error,
        breadcrumbs=[
            (_t(request, SUPERVISION), "/childcare/official"),
            (_t(request, N_("Quarantine")), None),
        ],
    )


@router.post("/official/quarantine/{row_id}")
async def quarantine_action(
    row_id: int, request: Request, session: RequestSession, scope: PageScope, who: PageCaller
) -> Response:
    """Correct one field of the row (an empty value removes it), or re-submit the row through the checks."""
    form = await request.form()
    back = "/childcare/official/quarantine"
    try:
        _in_scope(lambda: quarantine.get_row(session, row_id, scope))
        if form.get("action") == "resubmit":
            quarantine.resubmit(session, who, [row_id], scope=scope)
        else:
            field = str(form.get("field") or "").strip()
            quarantine.correct(session, row_id, {field: form.get("value")} if field else {}, who, scope)
    except FORM_ERRORS as exc:
        session.rollback()
        return _back(request, back, exc)
    return _back(request, back)


# --- registration (officials) -----------------------------------------------------------------------------
def _registration(request: Request, form: dict, error: str | None = None, status_code: int = 200) -> Response:
    return render(
        request,
        "childcare/register.html",
        status_code=status_code,
        title=_t(request, N_("Register an institution")),
        labels=LABELS,
        form=form,
        error=error,
        breadcrumbs=[
            (_t(request, SUPERVISION), "/childcare/official"),
            (_t(request, N_("Registration")), None),
        ],
    )


@router.get("/official/register")
def register_page(request: Request, scope: PageScope) -> Response:
    return _registration(request, {"region_code": scope if scope and len(scope) == 6 else ""})


@router.post("/official/register")
async def register_action(request: Request, session: RequestSession, scope: PageScope) -> Response:
    """登记: the institution is stored when the record passes the domain's checks (inside the caller's scope);
    otherwise the form comes back as filled, with the first problem named."""
    form = await request.form()
    try:
        facility = register_facility(session, record_from_form(form), scope)
    except (*FORM_ERRORS, OutOfScope) as exc:
        session.rollback()
        return _registration(request, dict(form), _error_text(request, exc), status_code=422)
    return _back(request, f"/childcare/official/facilities/{facility.id}")
