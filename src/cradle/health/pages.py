"""Pages under /health: the 妇幼保健院's and hospitals' desk (pregnancy files and their records, 高危专案, child
and women's health records, death reports, the couples' bookings), the officials' overview (counts, masked lists,
death reviews, the 约谈通报 list, 生育咨询指导 follow-ups, the indicators against their targets) and a citizen's
offers. A form refused shows each problem beside its field; every page calls the domain's service functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.errors import N_, DomainError
from cradle.health import (
    access,
    aggregates,
    cases,
    deaths,
    guidance,
    indicators,
    institutions,
    interviews,
    offers,
    pregnancies,
    screenings,
    vocab,
    warnings,
)
from cradle.monitoring import catalogue
from cradle.monitoring.report import scorecard
from cradle.web.i18n import gettext
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(prefix="/health", include_in_schema=False)
Reader = Annotated[Actor, Depends(PageActor(*access.READERS, roles.CITIZEN))]
Official = Annotated[Actor, Depends(PageActor(*access.READERS))]
Worker = Annotated[Actor, Depends(PageActor(*access.WORKERS))]
Reviewer = Annotated[Actor, Depends(PageActor(*access.WORKERS, *access.REVIEWERS))]
Guide = Annotated[Actor, Depends(PageActor(*access.GUIDES))]
Citizen = Annotated[Actor, Depends(PageActor(roles.CITIZEN))]


@dataclass(frozen=True)
class Posted:
    """A submitted form's fields (the CSRF token left out)."""

    values: dict[str, str]


async def posted(request: Request) -> Posted:
    form = await request.form()
    return Posted({k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"})


Form = Annotated[Posted, Depends(posted)]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | date | number | select | textarea | check
    options: tuple = ()
    required: bool = True
    hint: str | None = None


def _options(codes: dict[str, str]) -> tuple:
    return tuple(codes.items())


TOWN = Field("town", N_("Town code (9 digits)"), required=False)
FORMS: dict[str, tuple[Field, ...]] = {
    "file": (
        Field("pregnancy_no", N_("Handbook number")),
        Field("id_number", N_("ID number")),
        Field("name", N_("Name")),
        Field("filed_on", N_("Filed on"), "date"),
        Field("weeks", N_("Weeks of pregnancy"), "number"),
        Field("edd", N_("Expected delivery date"), "date", required=False),
        TOWN,
    ),
    "visits": (
        Field("visited_on", N_("Checked on"), "date"),
        Field("weeks", N_("Weeks of pregnancy"), "number", required=False),
    ),
    "assessments": (
        Field("grade", N_("Risk colour"), "select", _options(vocab.GRADES)),
        Field("assessed_on", N_("Assessed on"), "date"),
        Field("factors", N_("Risk factors"), "textarea", required=False),
    ),
    "delivery": (
        Field("delivered_on", N_("Delivered on"), "date"),
        Field("live_births", N_("Live births"), "number"),
        Field("stillbirths", N_("Stillbirths"), "number", required=False),
        Field("weeks", N_("Weeks of pregnancy"), "number", required=False),
        Field("mode", N_("Mode of delivery"), "select", _options(vocab.DELIVERY_MODES), required=False),
        Field("new_method", N_("Delivered in hospital or by a trained attendant"), "check", required=False),
    ),
    "postpartum": (Field("visited_on", N_("Visited on"), "date"),),
    "infections": (
        Field(
            "kind",
            N_("Record"),
            "select",
            (
                ("test", N_("Tests in pregnancy")),
                ("treat", N_("Treatment")),
                ("child", N_("Exposed child's final status")),
            ),
        ),
        Field("recorded_on", N_("Date"), "date"),
        Field("hiv", N_("HIV"), "select", _options(vocab.TEST_RESULTS), required=False),
        Field("syphilis", N_("Syphilis"), "select", _options(vocab.TEST_RESULTS), required=False),
        Field("hbv", N_("Hepatitis B"), "select", _options(vocab.TEST_RESULTS), required=False),
        Field(
            "infection",
            N_("Infection treated or followed"),
            "select",
            _options(vocab.INFECTIONS),
            required=False,
        ),
        Field("result", N_("Child's final status"), "select", _options(vocab.TEST_RESULTS), required=False),
    ),
    "rescues": (
        Field("started_on", N_("Rescue began on"), "date"),
        Field("condition", N_("Critical condition"), "textarea"),
        Field("outcome", N_("Outcome"), "select", _options(vocab.RESCUE_OUTCOMES)),
    ),
    "assign": (
        Field("doctor", N_("Responsible doctor")),
        Field("plan", N_("Follow-up plan"), "textarea", required=False),
    ),
    "followups": (
        Field("done_on", N_("Followed up on"), "date"),
        Field("note", N_("Note"), "textarea", required=False),
    ),
    "referrals": (
        Field("to_institution", N_("Critical maternal care centre"), "select"),
        Field("referred_on", N_("Referred on"), "date"),
        Field("reason", N_("Reason"), "textarea", required=False),
    ),
    "close": (
        Field("reason", N_("Reason"), "select", _options(vocab.CASE_CLOSE_REASONS)),
        Field("closed_on", N_("Closed on"), "date"),
    ),
    "child": (
        Field("kind", N_("Record"), "select", _options(vocab.CHILD_KINDS)),
        Field("id_number", N_("Child's ID number")),
        Field("name", N_("Child's name")),
        Field("recorded_on", N_("Date"), "date"),
        Field(
            "result",
            N_("Screening result"),
            "select",
            (("pass", N_("Passed")), ("refer", N_("Positive, referred"))),
            required=False,
        ),
        Field("diagnosis", N_("Diagnosis (ICD-10)"), required=False),
        TOWN,
    ),
    "women": (
        Field("kind", N_("Record"), "select", _options(vocab.WOMEN_KINDS)),
        Field("id_number", N_("ID number")),
        Field("name", N_("Name")),
        Field("served_on", N_("Date"), "date"),
        Field(
            "result",
            N_("Result"),
            "select",
            (("normal", N_("No abnormality")), ("abnormal", N_("Abnormal"))),
            required=False,
        ),
        Field("dose", N_("Dose"), "number", required=False),
        TOWN,
    ),
    "death": (
        Field("kind", N_("Death of"), "select", _options(vocab.DEATH_KINDS)),
        Field("id_number", N_("ID number")),
        Field("name", N_("Name")),
        Field("died_on", N_("Died on"), "date"),
        Field("cause", N_("Underlying cause (ICD-10)")),
        Field("place", N_("Place of death"), "select", _options(vocab.DEATH_PLACES), required=False),
        Field("pregnancy_no", N_("Handbook number (maternal deaths)"), required=False),
    ),
    "review": (
        Field("classification", N_("Classification"), "select"),
        Field("avoidable", N_("Avoidable?"), "select", _options(vocab.AVOIDABILITY)),
        Field("causes", N_("Causes found"), "textarea"),
        Field("measures", N_("Measures"), "textarea"),
        Field("reviewed_on", N_("Reviewed on"), "date"),
    ),
    "interview": (
        Field("held_on", N_("Held on"), "date"),
        Field("note", N_("Note"), "textarea", required=False),
    ),
    "book": (
        Field("institution_code", N_("Institution"), "select"),
        Field("appointment_on", N_("Appointment date"), "date"),
    ),
    "guidance": (
        Field("done_on", N_("Counselled on"), "date"),
        Field("note", N_("What was advised"), "textarea"),
    ),
}
PREGNANCY_ACTIONS = {
    "visits": pregnancies.visit,
    "assessments": pregnancies.assess,
    "delivery": pregnancies.deliver,
    "postpartum": pregnancies.postpartum,
    "infections": pregnancies.infection,
    "rescues": pregnancies.rescue,
}
CASE_ACTIONS = {
    "assign": cases.assign,
    "followups": cases.follow_up,
    "referrals": cases.refer,
    "close": cases.close,
}
LABELS = {
    "grade": vocab.GRADES,
    "status": {**vocab.PREGNANCY_STATUSES, **vocab.CASE_STATUSES, **vocab.OFFER_STATUSES},
    "review": vocab.REVIEW_STATUSES,
    "death": vocab.DEATH_KINDS,
    "child": vocab.CHILD_KINDS,
    "women": vocab.WOMEN_KINDS,
    "result": {**vocab.RESULTS, **vocab.TEST_RESULTS},
    "infection": vocab.INFECTIONS,
    "reason": vocab.INTERVIEW_REASONS,
    "close": vocab.CASE_CLOSE_REASONS,
    "avoidable": vocab.AVOIDABILITY,
    "outcome": vocab.RESCUE_OUTCOMES,
    "mode": vocab.DELIVERY_MODES,
    "place": vocab.DEATH_PLACES,
    "kind": vocab.INSTITUTION_KINDS,
}


def _t(request: Request, message: str, **params) -> str:
    text = gettext(locale_of(request), message)
    return text % params if params else text


def _errors(request: Request, exc: DomainError) -> list[dict]:
    return [e.as_dict(locale_of(request)) for e in exc.items()]


def _crumbs(request: Request, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_t(request, N_("Maternal and child health")), "/health"), *more]


def _page(request: Request, template: str, title: str, status_code: int = 200, **context) -> Response:
    return render(
        request,
        template,
        status_code=status_code,
        title=title,
        FORMS=FORMS,
        LABELS=LABELS,
        today=dt.date.today(),
        **context,
    )


def _done(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# -- the workbench ------------------------------------------------------------------------------------------------
def _scorecard(db, code: str, year: int) -> list[dict]:
    """The year's 妇幼 indicators from the records (their kept counts), each against the target that binds the region."""
    cat = catalogue.load()
    rows = []
    for key, (value, num, den) in aggregates.compute(db, code, year).items():
        if key not in cat.indicators:
            continue
        target = scorecard.choose_target(code, key)
        rows.append(
            {
                "id": key,
                "indicator": cat.indicator(key),
                "value": scorecard.format_value(value, cat.indicator(key).unit),
                "numerator": num,
                "denominator": den,
                "target": target,
                "status": scorecard.judge(target, {year: value}, year).status,
                "definition": indicators.DEFINITIONS[key],
            }
        )
    return rows


@router.get("")
def home(request: Request, db: RequestSession, actor: Reader) -> Response:
    if actor.role == roles.CITIZEN:
        return _done("/health/my")
    year = dt.date.today().year - 1
    context: dict = {"actor": actor, "year": year}
    if access.is_worker(actor):
        context["institution"] = access.institution_of(db, actor)
    else:
        scope = access.official_scope(actor)
        code = scope[:6] if scope != "cn" else None
        context["region"] = code
        context["listed"] = interviews.for_actor(db, actor, year)
        context["offer_counts"] = offers.counts(db, actor)
        context["scorecard"] = _scorecard(db, code, year) if code else []
    context.update(
        counts=pregnancies.counts(db, actor),
        overdue=cases.overdue_count(db, actor),
        pending=deaths.pending_count(db, actor),
        warnings=warnings.for_actor(db, actor),
        may_review=access.may_review(actor),
        guides=actor.role in access.GUIDES,
        STATUS=scorecard.STATUS_MESSAGES,
        unit_text=lambda unit: catalogue.unit_text(unit, locale_of(request)),
    )
    return _page(request, "health/home.html", _t(request, N_("Maternal and child health")), **context)


# -- pregnancies --------------------------------------------------------------------------------------------------
@router.get("/pregnancies")
def pregnancy_list(
    request: Request, db: RequestSession, actor: Official, status: str | None = None
) -> Response:
    rows = pregnancies.listing(db, actor, status)
    names = institutions.names(db, [r["institution_code"] for r in rows])
    title = _t(request, N_("Pregnancy files"))
    return _page(
        request,
        "health/pregnancies.html",
        title,
        rows=rows,
        names=names,
        status=status,
        worker=access.is_worker(actor),
        breadcrumbs=_crumbs(request, (title, None)),
    )


@router.get("/pregnancies/new")
def pregnancy_form(request: Request, db: RequestSession, actor: Worker) -> Response:
    return _new_pregnancy(request, db, actor, {}, [])


def _new_pregnancy(request, db, actor, values: dict, errors: list, status_code: int = 200) -> Response:
    title = _t(request, N_("New pregnancy file"))
    return _page(
        request,
        "health/pregnancy_new.html",
        title,
        status_code=status_code,
        values=values,
        errors=errors,
        institution=access.institution_of(db, actor),
        breadcrumbs=_crumbs(
            request, (_t(request, N_("Pregnancy files")), "/health/pregnancies"), (title, None)
        ),
    )


@router.post("/pregnancies")
def pregnancy_file(request: Request, db: RequestSession, actor: Worker, form: Form) -> Response:
    try:
        row = pregnancies.file(db, actor, form.values)
    except DomainError as exc:
        db.rollback()
        return _new_pregnancy(request, db, actor, form.values, _errors(request, exc), exc.status)
    return _done(f"/health/pregnancies/{row.pregnancy_no}")


def _pregnancy_page(
    request, db, actor, no: str, active=None, values=None, errors=(), status_code=200
) -> Response:
    d = pregnancies.detail(db, actor, no)
    p = d["pregnancy"]
    names = institutions.names(
        db,
        [
            p.institution_code,
            *(v.institution_code for v in d["visits"]),
            *(a.institution_code for a in d["assessments"]),
        ],
    )
    return _page(
        request,
        "health/pregnancy.html",
        f"{p.name} · {p.pregnancy_no}",
        status_code=status_code,
        d=d,
        p=p,
        names=names,
        active=active,
        values=values or {},
        errors=list(errors),
        actions=list(PREGNANCY_ACTIONS),
        breadcrumbs=_crumbs(
            request, (_t(request, N_("Pregnancy files")), "/health/pregnancies"), (p.pregnancy_no, None)
        ),
    )


@router.get("/pregnancies/{pregnancy_no}")
def pregnancy_page(pregnancy_no: str, request: Request, db: RequestSession, actor: Worker) -> Response:
    return _pregnancy_page(request, db, actor, pregnancy_no)


@router.post("/pregnancies/{pregnancy_no}/{action}")
def pregnancy_record(
    pregnancy_no: str, action: str, request: Request, db: RequestSession, actor: Worker, form: Form
) -> Response:
    if action not in PREGNANCY_ACTIONS:
        raise access.not_found("action", action)
    try:
        PREGNANCY_ACTIONS[action](db, actor, pregnancy_no, form.values)
    except DomainError as exc:
        db.rollback()
        return _pregnancy_page(
            request, db, actor, pregnancy_no, action, form.values, _errors(request, exc), exc.status
        )
    return _done(f"/health/pregnancies/{pregnancy_no}#{action}")


# -- cases --------------------------------------------------------------------------------------------------------
@router.get("/cases")
def case_list(request: Request, db: RequestSession, actor: Official, overdue: bool = False) -> Response:
    rows = cases.listing(db, actor, overdue_only=overdue)
    title = _t(request, N_("High-risk cases"))
    return _page(
        request,
        "health/cases.html",
        title,
        rows=rows,
        overdue=overdue,
        worker=access.is_worker(actor),
        names=institutions.names(db, [r["institution_code"] for r in rows]),
        breadcrumbs=_crumbs(request, (title, None)),
    )


def _case_page(
    request, db, actor, case_id: int, active=None, values=None, errors=(), status_code=200
) -> Response:
    d = cases.detail(db, actor, case_id)
    centres = institutions.centres(db)
    title = _t(request, N_("High-risk case %(case)s"), case=case_id)
    return _page(
        request,
        "health/case.html",
        title,
        status_code=status_code,
        d=d,
        c=d["case"],
        p=d["pregnancy"],
        centres=[(i.code, i.name) for i in centres],
        active=active,
        values=values or {},
        errors=list(errors),
        names=institutions.names(
            db, [d["case"].institution_code, *(r.to_institution_code for r in d["referrals"])]
        ),
        breadcrumbs=_crumbs(request, (_t(request, N_("High-risk cases")), "/health/cases"), (title, None)),
    )


@router.get("/cases/{case_id}")
def case_page(case_id: int, request: Request, db: RequestSession, actor: Worker) -> Response:
    return _case_page(request, db, actor, case_id)


@router.post("/cases/{case_id}/{action}")
def case_action(
    case_id: int, action: str, request: Request, db: RequestSession, actor: Worker, form: Form
) -> Response:
    if action not in CASE_ACTIONS:
        raise access.not_found("action", action)
    try:
        CASE_ACTIONS[action](db, actor, case_id, form.values)
    except DomainError as exc:
        db.rollback()
        return _case_page(request, db, actor, case_id, action, form.values, _errors(request, exc), exc.status)
    return _done(f"/health/cases/{case_id}")


# -- children and women -------------------------------------------------------------------------------------------
def _records_page(
    request, db, actor, which: str, values=None, errors=(), status_code=200, kind=None
) -> Response:
    if which == "child":
        rows, title = screenings.children(db, actor, kind), _t(request, N_("Child health records"))
    else:
        rows, title = screenings.women(db, actor, kind), _t(request, N_("Women's health records"))
    return _page(
        request,
        "health/records.html",
        title,
        status_code=status_code,
        rows=rows,
        which=which,
        kind=kind,
        worker=access.is_worker(actor),
        values=values or {},
        errors=list(errors),
        names=institutions.names(db, [r["institution_code"] for r in rows]),
        breadcrumbs=_crumbs(request, (title, None)),
    )


@router.get("/children")
def child_list(request: Request, db: RequestSession, actor: Official, kind: str | None = None) -> Response:
    return _records_page(request, db, actor, "child", kind=kind)


@router.post("/children")
def child_record(request: Request, db: RequestSession, actor: Worker, form: Form) -> Response:
    try:
        screenings.record_child(db, actor, form.values)
    except DomainError as exc:
        db.rollback()
        return _records_page(request, db, actor, "child", form.values, _errors(request, exc), exc.status)
    return _done("/health/children")


@router.get("/women")
def women_list(request: Request, db: RequestSession, actor: Official, kind: str | None = None) -> Response:
    return _records_page(request, db, actor, "women", kind=kind)


@router.post("/women")
def women_record(request: Request, db: RequestSession, actor: Worker, form: Form) -> Response:
    try:
        screenings.record_women(db, actor, form.values)
    except DomainError as exc:
        db.rollback()
        return _records_page(request, db, actor, "women", form.values, _errors(request, exc), exc.status)
    return _done("/health/women")


# -- deaths and the 约谈 list --------------------------------------------------------------------------------------
def _deaths_page(request, db, actor, values=None, errors=(), status_code=200) -> Response:
    rows = deaths.listing(db, actor)
    title = _t(request, N_("Deaths and their reviews"))
    return _page(
        request,
        "health/deaths.html",
        title,
        status_code=status_code,
        rows=rows,
        worker=access.is_worker(actor),
        values=values or {},
        errors=list(errors),
        names=institutions.names(db, [r["institution_code"] for r in rows]),
        breadcrumbs=_crumbs(request, (title, None)),
    )


@router.get("/deaths")
def death_list(request: Request, db: RequestSession, actor: Official) -> Response:
    return _deaths_page(request, db, actor)


@router.post("/deaths")
def death_report(request: Request, db: RequestSession, actor: Worker, form: Form) -> Response:
    try:
        row = deaths.report(db, actor, form.values)
    except DomainError as exc:
        db.rollback()
        return _deaths_page(request, db, actor, form.values, _errors(request, exc), exc.status)
    return _done(f"/health/deaths/{row.id}")


def _death_page(request, db, actor, death_id: int, values=None, errors=(), status_code=200) -> Response:
    row = deaths.detail(db, actor, death_id)
    title = _t(request, N_("Death report %(id)s"), id=death_id)
    return _page(
        request,
        "health/death.html",
        title,
        status_code=status_code,
        r=row,
        classes=list(vocab.DEATH_CLASSES[row.kind].items()),
        may_review=access.may_review(actor),
        values=values or {},
        errors=list(errors),
        institution=institutions.names(db, [row.institution_code]).get(
            row.institution_code, row.institution_code
        ),
        breadcrumbs=_crumbs(
            request, (_t(request, N_("Deaths and their reviews")), "/health/deaths"), (title, None)
        ),
    )


@router.get("/deaths/{death_id}")
def death_page(death_id: int, request: Request, db: RequestSession, actor: Reviewer) -> Response:
    return _death_page(request, db, actor, death_id)


@router.post("/deaths/{death_id}/review")
def death_review(
    death_id: int,
    request: Request,
    db: RequestSession,
    actor: Annotated[Actor, Depends(PageActor(*access.REVIEWERS))],
    form: Form,
) -> Response:
    try:
        deaths.review(db, actor, death_id, form.values)
    except DomainError as exc:
        db.rollback()
        return _death_page(request, db, actor, death_id, form.values, _errors(request, exc), exc.status)
    return _done(f"/health/deaths/{death_id}")


def _interviews_page(request, db, actor, year: int, errors=(), status_code=200) -> Response:
    title = _t(request, N_("Interview and notification list"))
    return _page(
        request,
        "health/interviews.html",
        title,
        status_code=status_code,
        listed=interviews.for_actor(db, actor, year),
        year=year,
        may_review=access.may_review(actor),
        errors=list(errors),
        breadcrumbs=_crumbs(request, (title, None)),
    )


@router.get("/interviews")
def interview_list(
    request: Request,
    db: RequestSession,
    actor: Annotated[Actor, Depends(PageActor(*access.OFFICIALS))],
    year: int | None = None,
) -> Response:
    return _interviews_page(request, db, actor, year or dt.date.today().year)


@router.post("/interviews/{institution_code}")
def interview_hold(
    institution_code: str,
    request: Request,
    db: RequestSession,
    actor: Annotated[Actor, Depends(PageActor(*access.REVIEWERS))],
    form: Form,
    year: int | None = None,
) -> Response:
    year = year or dt.date.today().year
    try:
        interviews.hold(db, actor, institution_code, year, form.values)
    except DomainError as exc:
        db.rollback()
        return _interviews_page(request, db, actor, year, _errors(request, exc), exc.status)
    return _done(f"/health/interviews?year={year}")


# -- 婚育 offers and 生育咨询指导 -------------------------------------------------------------------------------------
def _bookable(db, region: str) -> list[tuple[str, str]]:
    return [(i.code, i.name) for i in institutions.in_region(db, [region]) if i.kind != "hospital"]


@router.get("/offers")
def offer_list(request: Request, db: RequestSession, actor: Worker, status: str = "booked") -> Response:
    title = _t(request, N_("Premarital and preconception bookings"))
    return _page(
        request,
        "health/offers.html",
        title,
        rows=offers.at_institution(db, actor, status),
        status=status,
        breadcrumbs=_crumbs(request, (title, None)),
    )


def _my_page(request, db, actor, active=None, values=None, errors=(), status_code=200) -> Response:
    mine = offers.mine(db, actor)
    title = _t(request, N_("My free health checks"))
    return _page(
        request,
        "health/my.html",
        title,
        status_code=status_code,
        offers=mine,
        places={o.region: _bookable(db, o.region) for o in mine},
        active=active,
        values=values or {},
        errors=list(errors),
        breadcrumbs=[(title, None)],
    )


@router.get("/my")
def my_offers(request: Request, db: RequestSession, actor: Citizen) -> Response:
    return _my_page(request, db, actor)


@router.post("/my/{offer_id}/book")
def my_book(offer_id: int, request: Request, db: RequestSession, actor: Citizen, form: Form) -> Response:
    try:
        offers.book(db, actor, offer_id, form.values)
    except DomainError as exc:
        db.rollback()
        return _my_page(request, db, actor, offer_id, form.values, _errors(request, exc), exc.status)
    return _done("/health/my")


@router.post("/my/{offer_id}/decline")
def my_decline(offer_id: int, request: Request, db: RequestSession, actor: Citizen) -> Response:
    offers.decline(db, actor, offer_id)
    return _done("/health/my")


def _guidance_page(
    request, db, actor, active=None, values=None, errors=(), status_code=200, status="open"
) -> Response:
    title = _t(request, N_("Fertility counselling follow-ups"))
    return _page(
        request,
        "health/guidance.html",
        title,
        status_code=status_code,
        rows=guidance.listing(db, actor, status),
        status=status,
        active=active,
        values=values or {},
        errors=list(errors),
        breadcrumbs=_crumbs(request, (title, None)),
    )


@router.get("/guidance")
def guidance_list(request: Request, db: RequestSession, actor: Guide, status: str = "open") -> Response:
    return _guidance_page(request, db, actor, status=status)


@router.post("/guidance/{guidance_id}/done")
def guidance_done(
    guidance_id: int, request: Request, db: RequestSession, actor: Guide, form: Form
) -> Response:
    try:
        guidance.done(db, actor, guidance_id, form.values)
    except DomainError as exc:
        db.rollback()
        return _guidance_page(request, db, actor, guidance_id, form.values, _errors(request, exc), exc.status)
    return _done("/health/guidance")
