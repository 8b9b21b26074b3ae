"""What the engine reads of the desk (`cradle.policy.published`): the version row, and everything published,
registered and located, built into the engine's own types. A database without the desk's tables (never created,
or not migrated yet) has published nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from cradle.db import get_engine
from cradle.errors import N_, Unavailable
from cradle.params.models import Document, DocumentClause, PublishedValue, Version
from cradle.policy.documents import DocumentInfo, locate_clauses
from cradle.policy.parameters import Publication, Published, Snapshot, Value

_VERSION = select(Version.version).where(Version.id == 1)


def _absent(exc: DBAPIError) -> bool:
    """The desk's tables are not there (SQLite's message; PostgreSQL's undefined_table)."""
    orig = getattr(exc, "orig", None)
    return "no such table" in str(orig) or getattr(orig, "sqlstate", None) == "42P01"


def _no_database(url: str) -> bool:
    """A SQLite file that does not exist: nothing to read, and none to create by asking."""
    u = make_url(url)
    return u.get_backend_name() == "sqlite" and bool(u.database) and not Path(u.database).exists()


def version(url: str) -> int | None:
    """The desk's version (bumped by each publication and registration); None when there is no desk."""
    if _no_database(url):
        return None
    try:
        with get_engine(url).connect() as conn:
            return conn.execute(_VERSION).scalar() or 0
    except (OperationalError, ProgrammingError) as exc:
        if _absent(exc):
            return None
        raise Unavailable("database", N_("The published parameter values cannot be read now.")) from exc


def parse_value(text: str) -> float | dt.date:
    """A stored value: a date "YYYY-MM-DD" or a number."""
    return dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else float(text)


def document_info(d: Document) -> DocumentInfo:
    status = f"issued {d.issued.isoformat()}" if d.status == "issued" and d.issued else d.status
    return DocumentInfo(
        key=d.key,
        title=d.title,
        status=status,
        jurisdiction=d.jurisdiction,
        issuer=d.issuer,
        doc_number=d.doc_number,
        issued=d.issued,
        in_force_from=d.in_force_from,
        in_force_to=d.in_force_to,
        source_url=d.source_url,
        registered=True,
    )


def load(url: str) -> Snapshot:
    """Everything the desk holds, read in one transaction so that it matches its version."""
    try:
        with get_engine(url).connect() as conn, conn.begin():
            return _read(conn)
    except (OperationalError, ProgrammingError) as exc:
        if _absent(exc):
            return Snapshot(None)
        raise Unavailable("database", N_("The published parameter values cannot be read now.")) from exc


def _read(conn) -> Snapshot:
    current = conn.execute(_VERSION).scalar() or 0
    docs = list(conn.execute(select(Document.__table__)).all())
    spec: dict[int, dict] = {}
    for c in conn.execute(select(DocumentClause.__table__).order_by(DocumentClause.id)).all():
        spec.setdefault(c.document_id, {})[c.clause] = {
            "starts": c.starts,
            **({"ends": c.ends} if c.ends else {}),
        }
    clauses = {}
    for d in docs:
        if d.text and d.id in spec:
            for found in locate_clauses(d.key, d.text, spec[d.id], d.key).values():
                clauses[(d.key, found.clause)] = found
    values = tuple(
        Published(
            parameter=row.parameter,
            region=row.region or None,
            value=Value(
                start=row.effective_from,
                value=parse_value(row.value),
                document=row.document_key,
                clause=row.clause,
                verified=True,  # it rests on a registered text whose clause was located
                note=row.note,
                published=Publication(
                    proposal=row.proposal_id,
                    office=row.office,
                    published_at=row.published_at,
                    doc_number=row.doc_number,
                    end=row.effective_to,
                ),
            ),
        )
        for row in conn.execute(select(PublishedValue.__table__).order_by(PublishedValue.id)).all()
    )
    return Snapshot(current, values, {d.key: document_info(d) for d in docs}, clauses)
