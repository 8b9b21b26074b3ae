"""Tables of the payments domain (branch `payments`, migration 0005_payments).

The rule "the same beneficiary is never paid twice for the same program and period" is the unique constraint
`uq_pay_payment_program_beneficiary_period_claim`: a payment row is the obligation for one (program, beneficiary,
period, claim); retries reuse the row (attempt + 1), never add one. `claim` is empty for a person's benefit (one
entitlement per beneficiary and program). A facility subsidy is paid per application (`cc-subsidy:<id>`), so a
top-up for slots added later or an award gets its own claim, while each slot belongs to one application only
(cc_subsidy_slot's unique constraint, migration 0009_payments_claim).

That constraint compares the *encrypted* ID number, and while `cradle keys rotate` is part-way an entitlement may
already hold the new key's ciphertext and its earlier payment the old one's. The unique index
`uq_pay_payment_entitlement_period_claim` (migration 0015_payments_entitlement_period) is the same rule over
ciphertext-free columns, so a batch generated mid-rotation still skips what was paid (ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import EncryptedString

BigId = BigInteger().with_variant(Integer(), "sqlite")


class Rate(Base):
    """A county's own standard where the document leaves it to the county (白银 育儿补贴 “由各县区自行核定”)."""

    __tablename__ = "pay_rate"
    __table_args__ = (UniqueConstraint("program", "county", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program: Mapped[str] = mapped_column(String(80))
    county: Mapped[str] = mapped_column(String(6))
    start: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    decision: Mapped[str] = mapped_column(String(200))  # the county's document number
    decided_by: Mapped[str] = mapped_column(String(120))


class Entitlement(Base):
    """An approved, payable entitlement (OpenSPP: entitlement) of one beneficiary under one program."""

    __tablename__ = "pay_entitlement"
    __table_args__ = (
        UniqueConstraint(
            "program", "beneficiary_id_number", "claim", name="uq_pay_entitlement_program_beneficiary_claim"
        ),
        Index("ix_pay_ent_cycle", "program", "county", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(40))
    program: Mapped[str] = mapped_column(String(80))
    beneficiary_id_number: Mapped[str] = mapped_column(EncryptedString())
    # '' for a person's benefit; a facility subsidy's application (cc-subsidy:<id>): see the module docstring
    claim: Mapped[str] = mapped_column(String(40), default="", server_default="")
    beneficiary_name: Mapped[str] = mapped_column(String(64))
    payee_id_number: Mapped[str] = mapped_column(EncryptedString())
    payee_name: Mapped[str] = mapped_column(String(64))
    account_no: Mapped[str] = mapped_column(String(32))
    bank_code: Mapped[str] = mapped_column(String(12))
    county: Mapped[str] = mapped_column(String(6))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    frequency: Mapped[str] = mapped_column(String(8))  # monthly | yearly | once
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)  # exclusive: the third birthday ends the allowance
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | stopped
    stop_reason: Mapped[str | None] = mapped_column(String(20))  # death | moved_away | declined | ended
    stop_date: Mapped[dt.date | None] = mapped_column(Date)


class Batch(Base):
    """A payment batch: one program, one period, one county; exported to the bank as one file."""

    __tablename__ = "pay_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_no: Mapped[str] = mapped_column(String(120), unique=True)
    program: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(10))  # 2025-07 | 2025 | once
    county: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(8), default="regular")  # regular | retry
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | exported | reconciled
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reconciled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Payment(Base):
    """What one beneficiary is owed for one program and period, and what the bank said about it."""

    __tablename__ = "pay_payment"
    __table_args__ = (
        UniqueConstraint(
            "program",
            "beneficiary_id_number",
            "period",
            "claim",
            name="uq_pay_payment_program_beneficiary_period_claim",
        ),
        Index("ix_pay_payment_batch_status", "batch_id", "status"),
        # also serves look-ups by entitlement (its leading column), so it replaced ix_pay_payment_entitlement_id
        Index("uq_pay_payment_entitlement_period_claim", "entitlement_id", "period", "claim", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # No foreign keys here, on purpose: rows are only made by the set-based generator from existing entitlements
    # and a just-created batch, and never deleted; per-row FK checks doubled the time of a million-row cycle.
    batch_id: Mapped[int] = mapped_column(Integer)
    entitlement_id: Mapped[int] = mapped_column(BigId)
    program: Mapped[str] = mapped_column(String(80))
    beneficiary_id_number: Mapped[str] = mapped_column(EncryptedString())
    period: Mapped[str] = mapped_column(String(10))
    claim: Mapped[str] = mapped_column(String(40), default="", server_default="")  # the entitlement's
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # pending | paid | failed | returned | cancelled
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    bank_ref: Mapped[str | None] = mapped_column(String(40))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
