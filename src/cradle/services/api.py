"""JSON API of the services: /api/v1/services/... (the payments' own routes are `cradle.payments.api`). Every
action takes an `Idempotency-Key` header (`@idempotent`); a replay returns the stored response. The caller is
the signed-in account only (`cradle.services.callers`); refusals are `cradle.errors` errors, answered by the
app's one handler."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.errors import DEFAULT_LOCALE, N_, DomainError, Invalid
from cradle.idcard import mask
from cradle.payments import entitlements
from cradle.services import (
    appeals,
    applications,
    bundle,
    callers,
    certificates,
    files,
    idempotency,
    notifications,
    proxy,
    registration,
    reminders,
)
from cradle.services.callers import Reader
from cradle.services.idempotency import body_of, idempotent, request_hash
from cradle.services.offices import office
from cradle.services.schemas import (
    ActionIn,
    AppealDecided,
    AppealDecisionIn,
    AppealFiled,
    AppealIn,
    AppealOut,
    AttachmentAdded,
    AttachmentOut,
    AuditCheck,
    BundleFiled,
    BundleIn,
    BundleOut,
    CaseIn,
    CaseOut,
    CaseWithSteps,
    ConsentGranted,
    ConsentIn,
    ConsentOut,
    ConsentRevoked,
    DocumentOut,
    MyServicesOut,
    RegistrationIn,
    RegistrationOut,
    TaskActionIn,
    TaskMoved,
    TaskOut,
    VerifyOut,
)
from cradle.web.fastpath import is_post_to, post_route, read_body, replay
from cradle.web.session import RequestSession

router = APIRouter(prefix="/api/v1/services", tags=["services"])
PDF = {200: {"content": {"application/pdf": {}}}}
ATTACHMENT = {200: {"content": {kind: {} for kind in applications.ATTACHMENT_TYPES}}}


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def registration_json(r) -> dict:
    return {
        "reg_no": r.reg_no,
        "status": r.status,
        "mother": mask(r.mother_id_number),
        "mother_name": r.mother_name,
        "child_order": r.child_order,
        "expected_birth": _iso(r.expected_birth),
        "hukou_region": r.hukou_region,
        "residence_region": r.residence_region,
        "on_behalf_of": r.on_behalf_of,
    }


def case_json(c, with_steps: list | None = None) -> dict:
    out = {
        "case_no": c.case_no,
        "program": c.program,
        "status": c.status,
        "status_text": applications.status_text(c.status),
        "origin": c.origin,
        "applicant": mask(c.applicant_id_number),
        "beneficiary": mask(c.beneficiary_id_number),
        "beneficiary_name": c.beneficiary_name,
        "county": c.county,
        "town": c.town,
        "amount": None if c.amount is None else f"{c.amount:.2f}",
        "unit": c.unit,
        "period": {"start": _iso(c.period_start), "end": _iso(c.period_end)},
        "eligibility": c.eligibility,
        "sla_due": _iso(c.sla_due),
        "overdue": applications.is_overdue(c),
        "version": c.version,
    }
    if with_steps is not None:
        out["steps"] = [
            {
                "action": s.action,
                "from": s.from_status,
                "to": s.to_status,
                "actor": s.actor,
                "on_behalf_of": s.on_behalf_of,
                "reason": s.reason,
                "at": _iso(s.at),
            }
            for s in with_steps
        ]
    return out


def _doc_json(doc) -> dict:
    return {
        "doc_no": doc.doc_no,
        "kind": doc.kind,
        "verify_url": certificates.verify_url(doc),
        "pdf": f"/api/v1/services/documents/{doc.doc_no}.pdf",
    }


def _appeal_json(x) -> dict:
    return {
        "appeal_no": x.appeal_no,
        "kind": x.kind,
        "period": x.period,
        "level": x.level,
        "county": x.county,
        "town": x.town,
        "grounds": x.grounds,
        "due": _iso(x.due),
        "overdue": x.status == "open" and x.due < dt.date.today(),
        "status": x.status,
        "outcome": x.outcome,
    }


def _citizen_only(actor: Actor) -> None:
    if office(actor) != "citizen":
        raise Invalid("actor.role", N_("Only the citizen in person"))


# --- 生育登记 and documents --------------------------------------------------------------------------------------
@router.post(
    "/registrations",
    status_code=201,
    response_model=RegistrationOut,
    summary="生育登记 (registered at once, no approval)",
)
@idempotent()
def post_registration(body: RegistrationIn, *, db: Session, actor: Actor) -> dict:
    return registration_json(registration.register(db, actor, body_of(body)))


@router.get("/registrations/{reg_no}", response_model=RegistrationOut)
def get_registration(reg_no: str, db: RequestSession, actor: Reader) -> dict:
    return registration_json(registration.get(db, actor, reg_no))


@router.post(
    "/registrations/{reg_no}/certificate",
    status_code=201,
    response_model=DocumentOut,
    summary="Issue the 生育登记 receipt (PDF with QR)",
)
@idempotent()
def post_certificate(reg_no: str, *, db: Session, actor: Actor) -> dict:
    return _doc_json(certificates.issue_registration(db, actor, reg_no))


@router.get("/documents/{doc_no}.pdf", response_class=Response, responses=PDF)
def get_pdf(doc_no: str, db: RequestSession, actor: Reader) -> Response:
    doc = certificates.get_document(db, doc_no)
    subject = doc.subject.split(":", 1)[1]
    (registration.get if doc.kind == "registration" else applications.get)(db, actor, subject)
    return Response(
        certificates.pdf(doc),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{doc_no}.pdf"'},
    )


@router.get(
    "/verify/{doc_no}",
    response_model=VerifyOut,
    summary="Verify a certificate's QR signature against the database",
)
def verify(doc_no: str, db: RequestSession, s: str = "") -> dict:
    return certificates.verify(db, doc_no, s)


# --- applications ------------------------------------------------------------------------------------------------
@router.post(
    "/cases",
    status_code=201,
    response_model=CaseOut,
    summary="Apply for a program (checked by the rules engine)",
)
@idempotent(look_first=False)  # an application writes only rows: its replay needs no look-up first (see run)
def post_case(body: CaseIn, *, db: Session, actor: Actor) -> dict:
    # on PostgreSQL the case's own statement stores the key with this answer (a round trip less), which is then
    # the answer sent (made once: the case as numbered by its last draw)
    answered: list[dict] = []

    def answer_row(c) -> dict | None:
        answered[:] = [case_json(c)]
        return idempotency.answer_row(db, answered[0])

    case = applications.submit(db, actor, body_of(body), answer_row=answer_row)
    return answered[0] if answered else case_json(case)


CASES_PATH = "/api/v1/services/cases"
_JSON = b"application/json"


class CaseFastPath:
    """`POST /api/v1/services/cases` (the busiest write) answered without the framework's per-request work: route
    matching over the routers, dependency solving, the request body's second reading. Installed inside the app's
    own middlewares (request id, metrics and log line, security headers, identity, locale), which see the request
    as before. It takes only a plain request the route would read the same way: no query string, a body sent as
    `application/json` that is a JSON object `CaseIn` validates, at most one `Idempotency-Key`, a caller the
    route's dependency admits; then it calls the route's own endpoint (`post_case.handle`: the idempotency key,
    the token check, the application and its answer, as the route does) in the same thread pool. A refusal (a
    `cradle.errors` error from the caller's check or the action, which wrote nothing) and anything else it does
    not take go to the route itself with the body it was sent, so every refusal, its field and its language are
    the framework's and the app's error handler's as before (`tests/services/test_case_fast_path.py` compares
    the answers byte for byte)."""

    def __init__(self, app) -> None:
        self.app = app
        self.route = post_route(router, CASES_PATH)

    async def __call__(self, scope, receive, send):
        if not is_post_to(scope, CASES_PATH) or scope.get("query_string"):
            return await self.app(scope, receive, send)
        content_type, keys = None, []
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value if content_type is None else b""
            elif name == b"idempotency-key":
                keys.append(value)
        if content_type != _JSON or len(keys) > 1:
            return await self.app(scope, receive, send)
        messages, body = await read_body(receive)
        if not body:  # the client left, or no body: the route says so as before
            return await self.app(scope, replay(messages, receive), send)
        try:
            doc = json.loads(body)  # as the framework reads a JSON body
            model = CaseIn.model_validate(doc) if isinstance(doc, dict) else None
        except (ValueError, ValidationError):
            model = None
        if model is None:
            return await self.app(scope, replay(messages, receive), send)
        scope["route"], scope["endpoint"], scope["path_params"] = self.route, self.route.endpoint, {}
        request = Request(scope, receive)
        key = keys[0].decode("latin-1") if keys else None  # as Starlette decodes a header
        state = dict(scope.get("state") or {})  # what the middlewares found, for the route to start from
        try:
            await callers.api_caller(request)
            answer = await anyio.to_thread.run_sync(post_case.handle, request, key, {"body": model})
        except DomainError:  # nothing was written (the transaction rolled back): the route answers it
            for k in ("route", "endpoint", "path_params"):
                scope.pop(k, None)
            if "state" in scope:
                scope["state"].clear()
                scope["state"].update(state)
            return await self.app(scope, replay(messages, receive), send)
        await answer(scope, receive, send)


fast_path = CaseFastPath


@router.get("/cases/{case_no}", response_model=CaseWithSteps)
def get_case(case_no: str, db: RequestSession, actor: Reader) -> dict:
    c = applications.get(db, actor, case_no)
    return case_json(c, applications.steps(db, c))


def _action_payload(case_no: str, action: str, body: ActionIn | None) -> dict:
    return {"case": case_no, "action": action, **(body_of(body) if body else {})}


@router.post(
    "/cases/{case_no}/actions/{action}",
    response_model=CaseOut,
    summary="A review action (town_accept, county_approve, …)",
)
@idempotent(payload=_action_payload)
def post_action(
    case_no: str, action: str, body: ActionIn | None = None, *, db: Session, actor: Actor
) -> dict:
    given = body_of(body) if body else {}
    c = applications.act(
        db,
        actor,
        case_no,
        action,
        reason=given.get("reason"),
        expected_version=given.get("version"),
        changes=given.get("changes"),
    )
    return case_json(c)


def _content(file: UploadFile) -> bytes:
    file.file.seek(0)
    return file.file.read()


def _attachment_payload(case_no: str, file: UploadFile) -> dict:
    return {"case": case_no, "name": file.filename, "sha": request_hash(_content(file).hex())}


@router.post("/cases/{case_no}/attachments", status_code=201, response_model=AttachmentAdded)
@idempotent(payload=_attachment_payload)
def post_attachment(case_no: str, file: Annotated[UploadFile, File()], *, db: Session, actor: Actor) -> dict:
    row = applications.add_attachment(
        db, actor, case_no, file.filename or "", file.content_type or "", _content(file)
    )
    return {"id": row.id, "name": row.name, "sha256": row.sha256, "size": row.size}


@router.get(
    "/cases/{case_no}/attachments",
    response_model=list[AttachmentOut],
    summary="An application's attachments (owner and its reviewers)",
)
def get_attachments(case_no: str, db: RequestSession, actor: Reader) -> list[dict]:
    _, rows = files.listing(db, actor, case_no)
    return [
        {
            "id": r.id,
            "name": r.name,
            "content_type": r.content_type,
            "size": r.size,
            "sha256": r.sha256,
            "added_by": r.added_by,
            "url": f"/api/v1/services/cases/{case_no}/attachments/{r.id}",
        }
        for r in rows
    ]


@router.get(
    "/cases/{case_no}/attachments/{attachment_id}",
    response_class=Response,
    responses=ATTACHMENT,
    summary="Download one attachment (audited)",
)
def get_attachment(case_no: str, attachment_id: int, db: RequestSession, actor: Reader) -> Response:
    row = files.fetch(db, actor, case_no, attachment_id)
    return Response(
        row.data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _decision_payload(case_no: str) -> dict:
    return {"case": case_no}


@router.post(
    "/cases/{case_no}/decision",
    status_code=201,
    response_model=DocumentOut,
    summary="Issue the decision document (PDF with QR)",
)
@idempotent(payload=_decision_payload)
def post_decision(case_no: str, *, db: Session, actor: Actor) -> dict:
    return _doc_json(certificates.issue_decision(db, actor, case_no))


@router.get("/queue", response_model=list[CaseOut], summary="An official's work list (their county or town)")
def get_queue(
    db: RequestSession, actor: Reader, status: str | None = None, overdue: bool = False
) -> list[dict]:
    return [case_json(c) for c in applications.queue(db, actor, status, overdue)]


# --- 出生一件事 ----------------------------------------------------------------------------------------------------
@router.post("/bundles", status_code=201, response_model=BundleOut | BundleFiled, summary="出生一件事")
@idempotent()
def post_bundle(body: BundleIn, *, db: Session, actor: Actor) -> dict:
    b = bundle.apply(db, actor, body_of(body))
    return (
        bundle.timeline(db, actor, b.bundle_no) if office(actor) == "citizen" else {"bundle_no": b.bundle_no}
    )


@router.get("/bundles/{bundle_no}", response_model=BundleOut)
def get_bundle(bundle_no: str, db: RequestSession, actor: Reader) -> dict:
    return bundle.timeline(db, actor, bundle_no)


@router.get("/tasks", response_model=list[TaskOut], summary="A department's queue of 出生一件事 tasks")
def get_tasks(db: RequestSession, actor: Reader, status: str | None = None) -> list[dict]:
    return [{**t, "deadline": _iso(t["deadline"])} for t in bundle.dept_queue(db, actor, status)]


def _task_payload(task_id: int, action: str, body: TaskActionIn | None) -> dict:
    return {"task": task_id, "action": action, **(body_of(body) if body else {})}


@router.post("/tasks/{task_id}/{action}", response_model=TaskMoved)
@idempotent(payload=_task_payload)
def post_task(
    task_id: int, action: str, body: TaskActionIn | None = None, *, db: Session, actor: Actor
) -> dict:
    given = body_of(body) if body else {}
    t = bundle.move(db, actor, task_id, action, reason=given.get("reason"), result=given.get("result"))
    return {"task_id": t.id, "status": t.status, "reason": t.reason}


# --- 亲情代办 ----------------------------------------------------------------------------------------------------
@router.post(
    "/consents",
    status_code=201,
    response_model=ConsentGranted,
    summary="亲情代办: record consent for a family member",
)
@idempotent()
def post_consent(body: ConsentIn, *, db: Session, actor: Actor) -> dict:
    c = proxy.grant(db, actor, body_of(body))
    return {
        "id": c.id,
        "proxy": mask(c.proxy_id_number),
        "scope": c.scope,
        "valid_until": _iso(c.valid_until),
    }


def _revoke_payload(consent_id: int) -> dict:
    return {"revoke": consent_id}


@router.delete("/consents/{consent_id}", response_model=ConsentRevoked)
@idempotent(payload=_revoke_payload)
def delete_consent(consent_id: int, *, db: Session, actor: Actor) -> dict:
    return {"id": proxy.revoke(db, actor, consent_id).id, "revoked": True}


@router.get(
    "/consents", response_model=list[ConsentOut], summary="亲情代办: consent a citizen has given and holds"
)
def get_consents(db: RequestSession, actor: Reader) -> list[dict]:
    _citizen_only(actor)
    return [
        {
            "id": c.id,
            "grantor": mask(c.grantor_id_number),
            "grantor_name": c.grantor_name,
            "proxy": mask(c.proxy_id_number),
            "proxy_name": c.proxy_name,
            "relation": c.relation,
            "scope": c.scope,
            "valid_until": _iso(c.valid_until),
            "revoked": c.revoked_at is not None,
            "mine": c.grantor_id_number == actor.id_number,
        }
        for c in proxy.consents_of(db, actor.id_number)
    ]


# --- 投诉与申诉 --------------------------------------------------------------------------------------------------
@router.post("/appeals", status_code=201, response_model=AppealFiled, summary="投诉与申诉")
@idempotent()
def post_appeal(body: AppealIn, *, db: Session, actor: Actor) -> dict:
    ap = appeals.file(db, actor, body.case_no or "", body.kind or "", body.grounds or "", body.period)
    return {"appeal_no": ap.appeal_no, "level": ap.level, "due": _iso(ap.due), "status": ap.status}


def _appeal_decision_payload(appeal_no: str, body: AppealDecisionIn) -> dict:
    return {"appeal": appeal_no, **body_of(body)}


@router.post("/appeals/{appeal_no}/decision", response_model=AppealDecided)
@idempotent(payload=_appeal_decision_payload)
def post_appeal_decision(appeal_no: str, body: AppealDecisionIn, *, db: Session, actor: Actor) -> dict:
    ap = appeals.decide(db, actor, appeal_no, body.upheld, body.outcome or "")
    return {"appeal_no": ap.appeal_no, "status": ap.status, "outcome": ap.outcome}


@router.get(
    "/appeals",
    response_model=list[AppealOut],
    summary="Open appeals to answer (town/county official) or a citizen's own appeals",
)
def get_appeals(db: RequestSession, actor: Reader) -> list[dict]:
    rows = appeals.of_citizen(db, actor.id_number) if office(actor) == "citizen" else appeals.queue(db, actor)
    return [_appeal_json(x) for x in rows]


# --- the citizen's page, the audit log ---------------------------------------------------------------------------
@router.get(
    "/me",
    response_model=MyServicesOut,
    summary="A citizen's page: registrations, bundles, cases, payments, deadlines, messages",
)
def me(request: Request, db: RequestSession, actor: Reader) -> dict:
    """Messages in the request's language (`?lang=` or Accept-Language; Chinese by default)."""
    _citizen_only(actor)
    pid = actor.id_number
    locale = getattr(request.state, "locale", DEFAULT_LOCALE)
    return {
        "registrations": [registration_json(r) for r in registration.of_person(db, pid)],
        "bundles": [bundle.timeline(db, actor, b.bundle_no) for b in bundle.of_person(db, pid)],
        "cases": [case_json(c) for c in applications.of_citizen(db, pid)],
        "payments": [
            {"program": p.program, "period": p.period, "amount": f"{p.amount:.2f}", "status": p.status}
            for p in entitlements.payments_of(db, pid)
        ],
        "deadlines": [{**d, "due": _iso(d["due"])} for d in reminders.deadlines(db, pid)],
        "messages": [
            {
                "id": n.id,
                "kind": n.kind,
                "text": notifications.text(n, locale),
                "status": n.status,
                "at": _iso(n.created_at),
            }
            for n in notifications.inbox(db, pid)
        ],
        "appeals": [
            {"appeal_no": x.appeal_no, "status": x.status, "due": _iso(x.due), "outcome": x.outcome}
            for x in appeals.of_citizen(db, pid)
        ],
    }


@router.get("/audit/verify", response_model=AuditCheck, summary="Recompute the audit log's hash chain")
def audit_verify(db: RequestSession, actor: Reader) -> dict:
    if office(actor) not in ("county", "system", "finance"):
        raise Invalid("actor.role", N_("Not allowed to view the audit"))
    r = audit.verify(db)
    return {"ok": r.ok, "entries": r.entries, "bad_seq": r.bad_seq, "problem": r.problem}
