"""The shared audit log: append-only and hash-chained.

Every domain records its changes with `record(session, actor, action, subject, detail, on_behalf_of=None)` inside
the transaction that makes the change, so the entry and the change commit (or roll back) together. Each entry's
`hash` is SHA-256 over the previous entry's hash and the entry's own canonical JSON; `verify()` recomputes the
chain, so an edited, deleted or reordered row is found. The database refuses UPDATE and DELETE on the table
(triggers in migration 0004_services), and entries are serialised by a PostgreSQL advisory lock (SQLite
serialises writers itself) with a unique `seq` as the last guard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import JSON, DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from cradle.db import Base

GENESIS = "0" * 64
_LOCK_KEY = 727_001  # pg_advisory_xact_lock key for the chain head


class AuditEntry(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(120))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(120), index=True)
    detail: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def _who(value) -> str | None:
    if value is None:
        return None
    return getattr(value, "ref", None) or str(value)


def _canonical(seq: int, at: dt.datetime, actor: str, on_behalf_of: str | None, action: str, subject: str,
               detail: dict) -> bytes:
    body = {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor, "on_behalf_of": on_behalf_of,
            "action": action, "subject": subject, "detail": detail}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, seq: int, at: dt.datetime, actor: str, on_behalf_of: str | None, action: str,
               subject: str, detail: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(seq, at, actor, on_behalf_of, action, subject,
                                                          detail)).hexdigest()


def record(session: Session, actor, action: str, subject: str, detail: dict | None = None,
           on_behalf_of=None) -> AuditEntry:
    """Append one entry in the caller's transaction. `actor`/`on_behalf_of` are strings or objects with `.ref`."""
    if not action:
        raise ValueError("action: required")
    if not subject:
        raise ValueError("subject: required")
    detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))  # what is stored is hashed
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(_pg_lock()))
    head = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    who, behalf = _who(actor), _who(on_behalf_of)
    entry = AuditEntry(seq=seq, at=at, actor=who, on_behalf_of=behalf, action=action, subject=subject, detail=detail,
                       prev_hash=prev, hash=entry_hash(prev, seq, at, who, behalf, action, subject, detail))
    session.add(entry)
    session.flush()
    return entry


def _pg_lock():
    from sqlalchemy import func

    return func.pg_advisory_xact_lock(_LOCK_KEY)


@dataclass
class Verification:
    ok: bool
    entries: int
    bad_seq: int | None = None
    problem: str | None = None


def verify(session: Session, batch: int = 5000) -> Verification:
    """Recompute the whole chain; the first broken entry is reported."""
    prev, expected, count = GENESIS, 1, 0
    last = 0
    while True:
        rows = session.execute(select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq)
                               .limit(batch)).scalars().all()
        if not rows:
            return Verification(True, count)
        for e in rows:
            if e.seq != expected:
                return Verification(False, count, expected, f"entry {expected} is missing")
            if e.prev_hash != prev:
                return Verification(False, count, e.seq, "prev_hash does not match the previous entry")
            if entry_hash(prev, e.seq, e.at, e.actor, e.on_behalf_of, e.action, e.subject, e.detail) != e.hash:
                return Verification(False, count, e.seq, "entry was altered (hash mismatch)")
            prev, expected, count, last = e.hash, expected + 1, count + 1, e.seq


def history(session: Session, subject: str) -> list[AuditEntry]:
    return list(session.execute(select(AuditEntry).where(AuditEntry.subject == subject)
                                .order_by(AuditEntry.seq)).scalars())
