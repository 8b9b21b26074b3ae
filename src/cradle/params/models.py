"""Tables of the parameter desk: registered documents and their located clauses, proposals, the published
values (append-only: the database refuses UPDATE and DELETE) and the one-row version the engine checks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base

STATES = ("proposed", "approved", "returned")
DOCUMENT_STATUSES = ("issued", "draft", "superseded")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Document(Base):
    """A policy document: one registered on the desk with its text (`key` "reg-<id>"), or a release document's
    particulars (`key` its file, `text` None: the text ships with the release)."""

    __tablename__ = "params_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(120), default="")  # 发文机关
    doc_number: Mapped[str] = mapped_column(String(80), default="")  # 文号
    issued: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # issued | draft | superseded
    in_force_from: Mapped[dt.date | None] = mapped_column(Date)
    in_force_to: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str] = mapped_column(String(500), default="")
    jurisdiction: Mapped[str] = mapped_column(String(6))  # the issuing jurisdiction (GB/T 2260), or "cn"
    text: Mapped[str | None] = mapped_column(Text)
    registered_by: Mapped[str] = mapped_column(String(120))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DocumentClause(Base):
    """Where a clause of a registered document starts (and ends), as a pack's clauses.yaml says it."""

    __tablename__ = "params_clause"
    __table_args__ = (UniqueConstraint("document_id", "clause"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("params_document.id"), index=True)
    clause: Mapped[str] = mapped_column(String(80))
    starts: Mapped[str] = mapped_column(Text)
    ends: Mapped[str | None] = mapped_column(Text)


class Proposal(Base):
    """A dated value proposed for a parameter by one official, approved or returned by another."""

    __tablename__ = "params_proposal"
    __table_args__ = (
        # one pending proposal per parameter, county and date
        Index(
            "uq_params_proposal_pending",
            "parameter",
            "region",
            "effective_from",
            unique=True,
            sqlite_where=text("state = 'proposed'"),
            postgresql_where=text("state = 'proposed'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parameter: Mapped[str] = mapped_column(String(120), index=True)
    region: Mapped[str] = mapped_column(String(6), default="")  # a county's own value; "" the parameter's
    scope: Mapped[str] = mapped_column(String(6), index=True)  # the jurisdiction whose officials decide
    value: Mapped[str] = mapped_column(String(32))  # "1440", "12.5", or a date "2026-01-01"
    unit: Mapped[str] = mapped_column(String(24))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    document_key: Mapped[str] = mapped_column(String(80))
    clause: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="proposed")
    proposed_by: Mapped[str] = mapped_column(String(120))  # the proposer's actor ref
    proposer_account: Mapped[int] = mapped_column(Integer)
    proposed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decider_account: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")  # why returned, or the approver's remark
    preview: Mapped[dict | None] = mapped_column(JSON)  # the cost preview the approver saw


class PublishedValue(Base):
    """A value as published: part of the parameter's dated history from then on. Never changed or deleted
    (triggers refuse it): a correction is a newer publication."""

    __tablename__ = "params_published"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the order of publication
    proposal_id: Mapped[int] = mapped_column(ForeignKey("params_proposal.id"), unique=True)
    parameter: Mapped[str] = mapped_column(String(120), index=True)
    region: Mapped[str] = mapped_column(String(6), default="")
    value: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(24))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    document_key: Mapped[str] = mapped_column(String(80))
    clause: Mapped[str] = mapped_column(String(80))
    doc_number: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    office: Mapped[str] = mapped_column(String(60))  # the jurisdiction's name, e.g. 陆河县
    proposed_by: Mapped[str] = mapped_column(String(120))
    approved_by: Mapped[str] = mapped_column(String(120))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Version(Base):
    """One row: bumped in the transaction that publishes or registers, read by every process's engine."""

    __tablename__ = "params_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)


class CostPreview(Base):
    """The cost preview computed for a proposal as things stood (`key`: the day, the desk's version, the registry's
    version): computed once in the background and shown until one of them moves. `result` is None while it is
    being computed; `error` says why a computation failed."""

    __tablename__ = "params_preview"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("params_proposal.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
