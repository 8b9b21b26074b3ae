"""Tables of the childcare (托育) domain. All names start with `cc_`; only this package writes them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cradle.db import Base
from cradle.fieldcrypt import EncryptedString


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Facility(Base):
    __tablename__ = "cc_facility"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    community: Mapped[str | None] = mapped_column(String(100))
    floor_area_m2: Mapped[float] = mapped_column(Numeric(10, 2))
    outdoor_area_m2: Mapped[float | None] = mapped_column(Numeric(10, 2))
    rooms: Mapped[int] = mapped_column(Integer)
    inclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    demonstration: Mapped[bool] = mapped_column(Boolean, default=False)  # municipal 示范 facility
    comprehensive_centre: Mapped[bool] = mapped_column(Boolean, default=False)  # 托育综合服务中心 / 指导中心
    guidance_role: Mapped[bool] = mapped_column(Boolean, default=False)  # 承担指导功能
    opening_date: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    lat: Mapped[float | None] = mapped_column(Numeric(9, 6))
    lon: Mapped[float | None] = mapped_column(Numeric(9, 6))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    slots: Mapped[list[SlotGroup]] = relationship(
        back_populates="facility", cascade="all, delete-orphan", order_by="SlotGroup.id"
    )
    staff: Mapped[list[StaffMember]] = relationship(
        back_populates="facility", cascade="all, delete-orphan", order_by="StaffMember.id"
    )

    __table_args__ = (
        CheckConstraint("floor_area_m2 > 0", name="floor_area_positive"),
        CheckConstraint("rooms >= 0", name="rooms_not_negative"),
    )


class SlotGroup(Base):
    """托位 of one age group (班型) with its monthly fee."""

    __tablename__ = "cc_slot_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    age_group: Mapped[str] = mapped_column(String(16))
    slots: Mapped[int] = mapped_column(Integer)
    classes: Mapped[int] = mapped_column(Integer, default=1)
    fee_monthly: Mapped[int] = mapped_column(Integer)

    facility: Mapped[Facility] = relationship(back_populates="slots")
    __table_args__ = (
        UniqueConstraint("facility_id", "age_group", name="uq_cc_slot_group_age"),
        CheckConstraint("slots >= 0", name="slots_not_negative"),
        CheckConstraint("fee_monthly >= 0", name="fee_not_negative"),
    )


class StaffMember(Base):
    __tablename__ = "cc_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    qualification: Mapped[str | None] = mapped_column(String(200))
    education: Mapped[str | None] = mapped_column(String(16))
    years_experience: Mapped[int] = mapped_column(Integer, default=0)

    facility: Mapped[Facility] = relationship(back_populates="staff")


class Filing(Base):
    """备案: one filing per submission cycle; `status` moves only through filing.TRANSITIONS."""

    __tablename__ = "cc_filing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    checks: Mapped[list[FilingCheck]] = relationship(cascade="all, delete-orphan", order_by="FilingCheck.id")
    events: Mapped[list[FilingEvent]] = relationship(cascade="all, delete-orphan", order_by="FilingEvent.id")


class FilingCheck(Base):
    """One item of the 托育机构设置标准 checklist as the reviewer recorded it."""

    __tablename__ = "cc_filing_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("cc_filing.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(8))  # pass, fail, na
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("filing_id", "item", name="uq_cc_filing_check_item"),)


class FilingEvent(Base):
    __tablename__ = "cc_filing_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("cc_filing.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(100))  # the signed-in account (Actor.ref)
    actor_role: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Inspection(Base):
    __tablename__ = "cc_inspection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # routine, complaint, followup, joint
    inspector: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(16))  # passed, corrections, failed
    summary: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(
        String(120)
    )  # the signed-in account (Actor.ref) that entered it

    findings: Mapped[list[Finding]] = relationship(cascade="all, delete-orphan", order_by="Finding.id")


class Finding(Base):
    __tablename__ = "cc_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("cc_inspection.id", ondelete="CASCADE"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(8))  # minor, major, critical
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)

    followups: Mapped[list[FollowUp]] = relationship(cascade="all, delete-orphan", order_by="FollowUp.id")


class FollowUp(Base):
    __tablename__ = "cc_followup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("cc_finding.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    resolved: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    inspector: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[str | None] = mapped_column(String(120))


class QualityGrade(Base):
    """质量评估: the latest row by `assessed_on` is the facility's grade."""

    __tablename__ = "cc_quality_grade"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    grade: Mapped[str] = mapped_column(String(8))  # A, B, C, D
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(120))


class CreditRecord(Base):
    """信用: red list (守信激励) or black list (失信惩戒), from `start_on` until `end_on` (open when null)."""

    __tablename__ = "cc_credit_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    list_type: Mapped[str] = mapped_column(String(8))  # red, black
    reason: Mapped[str] = mapped_column(Text)
    decision_ref: Mapped[str | None] = mapped_column(String(100))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(120))


class Enrolment(Base):
    __tablename__ = "cc_enrolment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    child_id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    child_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    birth_order: Mapped[int | None] = mapped_column(Integer)
    age_group: Mapped[str] = mapped_column(String(16))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)  # last day attended; null while enrolled
    leave_reason: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (CheckConstraint("end_on IS NULL OR end_on >= start_on", name="end_after_start"),)


class SubsidyApplication(Base):
    """A facility's application for a facility subsidy program; moves through subsidies.TRANSITIONS."""

    __tablename__ = "cc_subsidy_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="applied")
    units: Mapped[int] = mapped_column(Integer)  # slots (construction) or 1 (award)
    amount: Mapped[int] = mapped_column(Integer)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    payment_ref: Mapped[str | None] = mapped_column(String(64))
    explanation: Mapped[str | None] = mapped_column(Text)
    citation: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)


class SubsidySlot(Base):
    """One subsidised unit: slot number `slot_no` of a facility under `program` (0 for per-facility awards).
    The unique constraint is what makes "never twice for the same slot" hold under concurrent applications."""

    __tablename__ = "cc_subsidy_slot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("cc_subsidy_application.id", ondelete="CASCADE"), index=True
    )
    facility_id: Mapped[int] = mapped_column(ForeignKey("cc_facility.id", ondelete="CASCADE"))
    program: Mapped[str] = mapped_column(String(64))
    slot_no: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("program", "facility_id", "slot_no", name="uq_cc_subsidy_slot_unit"),)


class ImportQuarantine(Base):
    """Rows of an imported facility list that failed validation, kept with their errors for correction. `data` is
    the row as read and is never overwritten: a correction goes to `corrected`; a re-submission that stores the
    facility marks the row `resolved` (rows are never deleted)."""

    __tablename__ = "cc_import_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(300))
    row_no: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)  # the row as JSON
    errors: Mapped[str] = mapped_column(Text)  # JSON list of {"field", "message"}: the latest attempt's
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    status: Mapped[str] = mapped_column(String(10), default="open", server_default="open", index=True)
    corrected: Mapped[str | None] = mapped_column(Text)  # JSON object: the fields changed by corrections
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # re-submissions so far
    facility_id: Mapped[int | None] = mapped_column(Integer)  # the facility stored on resolution
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
