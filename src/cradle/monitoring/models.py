"""Monitoring tables. Indicator values and plan reports are append-only: the newest row for a key is the current
one, older rows are the history (who said what, when, on what evidence). Surveys and page-started runs keep
what was drawn and what was run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cradle.db import Base


class IndicatorValue(Base):
    """One value of one indicator for one region and year, entered by a department or computed."""

    __tablename__ = "monitoring_indicator_value"
    __table_args__ = (Index("ix_monitoring_value_key", "indicator_id", "region", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(12))  # entered | computed
    source: Mapped[str] = mapped_column(String(300))  # e.g. 妇幼卫生年报 2024, or "registry"
    source_date: Mapped[dt.date] = mapped_column(Date)
    department: Mapped[str] = mapped_column(String(64))
    entered_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class PlanReport(Base):
    """A unit's report on one due item of a plan task (a task, a region, a period): progress, figures, evidence
    files, and the leading office's decision. A returned report stays; the unit reports again."""

    __tablename__ = "monitoring_plan_report"
    __table_args__ = (Index("ix_monitoring_plan_report_key", "region", "task_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(80))
    region: Mapped[str] = mapped_column(String(6))
    period: Mapped[str] = mapped_column(String(8))  # 2025 (yearly or once), 2025Q3 (quarterly)
    department: Mapped[str] = mapped_column(String(64))  # the reporting unit's code (from its account)
    progress: Mapped[str] = mapped_column(Text)
    figures: Mapped[list | None] = mapped_column(JSON)  # [{"label", "value", "unit"}]
    reported_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))  # submitted | accepted | returned
    account_id: Mapped[int | None] = mapped_column(Integer)
    reported_by: Mapped[str] = mapped_column(String(120))  # the account's name
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was returned
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    evidence: Mapped[list[PlanEvidence]] = relationship(back_populates="report", order_by="PlanEvidence.id")


class PlanEvidence(Base):
    """An evidence file of a report, kept in the database as services' attachments are."""

    __tablename__ = "monitoring_plan_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monitoring_plan_report.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    report: Mapped[PlanReport] = relationship(back_populates="evidence")


class Survey(Base):
    """A drawn 1% household sample of a region (淄博 二（一）3): the frame's date, the fraction and the seed."""

    __tablename__ = "monitoring_survey"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    year: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[dt.date] = mapped_column(Date)
    fraction: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    frame_households: Mapped[int] = mapped_column(Integer)
    strata: Mapped[dict] = mapped_column(JSON)  # stratum → households in the frame
    drawn_by: Mapped[str] = mapped_column(String(120))
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    households: Mapped[list[SurveyHousehold]] = relationship(
        back_populates="survey", order_by="SurveyHousehold.id"
    )


class SurveyHousehold(Base):
    """A sampled household with its design weight, and what the enumerators found there."""

    __tablename__ = "monitoring_survey_household"
    __table_args__ = (UniqueConstraint("survey_id", "household_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("monitoring_survey.id"), index=True)
    household_no: Mapped[str] = mapped_column(String(40))
    stratum: Mapped[str] = mapped_column(String(40))
    weight: Mapped[float] = mapped_column(Float)
    persons: Mapped[int | None] = mapped_column(Integer)  # field results; None until entered
    births: Mapped[int | None] = mapped_column(Integer)
    under3: Mapped[int | None] = mapped_column(Integer)
    visited_on: Mapped[dt.date | None] = mapped_column(Date)
    entered_by: Mapped[str | None] = mapped_column(String(120))
    entered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    survey: Mapped[Survey] = relationship(back_populates="households")


class Run(Base):
    """A what-if or a batch run started from a page: its settings, progress and result files (under the data
    directory), so the page shows progress and offers the download wherever the request lands."""

    __tablename__ = "monitoring_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # whatif | batch
    region: Mapped[str] = mapped_column(String(6), index=True)
    settings: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))  # queued | running | done | failed
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)  # why it failed
    result: Mapped[dict | None] = mapped_column(JSON)  # the figures the page draws
    started_by: Mapped[str] = mapped_column(String(120))
    account_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
