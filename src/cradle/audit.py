"""The shared audit log: append-only and hash-chained.

Every domain records its changes with `record(session, actor, action, subject, detail, on_behalf_of=None)` inside
the transaction that makes the change, so the entry and the change commit (or roll back) together.

The log is 64 hash chains; a subject's entries all go to chain `crc32(subject) % 64`, so each subject's history
is one unbroken chain and writers about different subjects rarely wait for each other (one chain for everything
made every write in the system queue behind one lock until its transaction committed). Each chain has a head row
(`audit_chain`: its last `chain_seq`, the last entry's global `seq` and hash) that a writer locks
(`SELECT … FOR UPDATE`) only for the rest of its transaction, so record an entry as late as the change allows.
An entry's `hash` is SHA-256 over the previous entry's hash in its chain and the entry's canonical JSON (which
names the chain and the position); `verify()` recomputes every chain and compares its end with the head row, so
an edited, deleted, reordered or cut-off entry is found. The database refuses UPDATE and DELETE on the log
(triggers in migration 0004_services). Entries written before migration 0007 stay in their single legacy chain
(`chain` NULL), verified as before.

Each chain records its hash algorithm (`audit_chain.algorithm`): SHA-256, or SM3 for deployments that require the
national algorithms (`CRADLE_CRYPTO=sm`). A chain takes the configured algorithm with its first entry and keeps
it, so switching the setting never breaks a chain, and `verify()` checks each chain with its own algorithm.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Integer,
    String,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import audit_hash_name

GENESIS = "0" * 64
CHAINS = 64


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
    chain: Mapped[int | None] = mapped_column(Integer)
    chain_seq: Mapped[int | None] = mapped_column(Integer)


class AuditChain(Base):
    """The head of one chain: how many entries it has, the last one's global seq and hash."""

    __tablename__ = "audit_chain"

    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last: Mapped[int | None] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    algorithm: Mapped[str] = mapped_column(String(8), default="sha256")  # sha256 | sm3


def _who(value) -> str | None:
    if value is None:
        return None
    return getattr(value, "ref", None) or str(value)


def chain_of(subject: str) -> int:
    return zlib.crc32(subject.encode()) % CHAINS


def _canonical(
    seq: int,
    at: dt.datetime,
    actor: str,
    on_behalf_of: str | None,
    action: str,
    subject: str,
    detail: dict,
    chain: int | None = None,
    chain_seq: int | None = None,
) -> bytes:
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "on_behalf_of": on_behalf_of,
        "action": action,
        "subject": subject,
        "detail": detail,
    }
    if chain is not None:
        body.update(chain=chain, chain_seq=chain_seq)
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


HASHES = ("sha256", "sm3")


def _digest(algorithm: str, data: bytes) -> str:
    if algorithm not in HASHES:
        raise ValueError(f"audit chain algorithm {algorithm!r} is not one of {', '.join(HASHES)}")
    if algorithm in hashlib.algorithms_available:
        return hashlib.new(algorithm, data).hexdigest()
    from cryptography.hazmat.primitives import hashes  # OpenSSL builds whose hashlib does not list SM3

    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def entry_hash(
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    actor: str,
    on_behalf_of: str | None,
    action: str,
    subject: str,
    detail: dict,
    chain: int | None = None,
    chain_seq: int | None = None,
    algorithm: str = "sha256",
) -> str:
    return _digest(
        algorithm,
        prev_hash.encode()
        + _canonical(seq, at, actor, on_behalf_of, action, subject, detail, chain, chain_seq),
    )


def record(
    session: Session,
    actor,
    action: str,
    subject: str,
    detail: dict | None = None,
    on_behalf_of=None,
    head: tuple[int, str, int, str] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction. `actor`/`on_behalf_of` are strings or objects with `.ref`.
    `head` (PostgreSQL): the subject's chain head as `head_pg()` read and locked it in one of the caller's own
    statements of this transaction (a round trip less on the busiest write)."""
    if not action:
        raise ValueError("action: required")
    if not subject:
        raise ValueError("subject: required")
    detail = _stored_form(detail)
    chain = chain_of(subject)
    at = _now()
    who, behalf = _who(actor), _who(on_behalf_of)
    if head is not None:
        chain_seq, prev, seq, algorithm = head
    elif session.get_bind().dialect.name == "postgresql":
        # One round trip: the chain's head, locked until commit, and the next global number.
        chain_seq, prev, seq, algorithm = session.execute(_HEAD_PG, {"c": chain}).one()
    else:  # SQLite serialises writers itself
        chain_seq, prev, algorithm = session.execute(_HEAD, {"c": chain}).one()
        seq = (session.execute(select(func.max(AuditEntry.seq))).scalar() or 0) + 1
    if chain_seq == 0:  # an empty chain takes the configured algorithm and keeps it
        algorithm = audit_hash_name()
    chain_seq += 1
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=who,
        on_behalf_of=behalf,
        action=action,
        subject=subject,
        detail=detail,
        prev_hash=prev,
        chain=chain,
        chain_seq=chain_seq,
        hash=entry_hash(prev, seq, at, who, behalf, action, subject, detail, chain, chain_seq, algorithm),
    )
    row = {k: getattr(entry, k) for k in _COLUMNS}
    if session.get_bind().dialect.name == "postgresql":  # the entry and the new head in one statement
        session.execute(
            _APPEND_PG, {**row, "detail": json.dumps(detail, ensure_ascii=False), "alg": algorithm}
        )
    else:
        session.execute(AuditEntry.__table__.insert().values(**row))
        session.execute(
            _MOVE_HEAD, {"n": chain_seq, "last": seq, "h": entry.hash, "c": chain, "alg": algorithm}
        )
    return entry


_COLUMNS = (
    "seq",
    "at",
    "actor",
    "on_behalf_of",
    "action",
    "subject",
    "detail",
    "prev_hash",
    "hash",
    "chain",
    "chain_seq",
)
_HEAD = text("SELECT seq, hash, algorithm FROM audit_chain WHERE chain = :c")
_HEAD_PG = text(
    "SELECT seq, hash, nextval('audit_log_seq_global'), algorithm FROM audit_chain WHERE chain = :c "
    "FOR UPDATE"
)


def _stored_form(detail: dict | None) -> dict:
    return json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))  # what is stored is hashed


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# Stand-ins for the entry's global number and its place in its chain, which only the database knows when the
# statement runs: the canonical form is made with them and cut around them (see `append_pg`).
_SEQ_MARK, _CHAIN_SEQ_MARK = "-7351902468135792", "-7351902468135793"


def append_params(
    actor, action: str, subject: str, detail: dict | None = None, on_behalf_of=None
) -> dict | None:
    """The parameters (`audit_*`) of `append_pg`'s entry: everything of it but what its chain's head gives (the
    previous hash, the place in the chain, the global number). None when its canonical form cannot be cut
    around those (a detail holding the stand-ins' digits): then `record` writes it."""
    if not action or not subject:
        raise ValueError("action and subject: required")
    detail = _stored_form(detail)
    chain, at, who, behalf = chain_of(subject), _now(), _who(actor), _who(on_behalf_of)
    text = _canonical(
        int(_SEQ_MARK), at, who, behalf, action, subject, detail, chain, int(_CHAIN_SEQ_MARK)
    ).decode()
    if text.count(_SEQ_MARK) != 1 or text.count(_CHAIN_SEQ_MARK) != 1:
        return None
    a1, rest = text.split(_CHAIN_SEQ_MARK)
    a2, a3 = rest.split(_SEQ_MARK)
    return {
        "audit_chain": chain,
        "audit_a1": a1,
        "audit_a2": a2,
        "audit_a3": a3,
        "audit_at": at,
        "audit_actor": who,
        "audit_on_behalf_of": behalf,
        "audit_action": action,
        "audit_subject": subject,
        "audit_detail": detail,
        "audit_alg": audit_hash_name(),
        "audit_write": True,
    }


def append_pg(head) -> tuple:
    """PostgreSQL: CTEs appending one entry (`append_params`) to the chain whose head `head` (a CTE of
    `head_pg()`) read and locked, and moving the head, in the caller's statement: its hash is SHA-256 over the
    same bytes `entry_hash` hashes, computed by the database (`sha256`, PostgreSQL 11+) from the head's hash and
    the canonical form cut around the place and number the head gives. Only a SHA-256 chain is appended to (an
    SM3 chain's entry is left to `record`, with the head read). Returns (the entry's CTE, the moved head's CTE:
    one row when the entry was written)."""
    t, c = AuditEntry.__table__, AuditChain.__table__
    p = lambda name, type_=String: bindparam(f"audit_{name}", type_=type_)  # noqa: E731
    canonical = p("a1") + cast(head.c.seq + 1, String) + p("a2") + cast(head.c.next_seq, String) + p("a3")
    digest = func.encode(func.sha256(func.convert_to(head.c.hash + canonical, "UTF8")), "hex")
    sha256 = case((head.c.seq == 0, p("alg")), else_=head.c.algorithm) == "sha256"
    entry = (
        insert(t)
        .from_select(
            list(_COLUMNS),
            select(
                head.c.next_seq,
                p("at", DateTime),
                p("actor"),
                p("on_behalf_of"),
                p("action"),
                p("subject"),
                p("detail", JSON),
                head.c.hash,
                digest,
                bindparam("audit_chain", type_=Integer),
                head.c.seq + 1,
            ).where(p("write", Boolean), sha256),
        )
        .returning(t.c.seq, t.c.hash, t.c.chain, t.c.chain_seq)
        .cte("audit_entry")
    )
    moved = (
        update(c)
        .values(seq=entry.c.chain_seq, last=entry.c.seq, hash=entry.c.hash, algorithm="sha256")
        .where(c.c.chain == entry.c.chain)
        .returning(c.c.chain)
        .cte("audit_head_moved")
    )
    return entry, moved


def head_pg(when=None):
    """PostgreSQL: a select of the head of chain `:audit_chain` locked until commit, and the next global number,
    as `record(head=...)` takes them; with `when` (a condition) only if it holds, else no row and no lock."""
    c = AuditChain.__table__.c
    q = select(
        c.seq, c.hash, literal_column("nextval('audit_log_seq_global')").label("next_seq"), c.algorithm
    ).where(c.chain == bindparam("audit_chain", type_=Integer))
    return (q if when is None else q.where(when)).with_for_update()


_MOVE_HEAD = text(
    "UPDATE audit_chain SET seq = :n, last = :last, hash = :h, algorithm = :alg WHERE chain = :c"
)
_APPEND_PG = text("""WITH entry AS (
    INSERT INTO audit_log (seq, at, actor, on_behalf_of, action, subject, detail, prev_hash, hash, chain, chain_seq)
    VALUES (:seq, :at, :actor, :on_behalf_of, :action, :subject, CAST(:detail AS json), :prev_hash, :hash, :chain,
            :chain_seq) RETURNING seq, hash, chain, chain_seq)
UPDATE audit_chain h SET seq = entry.chain_seq, last = entry.seq, hash = entry.hash, algorithm = :alg FROM entry
WHERE h.chain = entry.chain""")


@dataclass
class Verification:
    ok: bool
    entries: int
    bad_seq: int | None = None
    problem: str | None = None


def _hash_of(e: AuditEntry, prev: str, algorithm: str = "sha256") -> str:
    return entry_hash(
        prev,
        e.seq,
        e.at,
        e.actor,
        e.on_behalf_of,
        e.action,
        e.subject,
        e.detail,
        e.chain,
        e.chain_seq,
        algorithm,
    )


def _verify_legacy(session: Session, batch: int) -> Verification:
    prev, expected, count, last = GENESIS, 1, 0, 0
    while True:
        rows = (
            session.execute(
                select(AuditEntry)
                .where(AuditEntry.chain.is_(None), AuditEntry.seq > last)
                .order_by(AuditEntry.seq)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            return Verification(True, count)
        for e in rows:
            if e.seq != expected:
                return Verification(False, count, expected, f"entry {expected} is missing")
            if e.prev_hash != prev:
                return Verification(False, count, e.seq, "prev_hash does not match the previous entry")
            if _hash_of(e, prev) != e.hash:
                return Verification(False, count, e.seq, "entry was altered (hash mismatch)")
            prev, expected, count, last = e.hash, expected + 1, count + 1, e.seq


def verify(session: Session, batch: int = 5000) -> Verification:
    """Recompute every chain and compare its end with its head; the first broken entry is reported."""
    legacy = _verify_legacy(session, batch)
    if not legacy.ok:
        return legacy
    count = legacy.entries
    heads = {h.chain: h for h in session.execute(select(AuditChain)).scalars()}
    for chain in sorted(heads):
        head = heads[chain]
        if head.algorithm not in HASHES:
            return Verification(
                False, count, head.last, f"chain {chain} names no known algorithm ({head.algorithm})"
            )
        prev, expected, last = GENESIS, 1, 0
        while True:
            rows = (
                session.execute(
                    select(AuditEntry)
                    .where(AuditEntry.chain == chain, AuditEntry.chain_seq > last)
                    .order_by(AuditEntry.chain_seq)
                    .limit(batch)
                )
                .scalars()
                .all()
            )
            if not rows:
                break
            for e in rows:
                if e.chain_seq != expected:
                    return Verification(False, count, e.seq, f"entry {expected} of chain {chain} is missing")
                if e.prev_hash != prev:
                    return Verification(False, count, e.seq, "prev_hash does not match the previous entry")
                if _hash_of(e, prev, head.algorithm) != e.hash:
                    return Verification(False, count, e.seq, "entry was altered (hash mismatch)")
                prev, expected, count, last = e.hash, expected + 1, count + 1, e.chain_seq
        if expected - 1 != head.seq or prev != head.hash:
            if expected - 1 < head.seq:
                return Verification(
                    False, count, head.last, f"entries {expected}–{head.seq} of chain {chain} are missing"
                )
            return Verification(
                False, count, head.last, f"the head of chain {chain} does not match its last entry"
            )
    stray = session.execute(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.chain.is_not(None), AuditEntry.chain.not_in(list(heads) or [-1]))
    ).scalar()
    if stray:
        return Verification(False, count, None, f"{stray} entries belong to no known chain")
    return Verification(True, count)


def history(session: Session, subject: str) -> list[AuditEntry]:
    """A subject's entries in the order they were chained (its legacy entries first)."""
    return list(
        session.execute(
            select(AuditEntry)
            .where(AuditEntry.subject == subject)
            .order_by(AuditEntry.chain_seq.is_not(None), AuditEntry.chain_seq, AuditEntry.seq)
        ).scalars()
    )
