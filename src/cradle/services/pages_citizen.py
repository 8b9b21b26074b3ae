"""Citizens' pages: 生育登记 (form, receipt with the PDF certificate), 出生一件事 (application, timeline), applying
for a program (pre-filled, the engine's explanation shown), my applications, payments, messages and deadlines.
Every action calls the same service function as the JSON API; forms carry the auth middleware's CSRF token."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError, NotFound
from cradle.idcard import mask, sex_of
from cradle.payments import entitlements
from cradle.services import (
    appeals,
    applications,
    bundle,
    certificates,
    forms,
    notifications,
    prefill,
    proxy,
    registration,
    reminders,
    review,
)
from cradle.services.models import IssuedDocument
from cradle.services.offices import office
from cradle.services.web import OfficePage, error_list, form_data, label, see_other
from cradle.web.session import RequestSession
from cradle.web.templating import locale_of, render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
Citizen = Annotated[Actor, Depends(OfficePage("citizen"))]
AnyOffice = Annotated[Actor, Depends(OfficePage())]
SERVICES = N_("Online services")


def _services(request: Request) -> tuple[str, str]:
    return label(request, SERVICES), "/services"


# --- hub --------------------------------------------------------------------------------------------------------
@router.get("/services")
def hub(request: Request, s: RequestSession, actor: AnyOffice) -> Response:
    if office(actor) != "citizen":
        return see_other("/payments" if office(actor) == "finance" else "/staff")
    pid = actor.id_number
    return render(
        request,
        "services/hub.html",
        actor=actor,
        registrations=registration.of_person(s, pid),
        bundles=bundle.of_person(s, pid),
        cases=applications.of_citizen(s, pid),
        messages=_said(notifications.inbox(s, pid, limit=5), locale_of(request)),
        breadcrumbs=[(label(request, SERVICES), None)],
    )


# --- 生育登记 -----------------------------------------------------------------------------------------------------
@router.get("/services/registration")
def registration_form(request: Request, actor: Citizen) -> Response:
    mine = "mother" if sex_of(actor.id_number) == "F" else "father"
    form = {f"{mine}_id_number": actor.id_number, f"{mine}_name": actor.name, "child_order": "1"}
    return _registration_page(request, form, [])


def _registration_page(request: Request, form: dict, errors: list, status_code: int = 200) -> Response:
    return render(
        request,
        "services/registration_form.html",
        status_code=status_code,
        form=form,
        errors=errors,
        breadcrumbs=[_services(request), (label(request, N_("Birth registration")), None)],
    )


@router.post("/services/registration")
def registration_submit(request: Request, s: RequestSession, actor: Citizen, form: FormDep) -> Response:
    try:
        row = registration.register(s, actor, form)
        certificates.issue_registration(s, actor, row.reg_no)  # the receipt always has its PDF
    except DomainError as exc:
        s.rollback()
        return _registration_page(request, form, error_list(request, exc), status_code=exc.status)
    return see_other(f"/services/registrations/{row.reg_no}")


@router.get("/services/registrations/{reg_no}")
def registration_receipt(request: Request, s: RequestSession, reg_no: str, actor: Citizen) -> Response:
    row = registration.get(s, actor, reg_no)
    docs = (
        s.execute(
            select(IssuedDocument)
            .where(IssuedDocument.subject == f"registration:{reg_no}")
            .order_by(IssuedDocument.id.desc())
        )
        .scalars()
        .all()
    )
    return render(
        request,
        "services/registration.html",
        r=row,
        mother=mask(row.mother_id_number),
        docs=[(d, certificates.verify_url(d)) for d in docs],
        breadcrumbs=[_services(request), (label(request, N_("Birth registration receipt")), None)],
    )


@router.get("/services/documents/{doc_no}.pdf")
def document_pdf(s: RequestSession, doc_no: str, actor: AnyOffice) -> Response:
    doc = certificates.get_document(s, doc_no)
    subject = doc.subject.split(":", 1)[1]
    (registration.get if doc.kind == "registration" else applications.get)(s, actor, subject)
    return Response(
        certificates.pdf(doc),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{doc_no}.pdf"'},
    )


# --- 出生一件事 ----------------------------------------------------------------------------------------------------
BUNDLE = N_("Birth: one application for everything")


@router.get("/services/bundle")
def bundle_form(request: Request, s: RequestSession, actor: Citizen) -> Response:
    form = {"maternity_insured": ""}
    regs = [r for r in registration.of_person(s, actor.id_number) if r.status == "registered"]
    if regs:
        r = regs[0]
        form.update(
            registration_no=r.reg_no,
            mother_id_number=r.mother_id_number,
            mother_name=r.mother_name,
            father_id_number=r.father_id_number or "",
            father_name=r.father_name or "",
            hukou_region=r.residence_region,
            phone=r.phone or "",
        )
    elif sex_of(actor.id_number) == "F":
        form.update(mother_id_number=actor.id_number, mother_name=actor.name)
    return _bundle_page(request, form, [])


def _bundle_page(request: Request, form: dict, errors: list, status_code: int = 200) -> Response:
    return render(
        request,
        "services/bundle_form.html",
        status_code=status_code,
        form=form,
        errors=errors,
        breadcrumbs=[_services(request), (label(request, BUNDLE), None)],
    )


@router.post("/services/bundle")
def bundle_submit(request: Request, s: RequestSession, actor: Citizen, form: FormDep) -> Response:
    data = {**form, "maternity_insured": bool(form.get("maternity_insured"))}
    try:
        b = bundle.apply(s, actor, data)
    except DomainError as exc:
        s.rollback()
        return _bundle_page(request, form, error_list(request, exc), status_code=exc.status)
    return see_other(f"/services/bundles/{b.bundle_no}")


@router.get("/services/bundles/{bundle_no}")
def bundle_timeline(request: Request, s: RequestSession, bundle_no: str, actor: Citizen) -> Response:
    return render(
        request,
        "services/bundle.html",
        b=bundle.timeline(s, actor, bundle_no),
        task_titles=bundle.TITLES,
        task_labels=bundle.STATUS_LABELS,
        breadcrumbs=[_services(request), (f"{label(request, BUNDLE)} {bundle_no}", None)],
    )


# --- applying for a program -------------------------------------------------------------------------------------
def _apply_defaults(s: Session, actor: Actor, for_id: str = "") -> tuple[dict, str]:
    """Form values: the registry's household where it knows the citizen, else what 出生一件事 already has.
    A proxy filing `for_id` gets that person's household (her consent was checked by the caller)."""
    pid = for_id or actor.id_number
    name = "" if for_id else actor.name
    try:
        found = prefill.prefill(s, pid, dt.date.today())
    except NotFound:
        found = None
    if found:
        form = forms.rows_from_household(found["household"], found["identities"])
        source = "registry"
    else:
        form, source = {}, "form"
        bundles = bundle.of_person(s, pid)
        if bundles:
            d = bundles[0].data
            form.update(
                jurisdiction=d.get("hukou_region", ""),
                m_id_number=d.get("mother_id_number") or "",
                m_name=d.get("mother_name") or "",
                f_id_number=d.get("father_id_number") or "",
                f_name=d.get("father_name") or "",
                c2_name=d.get("child_name") or "",
                phone=d.get("phone") or "",
                account_no=d.get("account_no") or "",
            )
            source = "bundle"
        elif sex_of(pid) == "F":
            form.update(m_id_number=pid, m_name=name)
        else:
            form.update(f_id_number=pid, f_name=name)
    form.setdefault("beneficiary", "c2")
    if for_id:
        form["for_id_number"] = for_id
    return form, source


def _apply_page(
    request: Request,
    form: dict,
    errors: list,
    source: str,
    verdict: dict | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "services/apply.html",
        status_code=status_code,
        form=form,
        errors=errors,
        source=source,
        verdict=verdict,
        programs=forms.program_choices(locale_of(request)),
        slots=forms.SLOTS,
        mask=mask,
        breadcrumbs=[_services(request), (label(request, N_("Apply for a benefit")), None)],
    )


@router.get("/services/apply")
def apply_form(
    request: Request, s: RequestSession, actor: Citizen, program: str = "", for_id: str = ""
) -> Response:
    for_id = for_id.strip().upper()
    if for_id and for_id != actor.id_number:
        proxy.principal(s, actor, for_id, "application")  # 亲情代办: only with the person's recorded consent
    else:
        for_id = ""
    form, source = _apply_defaults(s, actor, for_id)
    if program:
        form["program"] = program
    return _apply_page(request, form, [], source)


@router.post("/services/apply")
def apply_submit(request: Request, s: RequestSession, actor: Citizen, form: FormDep) -> Response:
    household = None
    try:
        household, identities = forms.household_from_form(form, dt.date.today())
        data = {
            "program": form.get("program", ""),
            "household": household,
            "identities": identities,
            "beneficiary": form.get("beneficiary", ""),
            "town": form.get("town", ""),
            "account_no": form.get("account_no", ""),
            "bank_code": form.get("bank_code", ""),
            "phone": form.get("phone", ""),
            "for_id_number": form.get("for_id_number") or None,
        }
        if form.get("intent") == "check":  # the engine's answer, nothing stored
            beneficiary = None if data["beneficiary"] == "household" else data["beneficiary"]
            verdict = applications.evaluate(s, data["program"], household, beneficiary, dt.date.today())
            return _apply_page(request, form, [], form.get("source", "form"), verdict=verdict)
        case = applications.submit(s, actor, data)
    except DomainError as exc:
        s.rollback()
        errors = [{**error_list(request, exc)[0], "field": forms.form_field(exc, household)}]
        return _apply_page(request, form, errors, form.get("source", "form"), status_code=exc.status)
    return see_other(f"/applications/{case.case_no}?new=1")


# --- my applications --------------------------------------------------------------------------------------------
@router.get("/applications")
def my_applications(request: Request, s: RequestSession, actor: Citizen) -> Response:
    return render(
        request,
        "services/applications.html",
        cases=applications.of_citizen(s, actor.id_number),
        status_labels=applications.STATUS_LABELS,
        title_of=forms.program_title,
        mask=mask,
        breadcrumbs=[_services(request), (label(request, N_("My applications")), None)],
    )


@router.get("/applications/{case_no}")
def my_application(
    request: Request, s: RequestSession, case_no: str, actor: Citizen, new: str = ""
) -> Response:
    return case_page(request, s, actor, case_no, [], new=bool(new))


def case_page(
    request: Request,
    s: Session,
    actor: Actor,
    case_no: str,
    errors: list,
    new: bool = False,
    status_code: int = 200,
    form: dict | None = None,
) -> Response:
    """A citizen's application: status, explanation, steps, attachments, decision documents, appeals."""
    case = applications.get(s, actor, case_no)
    ident = case.identities or {}
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
        "services/case.html",
        status_code=status_code,
        c=case,
        steps=applications.steps(s, case),
        status_labels=applications.STATUS_LABELS,
        title=forms.program_title(case.program),
        actions=review.allowed_actions(case.status, "citizen"),
        members=forms.masked_members(case.household, ident),
        errors=errors,
        new=new,
        form=form or {},
        attachments=applications.attachments(s, case),
        docs=docs,
        appeals=[a for a in appeals.of_citizen(s, case.applicant_id_number) if a.case_id == case.id],
        payments=[
            p
            for p in entitlements.payments_of(s, case.beneficiary_id_number)
            if p.program == case.program and p.beneficiary_id_number == case.beneficiary_id_number
        ],
        breadcrumbs=[(label(request, N_("My applications")), "/applications"), (case.case_no, None)],
    )


@router.post("/applications/{case_no}/act")
def my_application_act(
    request: Request, s: RequestSession, actor: Citizen, form: FormDep, case_no: str
) -> Response:
    try:
        version = int(form["version"]) if form.get("version", "").isdigit() else None
        applications.act(
            s,
            actor,
            case_no,
            form.get("action", ""),
            reason=form.get("reason") or None,
            expected_version=version,
        )
    except DomainError as exc:
        s.rollback()
        return case_page(request, s, actor, case_no, error_list(request, exc), status_code=exc.status)
    return see_other(f"/applications/{case_no}")


# --- payments, messages and deadlines ---------------------------------------------------------------------------
@router.get("/services/payments")
def my_payments(request: Request, s: RequestSession, actor: Citizen) -> Response:
    return render(
        request,
        "services/payments.html",
        payments=entitlements.payments_of(s, actor.id_number),
        mask=mask,
        title_of=forms.program_title,
        breadcrumbs=[_services(request), (label(request, N_("My payments")), None)],
    )


@router.get("/services/messages")
def my_messages(request: Request, s: RequestSession, actor: Citizen) -> Response:
    return render(
        request,
        "services/messages.html",
        messages=_said(notifications.inbox(s, actor.id_number), locale_of(request)),
        deadlines=reminders.deadlines(s, actor.id_number),
        task_titles=bundle.TITLES,
        today=dt.date.today(),
        breadcrumbs=[_services(request), (label(request, N_("Messages and deadlines")), None)],
    )


def _said(rows: list, locale: str) -> list[dict]:
    """The inbox's notifications as the reader reads them (their message ids in the page's language)."""
    return [{"id": n.id, "created_at": n.created_at, "text": notifications.text(n, locale)} for n in rows]
