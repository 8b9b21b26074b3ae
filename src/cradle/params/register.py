"""Registering a policy document on the desk: its title, 发文机关, 文号, dates, status and its text with the
clauses located, so that dated values published on the desk can cite it (a figure-only change needs no release;
docs/packs.md says where the line runs)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.auth.actor import Actor
from cradle.auth.scope import in_scope
from cradle.errors import N_, Conflict, Invalid, OutOfScope
from cradle.params.desk import DECIDING_ROLE, bump
from cradle.params.models import DOCUMENT_STATUSES, Document, DocumentClause, utcnow
from cradle.policy.documents import locate_clauses
from cradle.policy.errors import PackError

WEB_ADDRESS = re.compile(r"https?://[^\s/]+\S*")  # where the document is published: a web page, not a path


def register(
    session: Session,
    actor: Actor,
    *,
    title: str,
    jurisdiction: str,
    text: str,
    clauses: dict[str, dict],
    status: str = "issued",
    issuer: str = "",
    doc_number: str = "",
    issued: dt.date | None = None,
    in_force_from: dt.date | None = None,
    in_force_to: dt.date | None = None,
    source_url: str = "",
) -> Document:
    """A new document of `jurisdiction` (inside the official's scope) with `clauses` ({clause: {starts, ends?}})
    located in `text`; refused naming the field, nothing stored."""
    if actor.role not in DECIDING_ROLE.values() or not in_scope(jurisdiction, actor.region):
        raise OutOfScope(
            "jurisdiction", N_("Documents of %(region)s are not yours to register"), region=jurisdiction
        )
    if not title.strip():
        raise Invalid("title", N_("A document needs its title"))
    if not regions.exists(jurisdiction):
        raise Invalid("jurisdiction", N_("Unknown region code %(region)s"), region=jurisdiction)
    if status not in DOCUMENT_STATUSES:
        raise Invalid("status", N_("Expected one of %(choices)s"), choices=", ".join(DOCUMENT_STATUSES))
    if status == "issued" and issued is None:
        raise Invalid("issued", N_("An issued document needs its date of issue"))
    if not text.strip():
        raise Invalid("text", N_("A document is registered with its text"))
    if not clauses:
        raise Invalid("clauses", N_("Name at least one clause and its opening words"))
    source_url = source_url.strip()
    if source_url and (len(source_url) > 500 or not WEB_ADDRESS.fullmatch(source_url)):
        raise Invalid("source_url", N_("Expected a web address starting with http:// or https://"))
    if in_force_from and in_force_to and in_force_to < in_force_from:
        raise Invalid("in_force_to", N_("%(date)s is before the start"), date=in_force_to.isoformat())
    for clause, anchor in clauses.items():
        try:
            locate_clauses("text", text, {clause: anchor}, "clauses")
        except PackError:
            raise Invalid(
                f"clauses.{clause}", N_("The clause's opening or closing words are not in the text")
            ) from None
    if doc_number and session.scalar(select(Document.id).where(Document.doc_number == doc_number)):
        raise Conflict("doc_number", N_("%(number)s is registered already"), number=doc_number)
    doc = Document(
        key=f"new-{uuid.uuid4().hex[:16]}",  # its number is known once inserted
        title=title.strip(),
        issuer=issuer,
        doc_number=doc_number,
        issued=issued,
        status=status,
        in_force_from=in_force_from,
        in_force_to=in_force_to,
        source_url=source_url,
        jurisdiction=jurisdiction,
        text=text,
        registered_by=actor.ref,
        registered_at=utcnow(),
    )
    session.add(doc)
    session.flush()
    doc.key = f"reg-{doc.id}"
    for clause, anchor in clauses.items():
        session.add(
            DocumentClause(
                document_id=doc.id, clause=clause, starts=anchor["starts"], ends=anchor.get("ends")
            )
        )
    bump(session)
    session.flush()
    audit.record(
        session,
        actor,
        "params.register_document",
        f"document:{doc.key}",
        {"title": doc.title, "doc_number": doc_number, "issued": issued, "clauses": sorted(clauses)},
    )
    return doc
