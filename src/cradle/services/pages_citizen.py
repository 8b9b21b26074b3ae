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

from cradle.db import RequestSession
from cradle.idcard import mask, sex_of
from cradle.payments import entitlements
from cradle.services import (
    applications,
    bundle,
    certificates,
    forms,
    notifications,
    prefill,
    registration,
    reminders,
)
from cradle.services.errors import NotFound, ServiceError
from cradle.services.models import IssuedDocument
from cradle.services.web import error_list, form_data, guarded, page_actor, see_other
from cradle.web.templating import locale_of, render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]


def _citizen(request: Request):
    return page_actor(request, "citizen")


# --- hub --------------------------------------------------------------------------------------------------------
@router.get("/services")
@guarded
def hub(request: Request, s: RequestSession) -> Response:
    actor = page_actor(request)
    if actor.role != "citizen":
        return see_other("/payments" if actor.role == "finance" else "/staff")
    pid = actor.id_number
    cases = applications.of_citizen(s, pid)
    return render(
        request,
        "services/hub.html",
        actor=actor,
        registrations=registration.of_person(s, pid),
        bundles=bundle.of_person(s, pid),
        cases=cases,
        status_text=applications.STATUS_TEXT,
        messages=notifications.inbox(s, pid, limit=5),
        title_of=forms.program_title,
        breadcrumbs=[("网上办事", None)],
    )


# --- 生育登记 -----------------------------------------------------------------------------------------------------
@router.get("/services/registration")
@guarded
def registration_form(request: Request) -> Response:
    actor = _citizen(request)
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
        breadcrumbs=[("网上办事", "/services"), ("生育登记", None)],
    )


@router.post("/services/registration")
@guarded
def registration_submit(request: Request, s: RequestSession, form: FormDep) -> Response:
    actor = _citizen(request)
    try:
        row = registration.register(s, actor, form)
        certificates.issue_registration(s, actor, row.reg_no)  # the receipt always has its PDF
    except ServiceError as exc:
        s.rollback()
        return _registration_page(request, form, error_list(exc), status_code=exc.status)
    return see_other(f"/services/registrations/{row.reg_no}")


@router.get("/services/registrations/{reg_no}")
@guarded
def registration_receipt(request: Request, s: RequestSession, reg_no: str) -> Response:
    actor = _citizen(request)
    try:
        row = registration.get(s, actor, reg_no)
    except ServiceError as exc:
        return render(
            request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
        )
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
        breadcrumbs=[("网上办事", "/services"), ("生育登记凭证", None)],
    )


@router.get("/services/documents/{doc_no}.pdf")
@guarded
def document_pdf(request: Request, s: RequestSession, doc_no: str) -> Response:
    actor = page_actor(request)
    try:
        doc = certificates.get_document(s, doc_no)
        subject = doc.subject.split(":", 1)[1]
        (registration.get if doc.kind == "registration" else applications.get)(s, actor, subject)
    except ServiceError as exc:
        return render(
            request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
        )
    return Response(
        certificates.pdf(doc),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{doc_no}.pdf"'},
    )


# --- 出生一件事 ----------------------------------------------------------------------------------------------------
@router.get("/services/bundle")
@guarded
def bundle_form(request: Request, s: RequestSession) -> Response:
    actor = _citizen(request)
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
        breadcrumbs=[("网上办事", "/services"), ("出生一件事", None)],
    )


@router.post("/services/bundle")
@guarded
def bundle_submit(request: Request, s: RequestSession, form: FormDep) -> Response:
    actor = _citizen(request)
    data = {**form, "maternity_insured": bool(form.get("maternity_insured"))}
    try:
        b = bundle.apply(s, actor, data)
    except ServiceError as exc:
        s.rollback()
        return _bundle_page(request, form, error_list(exc), status_code=exc.status)
    return see_other(f"/services/bundles/{b.bundle_no}")


@router.get("/services/bundles/{bundle_no}")
@guarded
def bundle_timeline(request: Request, s: RequestSession, bundle_no: str) -> Response:
    actor = _citizen(request)
    try:
        view = bundle.timeline(s, actor, bundle_no)
    except ServiceError as exc:
        return render(
            request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
        )
    return render(
        request,
        "services/bundle.html",
        b=view,
        breadcrumbs=[("网上办事", "/services"), (f"出生一件事 {bundle_no}", None)],
    )


# --- applying for a program -------------------------------------------------------------------------------------
def _apply_defaults(s: Session, actor, for_id: str = "") -> tuple[dict, str]:
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
        breadcrumbs=[("网上办事", "/services"), ("申请待遇", None)],
    )


@router.get("/services/apply")
@guarded
def apply_form(request: Request, s: RequestSession, program: str = "", for_id: str = "") -> Response:
    from cradle.services import proxy

    actor = _citizen(request)
    for_id = for_id.strip().upper()
    if for_id and for_id != actor.id_number:
        try:  # 亲情代办: only with the person's recorded consent
            proxy.principal(s, actor, for_id, "application")
        except ServiceError as exc:
            return render(
                request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
            )
    else:
        for_id = ""
    form, source = _apply_defaults(s, actor, for_id)
    if program:
        form["program"] = program
    return _apply_page(request, form, [], source)


@router.post("/services/apply")
@guarded
def apply_submit(request: Request, s: RequestSession, form: FormDep) -> Response:
    actor = _citizen(request)
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
    except ServiceError as exc:
        s.rollback()
        errors = [{**error_list(exc)[0], "field": forms.form_field(exc, household)}]
        return _apply_page(request, form, errors, form.get("source", "form"), status_code=exc.status)
    return see_other(f"/applications/{case.case_no}?new=1")


# --- my applications --------------------------------------------------------------------------------------------
@router.get("/applications")
@guarded
def my_applications(request: Request, s: RequestSession) -> Response:
    actor = _citizen(request)
    return render(
        request,
        "services/applications.html",
        cases=applications.of_citizen(s, actor.id_number),
        status_text=applications.STATUS_TEXT,
        title_of=forms.program_title,
        mask=mask,
        breadcrumbs=[("网上办事", "/services"), ("我的申请", None)],
    )


@router.get("/applications/{case_no}")
@guarded
def my_application(request: Request, s: RequestSession, case_no: str, new: str = "") -> Response:
    actor = _citizen(request)
    return _case_page(request, s, actor, case_no, [], new=bool(new))


def case_page(request, s, actor, case_no, errors, new=False, status_code=200, form=None) -> Response:
    """A citizen's application: status, explanation, steps, attachments, decision documents, appeals."""
    from cradle.services import appeals, review

    try:
        case = applications.get(s, actor, case_no)
    except ServiceError as exc:
        return render(
            request, "error.html", status_code=exc.status, status=exc.status, errors=error_list(exc)
        )
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
        status_text=applications.STATUS_TEXT,
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
        breadcrumbs=[("我的申请", "/applications"), (case.case_no, None)],
    )


_case_page = case_page


@router.post("/applications/{case_no}/act")
@guarded
def my_application_act(request: Request, s: RequestSession, form: FormDep, case_no: str) -> Response:
    actor = _citizen(request)
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
    except ServiceError as exc:
        s.rollback()
        return _case_page(request, s, actor, case_no, error_list(exc), status_code=exc.status)
    return see_other(f"/applications/{case_no}")


# --- payments, messages and deadlines ---------------------------------------------------------------------------
@router.get("/services/payments")
@guarded
def my_payments(request: Request, s: RequestSession) -> Response:
    actor = _citizen(request)
    return render(
        request,
        "services/payments.html",
        payments=entitlements.payments_of(s, actor.id_number),
        mask=mask,
        title_of=forms.program_title,
        breadcrumbs=[("网上办事", "/services"), ("我的发放", None)],
    )


@router.get("/services/messages")
@guarded
def my_messages(request: Request, s: RequestSession) -> Response:
    actor = _citizen(request)
    return render(
        request,
        "services/messages.html",
        messages=notifications.inbox(s, actor.id_number),
        deadlines=reminders.deadlines(s, actor.id_number),
        today=dt.date.today(),
        breadcrumbs=[("网上办事", "/services"), ("消息与期限", None)],
    )
