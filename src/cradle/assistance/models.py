"""Tables of the assistance domain (branch `assistance`, migration assistance_0001).

A county's yearly cycle (`asst_cycle`, one per county and year) holds the recipient list (`asst_entry`, one row
per person and program: unique, so nobody is listed twice); objections raised during the 公示 hang off an entry.
Payment itself is the payments domain's (entitlements and batches, whose unique keys keep anyone from being paid
twice for one program and period). The special families' 三个全覆盖: the family, its two contact persons (a row
per tenure, so a change keeps who was responsible when), visits, the tasks a visit's needs become, and the
reminders of overdue visits.
"""

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
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import EncryptedString


class Setting(Base):
    """A county's own figures for the cycle: how long the 公示 runs, how often a special family is visited."""

    __tablename__ = "asst_setting"

    county: Mapped[str] = mapped_column(String(6), primary_key=True)
    publicity_days: Mapped[int] = mapped_column(Integer)
    visit_interval_days: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(120))


class Cycle(Base):
    """One county's yearly review: open → publicized → reviewed → approved → confirmed → filed."""

    __tablename__ = "asst_cycle"
    __table_args__ = (UniqueConstraint("county", "year", name="uq_asst_cycle_county_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open")
    publicity_start: Mapped[dt.date | None] = mapped_column(Date)
    publicity_end: Mapped[dt.date | None] = mapped_column(Date)  # the last day objections are taken
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    approved_by: Mapped[str | None] = mapped_column(String(120))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    confirmed_by: Mapped[str | None] = mapped_column(String(120))
    filed_by: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Entry(Base):
    """A person on a cycle's list under one program: candidate → posted → approved, or removed / left (why)."""

    __tablename__ = "asst_entry"
    __table_args__ = (
        UniqueConstraint("cycle_id", "program", "id_number", name="uq_asst_entry_cycle_program_person"),
        Index("ix_asst_entry_cycle_status", "cycle_id", "status"),
        Index("ix_asst_entry_cycle_village", "cycle_id", "village"),
        Index("ix_asst_entry_cycle_town", "cycle_id", "town"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("asst_cycle.id"))
    program: Mapped[str] = mapped_column(String(80))
    id_number: Mapped[str] = mapped_column(EncryptedString(), index=True)
    name: Mapped[str] = mapped_column(String(64))
    household: Mapped[str] = mapped_column(EncryptedString())  # the family: its first parent's ID number
    # the 乡镇/街道 (9-digit code) whose official sees and reviews the person's line; none yet: the county's alone
    # until it assigns one (the account check, a manual addition, or carried over from last year)
    town: Mapped[str | None] = mapped_column(String(9))
    # the 村/社区 (12-digit code) whose official checks and posts the person's line; set by the account check
    village: Mapped[str | None] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(12))  # registry | application | manual | carried
    reason: Mapped[str] = mapped_column(Text)  # the engine's explanation, or why the person leaves
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # null: the county's rate, read at payment
    frequency: Mapped[str] = mapped_column(String(8))  # monthly | yearly
    account_no: Mapped[str | None] = mapped_column(String(32))
    bank_code: Mapped[str | None] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="candidate")
    leave_reason: Mapped[str | None] = mapped_column(String(20))


class Notice(Base):
    """A village's posting of its own part of the list on its notice board during the county's 公示."""

    __tablename__ = "asst_notice"
    __table_args__ = (UniqueConstraint("cycle_id", "village", name="uq_asst_notice_cycle_village"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("asst_cycle.id"))
    village: Mapped[str] = mapped_column(String(12))
    posted_on: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)  # the county's 公示 end: objections are taken until then
    people: Mapped[int] = mapped_column(Integer)  # how many of the village's people the notice lists
    posted_by: Mapped[str] = mapped_column(String(120))


class TownReview(Base):
    """A town's (乡镇/街道) review of its own part of the posted list, once the 公示 has ended; the cycle is
    reviewed when every town with people on the list has reviewed its part."""

    __tablename__ = "asst_town_review"
    __table_args__ = (UniqueConstraint("cycle_id", "town", name="uq_asst_town_review_cycle_town"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("asst_cycle.id"))
    town: Mapped[str] = mapped_column(String(9))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer)  # the town's people on the posted list when it reviewed
    reviewed_by: Mapped[str] = mapped_column(String(120))


class Objection(Base):
    __tablename__ = "asst_objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("asst_entry.id"), index=True)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    raised_by: Mapped[str] = mapped_column(String(120))
    grounds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | upheld | dismissed
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision: Mapped[str | None] = mapped_column(Text)


class Family(Base):
    """A special family (失独 or 伤残) under 三个全覆盖, keyed by its first parent's ID number."""

    __tablename__ = "asst_family"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household: Mapped[str] = mapped_column(EncryptedString(), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    county: Mapped[str] = mapped_column(String(6), index=True)
    town: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str] = mapped_column(String(16))  # bereaved | disabled_child
    joined_on: Mapped[dt.date] = mapped_column(Date)  # the county's approval that brought it in
    doctor_contract: Mapped[str] = mapped_column(String(10), default="unknown")  # signed | unsigned | unknown
    doctor_contract_on: Mapped[dt.date | None] = mapped_column(Date)
    last_visit: Mapped[dt.date | None] = mapped_column(Date)


class Contact(Base):
    """One tenure of a 双岗联系人: an official or a village doctor; `until` set when replaced."""

    __tablename__ = "asst_contact"
    __table_args__ = (Index("ix_asst_contact_family", "family_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("asst_family.id"))
    kind: Mapped[str] = mapped_column(String(10))  # official | doctor
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    since: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(120))


class Visit(Base):
    __tablename__ = "asst_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("asst_family.id"), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(64))
    done: Mapped[str] = mapped_column(Text)
    needs: Mapped[list] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(120))


class Task(Base):
    """A need raised on a visit, handed to the department that answers it, with a deadline."""

    __tablename__ = "asst_task"
    __table_args__ = (Index("ix_asst_task_dept", "county", "department", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("asst_family.id"))
    visit_id: Mapped[int] = mapped_column(ForeignKey("asst_visit.id"))
    county: Mapped[str] = mapped_column(String(6))
    need: Mapped[str] = mapped_column(String(16))
    department: Mapped[str] = mapped_column(String(12))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | done
    closed_by: Mapped[str | None] = mapped_column(String(120))


class Reminder(Base):
    """A family overdue for a visit since `due`: made once by the daily job, closed by the next visit."""

    __tablename__ = "asst_reminder"
    __table_args__ = (UniqueConstraint("family_id", "due", name="uq_asst_reminder_family_due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("asst_family.id"))
    county: Mapped[str] = mapped_column(String(6), index=True)
    due: Mapped[dt.date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(default=False)
