"""The runs the operators watch (ingest, batch, proactive, payment): one row per finished run, so the last of
each kind is on /metrics even when it ran in another process or on another host."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base


class OpsRun(Base):
    __tablename__ = "ops_run"
    __table_args__ = (Index("ix_ops_run_kind", "kind", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # ingest | batch | proactive | payment
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    seconds: Mapped[float] = mapped_column(Float)
    rows: Mapped[int] = mapped_column(BigInteger)
