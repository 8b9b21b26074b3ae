"""Tables of the services domain (branch `services`, migration 0004_services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import EncryptedJSON, EncryptedString


class BirthRegistration(Base):
    """生育登记: registered at once, no approval (白银 取消再生育审批; 山西 全程网办、跨省通办)."""

    __tablename__ = "svc_birth_registration"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reg_no: Mapped[str] = mapped_column(String(24), unique=True)
    mother_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    mother_name: Mapped[str] = mapped_column(String(64))
    father_id_number: Mapped[str | None] = mapped_column(EncryptedString())
    father_name: Mapped[str | None] = mapped_column(String(64))
    hukou_region: Mapped[str] = mapped_column(String(6))  # may be in another province (跨省通办)
    residence_region: Mapped[str] = mapped_column(String(6), index=True)
    expected_birth: Mapped[dt.date] = mapped_column(Date)
    child_order: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    status: Mapped[str] = mapped_column(String(12), default="registered")  # registered | cancelled
    filed_by: Mapped[str] = mapped_column(String(120))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Case(Base):
    """An application for a program (OpenSPP: a registrant's enrolment in a program), with its review state."""

    __tablename__ = "svc_case"
    __table_args__ = (
        UniqueConstraint("program", "beneficiary_id_number"),
        Index("ix_svc_case_queue", "county", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(24), unique=True)
    program: Mapped[str] = mapped_column(String(80))
    applicant_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    applicant_name: Mapped[str] = mapped_column(String(64))
    beneficiary_id_number: Mapped[str] = mapped_column(EncryptedString())
    beneficiary_name: Mapped[str] = mapped_column(String(64))
    beneficiary_member: Mapped[str] = mapped_column(String(32))  # the member id in the household snapshot
    county: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9))
    household: Mapped[dict] = mapped_column(
        EncryptedJSON()
    )  # as filed (pre-filled from the registry where it can be)
    identities: Mapped[dict] = mapped_column(EncryptedJSON())  # member id -> {id_number, name}
    eligibility: Mapped[dict] = mapped_column(
        JSON
    )  # the engine's entitlement (or refusal) with its explanation
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    unit: Mapped[str | None] = mapped_column(String(16))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    account_no: Mapped[str | None] = mapped_column(String(32))  # 财政补贴资金一卡通 account
    bank_code: Mapped[str | None] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(24))
    origin: Mapped[str] = mapped_column(String(12), default="citizen")  # citizen | proxy | proactive
    filed_by: Mapped[str] = mapped_column(String(120))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    sla_due: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class CaseStep(Base):
    """One transition of a case: who, when, why."""

    __tablename__ = "svc_case_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("svc_case.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(120))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class Attachment(Base):
    __tablename__ = "svc_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("svc_case.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class BirthBundle(Base):
    """出生一件事: one application after a birth; the data entered once, reused by every department's task."""

    __tablename__ = "svc_birth_bundle"
    __table_args__ = (UniqueConstraint("mother_id_number", "child_birth_date", "child_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_no: Mapped[str] = mapped_column(String(24), unique=True)
    mother_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    child_name: Mapped[str] = mapped_column(String(64))
    child_birth_date: Mapped[dt.date] = mapped_column(Date)
    county: Mapped[str] = mapped_column(String(6), index=True)
    data: Mapped[dict] = mapped_column(EncryptedJSON())  # carries the parents' ID numbers and phone
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("svc_birth_registration.id"))
    filed_by: Mapped[str] = mapped_column(String(120))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class BundleTask(Base):
    """One department's part of 出生一件事: received → in_progress → done | rejected (with a reason)."""

    __tablename__ = "svc_bundle_task"
    __table_args__ = (
        UniqueConstraint("bundle_id", "kind"),
        Index("ix_svc_task_queue", "dept", "county", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("svc_birth_bundle.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    dept: Mapped[str] = mapped_column(String(12))
    county: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(12), default="received")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Consent(Base):
    """亲情代办: a person's recorded consent that a family member may file for them."""

    __tablename__ = "svc_consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grantor_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    grantor_name: Mapped[str] = mapped_column(String(64))
    proxy_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    proxy_name: Mapped[str] = mapped_column(String(64))
    relation: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(200), default="*")  # "*" or comma-separated service kinds
    valid_until: Mapped[dt.date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(
        String(200)
    )  # how the consent was given (face check, signed form no.)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Notification(Base):
    """The outbox: an in-app message, and an SMS that `dispatch()` hands to the configured sender. What it says is
    a message id with its parameters (`notifications.text` says it in a language); `text` is the Chinese of a
    row written before message ids."""

    __tablename__ = "svc_notification"
    __table_args__ = (Index("ix_svc_notification_out", "channel", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # inapp | sms
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80))
    message: Mapped[str | None] = mapped_column(Text)  # an English message id
    params: Mapped[dict | None] = mapped_column(JSON)  # its parameters; a label is {"message": id}
    text: Mapped[str | None] = mapped_column(Text)  # a literal, for rows from before message ids
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    status: Mapped[str] = mapped_column(String(8), default="pending")  # pending | sent | failed | read
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Reminder(Base):
    """A deadline from the rules, sent once per (person, kind, subject, due date)."""

    __tablename__ = "svc_reminder"
    __table_args__ = (UniqueConstraint("recipient_id_number", "kind", "subject", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id_number: Mapped[str] = mapped_column(EncryptedString())
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80))
    due: Mapped[dt.date] = mapped_column(Date)
    sent_on: Mapped[dt.date] = mapped_column(Date)


class Appeal(Base):
    """投诉与申诉: a contested rejection or a missing payment, answered by the reviewing level by a deadline."""

    __tablename__ = "svc_appeal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_no: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # rejection | missing_payment
    case_id: Mapped[int] = mapped_column(ForeignKey("svc_case.id"), index=True)
    period: Mapped[str | None] = mapped_column(String(10))  # the payment period for missing_payment
    citizen_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    level: Mapped[str] = mapped_column(String(8))  # town | county
    county: Mapped[str] = mapped_column(String(6))
    town: Mapped[str | None] = mapped_column(String(9))
    grounds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | upheld | dismissed
    due: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class IssuedDocument(Base):
    """A certificate or decision issued as PDF; its QR code links to /verify/<doc_no>?s=<signature>."""

    __tablename__ = "svc_issued_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_no: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # registration | decision
    subject: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON)
    signature: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class IdempotentRequest(Base):
    """An API request made with an Idempotency-Key: a replay gets the stored response."""

    __tablename__ = "svc_idempotency"

    actor: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class ProactiveRun(Base):
    """One 免申即享 run: which program, as of when, how many households were found and what was done."""

    __tablename__ = "svc_proactive_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program: Mapped[str] = mapped_column(String(80))
    as_of: Mapped[dt.date] = mapped_column(Date)
    examined: Mapped[int] = mapped_column(Integer, default=0)
    eligible: Mapped[int] = mapped_column(Integer, default=0)
    opened: Mapped[int] = mapped_column(Integer, default=0)
    existing: Mapped[int] = mapped_column(Integer, default=0)
    run_by: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Escalation(Base):
    """督办: a case an official held past its deadline in one state, reported once to the level above."""

    __tablename__ = "svc_escalation"
    __table_args__ = (UniqueConstraint("case_id", "status", "sla_due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("svc_case.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))  # the state the case sat in past its deadline
    sla_due: Mapped[dt.date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(8))  # county | city: who is told
    county: Mapped[str] = mapped_column(String(6), index=True)
    escalated_on: Mapped[dt.date] = mapped_column(Date)
