"""JSON API of the services and payments: /api/v1/services/... Every action takes an `Idempotency-Key` header;
a replay returns the stored response. The actor is the signed-in account only (session cookie with its CSRF token,
or a bearer API token, through cradle.auth); there is no other way to name an identity."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
from fastapi import APIRouter, Body, Depends, File, Header, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle import audit
from cradle.db import session_scope
from cradle.idcard import mask
from cradle.payments import bankfile, batches, entitlements
from cradle.services import (
    appeals,
    applications,
    bundle,
    certificates,
    idempotency,
    notifications,
    proxy,
    registration,
    reminders,
)
from cradle.services.actors import Actor
from cradle.services.errors import Invalid, ServiceError
from cradle.web.errors import refuse

router = APIRouter(prefix="/api/v1/services", tags=["services"])


def _url(request: Request) -> str | None:
    return getattr(request.app.state, "database_url", None)


async def api_actor(request: Request):
    """The caller as a services Actor: the signed-in account (session or bearer token, through cradle.auth).
    Anonymous callers are refused here (401 in the app's error shape). Async because it
    only reads what the auth middleware found: a sync dependency would cost a thread hop per request. A bearer
    token the middleware left unchecked (`CHECKED_BY_ENDPOINT`) is checked by `_actor`, in the endpoint's own
    worker thread."""
    if getattr(request.state, "bearer", None) and not request.state.actor.authenticated:
        request.state.service_actor = None
        return None
    return _service_actor(request)


def _service_actor(request: Request):
    from cradle.auth.deps import service_actor

    actor = service_actor()(request)
    request.state.service_actor = actor
    return actor


ApiActor = Annotated[Actor, Depends(api_actor)]


def _actor(request: Request, session: Session):
    """The caller (see `api_actor`). A bearer token left for the endpoint is checked here, in `session`'s
    transaction (no connection of its own), and refused with 401."""
    actor = request.state.service_actor
    if actor is None:
        from cradle.auth import tokens
        from cradle.auth.actor import ANONYMOUS

        found = tokens.check(session.connection(), request.state.bearer)
        request.state.actor, request.state.token_id = (found[1], found[0]) if found else (ANONYMOUS, None)
        actor = _service_actor(request)
    return actor


def _errors(exc: ServiceError) -> NoReturn:
    refuse(exc.status, [exc.as_dict()])


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
        "status_text": applications.STATUS_TEXT[c.status],
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


def _act(request: Request, key: str | None, payload, fn, look_first: bool = True) -> Response:
    try:
        status, body, replayed = idempotency.run(
            _url(request),
            lambda s: _actor(request, s),
            key,
            payload,
            lambda s: fn(s, _actor(request, s)),
            look_first,
        )
    except ServiceError as exc:
        return _errors(exc)
    # orjson: the actions' answers (a case with its explanation) are the API's busiest JSON
    return Response(
        orjson.dumps(body, default=str, option=orjson.OPT_NON_STR_KEYS),
        status_code=status,
        media_type="application/json",
        headers={"Idempotent-Replayed": str(replayed).lower()},
    )


def _read(request: Request, fn) -> Any:
    try:
        with session_scope(_url(request)) as s:
            return fn(s, _actor(request, s))
    except ServiceError as exc:
        return _errors(exc)


IdemKey = Header(None, alias="Idempotency-Key")


@router.post("/registrations", status_code=201, summary="生育登记 (registered at once, no approval)")
def post_registration(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    return _act(request, key, body, lambda s, a: (201, registration_json(registration.register(s, a, body))))


@router.get("/registrations/{reg_no}")
def get_registration(request: Request, _caller: ApiActor, reg_no: str):
    return _read(request, lambda s, a: registration_json(registration.get(s, a, reg_no)))


@router.post("/registrations/{reg_no}/certificate", summary="Issue the 生育登记 receipt (PDF with QR)")
def post_certificate(request: Request, _caller: ApiActor, reg_no: str, key: str | None = IdemKey):
    return _act(
        request,
        key,
        {"reg_no": reg_no},
        lambda s, a: (201, _doc_json(certificates.issue_registration(s, a, reg_no))),
    )


def _doc_json(doc) -> dict:
    return {
        "doc_no": doc.doc_no,
        "kind": doc.kind,
        "verify_url": certificates.verify_url(doc),
        "pdf": f"/api/v1/services/documents/{doc.doc_no}.pdf",
    }


@router.get("/documents/{doc_no}.pdf")
def get_pdf(request: Request, _caller: ApiActor, doc_no: str):
    def fn(s, a):
        doc = certificates.get_document(s, doc_no)
        subject = doc.subject.split(":", 1)[1]
        if doc.kind == "registration":
            registration.get(s, a, subject)
        else:
            applications.get(s, a, subject)
        return Response(
            certificates.pdf(doc),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{doc_no}.pdf"'},
        )

    return _read(request, fn)


@router.get("/verify/{doc_no}", summary="Verify a certificate's QR signature against the database")
def verify(request: Request, doc_no: str, s: str = ""):
    try:
        with session_scope(_url(request)) as session:
            return certificates.verify(session, doc_no, s)
    except ServiceError as exc:
        return _errors(exc)


@router.post("/cases", status_code=201, summary="Apply for a program (checked by the rules engine)")
def post_case(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    # An application writes only rows: its replay needs no look-up first (see idempotency.run)
    return _act(
        request, key, body, lambda s, a: (201, case_json(applications.submit(s, a, body))), look_first=False
    )


@router.get("/cases/{case_no}")
def get_case(request: Request, _caller: ApiActor, case_no: str):
    def fn(s, a):
        c = applications.get(s, a, case_no)
        return case_json(c, applications.steps(s, c))

    return _read(request, fn)


@router.post("/cases/{case_no}/actions/{action}", summary="A review action (town_accept, county_approve, …)")
def post_action(
    request: Request,
    _caller: ApiActor,
    case_no: str,
    action: str,
    body: dict = Body(default={}),
    key: str | None = IdemKey,
):
    def fn(s, a):
        c = applications.act(
            s,
            a,
            case_no,
            action,
            reason=body.get("reason"),
            expected_version=body.get("version"),
            changes=body.get("changes"),
        )
        return 200, case_json(c)

    return _act(request, key, {"case": case_no, "action": action, **body}, fn)


@router.post("/cases/{case_no}/attachments", status_code=201)
async def post_attachment(
    request: Request, _caller: ApiActor, case_no: str, file: UploadFile = File(...), key: str | None = IdemKey
):
    data = await file.read()
    payload = {"case": case_no, "name": file.filename, "sha": idempotency.request_hash(data.hex())}

    def fn(s, a):
        row = applications.add_attachment(s, a, case_no, file.filename or "", file.content_type or "", data)
        return 201, {"id": row.id, "name": row.name, "sha256": row.sha256, "size": row.size}

    return _act(request, key, payload, fn)


@router.post(
    "/cases/{case_no}/decision", status_code=201, summary="Issue the decision document (PDF with QR)"
)
def post_decision(request: Request, _caller: ApiActor, case_no: str, key: str | None = IdemKey):
    return _act(
        request,
        key,
        {"case": case_no},
        lambda s, a: (201, _doc_json(certificates.issue_decision(s, a, case_no))),
    )


@router.get("/queue", summary="An official's work list (their county or town)")
def get_queue(request: Request, _caller: ApiActor, status: str | None = None, overdue: bool = False):
    return _read(request, lambda s, a: [case_json(c) for c in applications.queue(s, a, status, overdue)])


@router.post("/bundles", status_code=201, summary="出生一件事")
def post_bundle(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    def fn(s, a):
        b = bundle.apply(s, a, body)
        return 201, bundle.timeline(s, a, b.bundle_no) if a.role == "citizen" else {"bundle_no": b.bundle_no}

    return _act(request, key, body, fn)


@router.get("/bundles/{bundle_no}")
def get_bundle(request: Request, _caller: ApiActor, bundle_no: str):
    return _read(request, lambda s, a: bundle.timeline(s, a, bundle_no))


@router.get("/tasks", summary="A department's queue of 出生一件事 tasks")
def get_tasks(request: Request, _caller: ApiActor, status: str | None = None):
    return _read(
        request,
        lambda s, a: [{**t, "deadline": _iso(t["deadline"])} for t in bundle.dept_queue(s, a, status)],
    )


@router.post("/tasks/{task_id}/{action}")
def post_task(
    request: Request,
    _caller: ApiActor,
    task_id: int,
    action: str,
    body: dict = Body(default={}),
    key: str | None = IdemKey,
):
    def fn(s, a):
        t = bundle.move(s, a, task_id, action, reason=body.get("reason"), result=body.get("result"))
        return 200, {"task_id": t.id, "status": t.status, "reason": t.reason}

    return _act(request, key, {"task": task_id, "action": action, **body}, fn)


@router.post("/consents", status_code=201, summary="亲情代办: record consent for a family member")
def post_consent(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    def fn(s, a):
        c = proxy.grant(s, a, body)
        return 201, {
            "id": c.id,
            "proxy": mask(c.proxy_id_number),
            "scope": c.scope,
            "valid_until": _iso(c.valid_until),
        }

    return _act(request, key, body, fn)


@router.delete("/consents/{consent_id}")
def delete_consent(request: Request, _caller: ApiActor, consent_id: int, key: str | None = IdemKey):
    return _act(
        request,
        key,
        {"revoke": consent_id},
        lambda s, a: (200, {"id": proxy.revoke(s, a, consent_id).id, "revoked": True}),
    )


@router.post("/appeals", status_code=201, summary="投诉与申诉")
def post_appeal(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    def fn(s, a):
        ap = appeals.file(
            s,
            a,
            str(body.get("case_no") or ""),
            str(body.get("kind") or ""),
            str(body.get("grounds") or ""),
            body.get("period"),
        )
        return 201, {"appeal_no": ap.appeal_no, "level": ap.level, "due": _iso(ap.due), "status": ap.status}

    return _act(request, key, body, fn)


@router.post("/appeals/{appeal_no}/decision")
def post_appeal_decision(
    request: Request, _caller: ApiActor, appeal_no: str, body: dict = Body(...), key: str | None = IdemKey
):
    def fn(s, a):
        ap = appeals.decide(s, a, appeal_no, bool(body.get("upheld")), str(body.get("outcome") or ""))
        return 200, {"appeal_no": ap.appeal_no, "status": ap.status, "outcome": ap.outcome}

    return _act(request, key, {"appeal": appeal_no, **body}, fn)


@router.get("/me", summary="A citizen's page: registrations, bundles, cases, payments, deadlines, messages")
def me(request: Request, _caller: ApiActor):
    def fn(s, a):
        if a.role != "citizen":
            raise Invalid("actor.role", "仅限群众本人")
        pid = a.id_number
        return {
            "registrations": [registration_json(r) for r in registration.of_person(s, pid)],
            "bundles": [bundle.timeline(s, a, b.bundle_no) for b in bundle.of_person(s, pid)],
            "cases": [case_json(c) for c in applications.of_citizen(s, pid)],
            "payments": [
                {"program": p.program, "period": p.period, "amount": f"{p.amount:.2f}", "status": p.status}
                for p in entitlements.payments_of(s, pid)
            ],
            "deadlines": [{**d, "due": _iso(d["due"])} for d in reminders.deadlines(s, pid)],
            "messages": [
                {"id": n.id, "kind": n.kind, "text": n.text, "status": n.status, "at": _iso(n.created_at)}
                for n in notifications.inbox(s, pid)
            ],
            "appeals": [
                {"appeal_no": x.appeal_no, "status": x.status, "due": _iso(x.due), "outcome": x.outcome}
                for x in appeals.of_citizen(s, pid)
            ],
        }

    return _read(request, fn)


@router.post(
    "/payments/batches", status_code=201, summary="Generate a payment batch (program, period, county)"
)
def post_batch(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    def fn(s, a):
        b = batches.generate(
            s, a, str(body.get("program") or ""), str(body.get("period") or ""), str(body.get("county") or "")
        )
        return 201, batches.summary(s, b)

    return _act(request, key, body, fn)


@router.post("/payments/batches/{batch_no}/export", summary="The bank file (CSV, docs/payments.md)")
def post_export(request: Request, _caller: ApiActor, batch_no: str, encoding: str = "utf-8-sig"):
    def fn(s, a):
        fd, path = tempfile.mkstemp(suffix=".csv")
        os.close(fd)
        try:
            bankfile.export(s, a, batch_no, path, encoding=encoding)
            content = Path(path).read_bytes()
        finally:
            if os.path.exists(path):
                os.unlink(path)
        return Response(
            content,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{batch_no}.csv"'},
        )

    return _read(request, fn)


@router.post("/payments/batches/{batch_no}/return", summary="Import the bank's return file")
async def post_return(request: Request, _caller: ApiActor, batch_no: str, file: UploadFile = File(...)):
    content = await file.read()
    return _read(request, lambda s, a: bankfile.import_return(s, a, batch_no, content))


@router.get("/payments/batches/{batch_no}")
def get_batch(request: Request, _caller: ApiActor, batch_no: str):
    return _read(request, lambda s, a: batches.summary(s, batches.get_batch(s, a, batch_no)))


@router.get("/audit/verify", summary="Recompute the audit log's hash chain")
def audit_verify(request: Request, _caller: ApiActor):
    def fn(s, a):
        if a.role not in ("county", "system", "finance"):
            raise Invalid("actor.role", "无权查看审计")
        r = audit.verify(s)
        return {"ok": r.ok, "entries": r.entries, "bad_seq": r.bad_seq, "problem": r.problem}

    return _read(request, fn)


# --- attachments, appeals and consents: read side (the pages call the same functions) ---------------------------
@router.get("/cases/{case_no}/attachments", summary="An application's attachments (owner and its reviewers)")
def get_attachments(request: Request, _caller: ApiActor, case_no: str):
    from cradle.services import files

    def fn(s, a):
        _, rows = files.listing(s, a, case_no)
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

    return _read(request, fn)


@router.get("/cases/{case_no}/attachments/{attachment_id}", summary="Download one attachment (audited)")
def get_attachment(request: Request, _caller: ApiActor, case_no: str, attachment_id: int):
    from urllib.parse import quote

    from cradle.services import files

    def fn(s, a):
        row = files.fetch(s, a, case_no, attachment_id)
        return Response(
            row.data,
            media_type=row.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.name)}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return _read(request, fn)


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


@router.get("/appeals", summary="Open appeals to answer (town/county official) or a citizen's own appeals")
def get_appeals(request: Request, _caller: ApiActor):
    def fn(s, a):
        rows = appeals.of_citizen(s, a.id_number) if a.role == "citizen" else appeals.queue(s, a)
        return [_appeal_json(x) for x in rows]

    return _read(request, fn)


@router.get("/consents", summary="亲情代办: consent a citizen has given and holds")
def get_consents(request: Request, _caller: ApiActor):
    def fn(s, a):
        if a.role != "citizen":
            raise Invalid("actor.role", "仅限群众本人")
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
                "mine": c.grantor_id_number == a.id_number,
            }
            for c in proxy.consents_of(s, a.id_number)
        ]

    return _read(request, fn)


@router.post(
    "/payments/stops", summary="Stop a beneficiary's payments on death or moving away (county/finance)"
)
def post_stop(request: Request, _caller: ApiActor, body: dict = Body(...), key: str | None = IdemKey):
    from cradle.payments import stops

    def fn(s, a):
        rows = stops.stop_for(s, a, body)
        return 200, [
            {
                "entitlement": e.id,
                "program": e.program,
                "beneficiary": mask(e.beneficiary_id_number),
                "status": e.status,
                "stop_reason": e.stop_reason,
                "stop_date": _iso(e.stop_date),
            }
            for e in rows
        ]

    return _act(request, key, body, fn)
