"""Certificates: the 生育登记 receipt and review decisions as PDF, with a QR code whose link verifies the document
against the database. The signature is HMAC-SHA256 over the document's canonical payload with the key from
configuration (`CRADLE_SECRET_KEY`); `/verify/<doc_no>?s=<signature>` recomputes it and shows the record's state
now (a cancelled registration shows as cancelled)."""

from __future__ import annotations

import hashlib
import hmac
import json
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.config import get_settings
from cradle.errors import N_, Conflict, NotFound
from cradle.idcard import mask
from cradle.services import applications, registration
from cradle.services import validate as v
from cradle.services.models import BirthRegistration, Case, IssuedDocument
from cradle.services.offices import ref


def public_url() -> str:
    return get_settings().public_url.rstrip("/")


def sign(doc_no: str, payload: dict, key: str | None = None) -> str:
    body = json.dumps(
        {"doc_no": doc_no, **payload}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hmac.new((key or get_settings().secret_key).encode(), body.encode(), hashlib.sha256).hexdigest()


def verify_url(doc: IssuedDocument) -> str:
    return f"{public_url()}/verify/{doc.doc_no}?s={doc.signature}"


def _issue(session: Session, actor: Actor, kind: str, subject: str, payload: dict) -> IssuedDocument:
    doc_no = v.reference("ZS")
    doc = IssuedDocument(
        doc_no=doc_no, kind=kind, subject=subject, payload=payload, signature=sign(doc_no, payload)
    )
    session.add(doc)
    session.flush()
    audit.record(session, ref(actor), "document.issue", subject, {"doc_no": doc_no, "kind": kind})
    return doc


def issue_registration(session: Session, actor: Actor, reg_no: str) -> IssuedDocument:
    reg = registration.get(session, actor, reg_no)
    if reg.status != "registered":
        raise Conflict("reg_no", N_("This registration is cancelled: no certificate can be issued"))
    payload = {
        "title": "生育登记凭证",
        "reg_no": reg.reg_no,
        "mother": mask(reg.mother_id_number),
        "mother_name": reg.mother_name,
        "child_order": reg.child_order,
        "expected_birth": reg.expected_birth.isoformat(),
        "hukou_region": reg.hukou_region,
        "residence_region": reg.residence_region,
        "registered_on": reg.created_at.date().isoformat(),
    }
    return _issue(session, actor, "registration", f"registration:{reg.reg_no}", payload)


def issue_decision(session: Session, actor: Actor, case_no: str) -> IssuedDocument:
    case = applications.get(session, actor, case_no)
    if case.status not in ("approved", "rejected"):
        raise Conflict("case_no", N_("The application has not been decided yet"))
    last = applications.steps(session, case)[-1]
    ent = case.eligibility.get("entitlement") or {}
    payload = {
        "title": "审核决定书",
        "case_no": case.case_no,
        "program": case.program,
        "program_title": ent.get("title", case.program),
        "decision": case.status,
        "beneficiary": mask(case.beneficiary_id_number),
        "beneficiary_name": case.beneficiary_name,
        "amount": None if case.amount is None else f"{case.amount:.2f}",
        "unit": case.unit,
        "period_start": case.period_start and case.period_start.isoformat(),
        "period_end": case.period_end and case.period_end.isoformat(),
        "reason": last.reason,
        "decided_by": last.actor,
        "decided_at": last.at.isoformat(timespec="seconds"),
        "explanation": ent.get("explanation"),
        # an entitlement from a draft for comment (征求意见稿) says so on the document itself (issue 20)
        **({"draft": True} if ent.get("draft") else {}),
    }
    return _issue(session, actor, "decision", f"case:{case.case_no}", payload)


def verify(session: Session, doc_no: str, signature: str) -> dict:
    doc = get_document(session, doc_no)
    genuine = hmac.compare_digest(signature or "", doc.signature) and hmac.compare_digest(
        doc.signature, sign(doc.doc_no, doc.payload)
    )
    current = None
    if doc.kind == "registration":
        reg = session.execute(
            select(BirthRegistration).where(BirthRegistration.reg_no == doc.payload["reg_no"])
        ).scalar_one_or_none()
        current = reg.status if reg else "missing"
    else:
        case = session.execute(
            select(Case).where(Case.case_no == doc.payload["case_no"])
        ).scalar_one_or_none()
        current = case.status if case else "missing"
    valid = genuine and current == (
        {"registration": "registered"}.get(doc.kind) or doc.payload.get("decision")
    )
    return {
        "doc_no": doc.doc_no,
        "genuine": genuine,
        "valid": valid,
        "current_status": current,
        "issued_at": doc.issued_at.isoformat(timespec="seconds") if doc.issued_at else None,
        "payload": doc.payload if genuine else None,
    }


def qr_svg(url: str) -> str:
    # deferred: only a document being drawn needs the QR code library
    import segno

    return segno.make(url, error="m").svg_inline(scale=3)


_LABELS = {
    "reg_no": "登记号",
    "mother_name": "母亲姓名",
    "mother": "母亲身份证号",
    "child_order": "孩次",
    "expected_birth": "预产期",
    "hukou_region": "户籍地代码",
    "residence_region": "现居住地代码",
    "registered_on": "登记日期",
    "case_no": "申请编号",
    "program_title": "项目",
    "decision": "决定",
    "beneficiary_name": "受益人",
    "beneficiary": "受益人身份证号",
    "amount": "金额",
    "unit": "单位",
    "period_start": "起始日期",
    "period_end": "截止日期",
    "reason": "理由",
    "decided_by": "决定人",
    "decided_at": "决定时间",
    "explanation": "依据说明",
}


DRAFT_NOTICE = '<p class="draft">【征求意见稿】本决定依据的政策文件为征求意见稿，以正式印发的文件为准。</p>'


def html(doc: IssuedDocument) -> str:
    rows = "".join(
        f"<tr><th>{escape(_LABELS[k])}</th><td>{escape(str(val))}</td></tr>"
        for k, val in doc.payload.items()
        if k in _LABELS and val not in (None, "")
    )
    url = verify_url(doc)
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 11pt; }}
h1 {{ text-align: center; font-size: 20pt; }} table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 6px; text-align: left; }} th {{ width: 28%; background: #f3f3f3; }}
.draft {{ border: 2px solid #b45309; color: #b45309; padding: 6px; font-weight: bold; }}
.qr {{ margin-top: 16px; }} .small {{ font-size: 8pt; color: #555; word-break: break-all; }}
</style></head><body><h1>{escape(doc.payload.get("title", ""))}</h1>
<p>文书编号：{escape(doc.doc_no)}</p>{DRAFT_NOTICE if doc.payload.get("draft") else ""}<table>{rows}</table>
<div class="qr">{qr_svg(url)}<p class="small">扫码核验：{escape(url)}</p>
<p class="small">签名（HMAC-SHA256）：{escape(doc.signature)}</p></div></body></html>"""


def pdf(doc: IssuedDocument) -> bytes:
    # deferred: WeasyPrint and its fonts take seconds to load; only a PDF needs them
    from weasyprint import HTML

    return HTML(string=html(doc)).write_pdf()


def get_document(session: Session, doc_no: str) -> IssuedDocument:
    doc = session.execute(select(IssuedDocument).where(IssuedDocument.doc_no == doc_no)).scalar_one_or_none()
    if doc is None:
        raise NotFound("doc_no", N_("No such document"))
    return doc
