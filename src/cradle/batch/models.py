"""Batch entitlements stored in the database (`cradle batch --db`): one row per entitlement, keyed by the run
(region and as-of date); a rerun of the same run replaces its rows, so nothing is stored twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base


class BatchEntitlement(Base):
    __tablename__ = "batch_entitlement"
    __table_args__ = (
        Index("ix_batch_entitlement_run", "region", "as_of", "county"),
        Index("ix_batch_entitlement_household", "household"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    as_of: Mapped[dt.date] = mapped_column(Date)
    program: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    beneficiary: Mapped[str] = mapped_column(String(64))
    amount: Mapped[float | None] = mapped_column(Float)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    unit: Mapped[str | None] = mapped_column(String(16))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    household: Mapped[str] = mapped_column(String(64))
    county: Mapped[int] = mapped_column(BigInteger)
