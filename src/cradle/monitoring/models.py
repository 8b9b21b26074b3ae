"""Monitoring tables. Both are append-only: the newest row for a key is the current one, older rows are
the history (who said what, when, on what evidence)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

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


class MeasureUpdate(Base):
    """A status report on one plan measure for one region, by its department."""

    __tablename__ = "monitoring_measure_update"
    __table_args__ = (Index("ix_monitoring_measure_key", "measure_id", "region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))
    department: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # not_started | in_progress | done | blocked
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    evidence: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
