"""Request and response bodies of the payments API (`/api/v1/services/payments`), as `/docs` shows them.
Request fields are optional where the service functions decide what is required (they refuse naming the field);
amounts travel as decimal text, dates as text (YYYY-MM-DD)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class BatchIn(Body):
    program: str | None = None
    period: str | None = Field(None, description="YYYY-MM (monthly), YYYY (yearly) or once")
    county: str | None = None


class StopIn(Body):
    beneficiary_id_number: str | None = None
    reason: str | None = Field(None, description="death or moved_away")
    effective: str | None = Field(None, description="YYYY-MM-DD")
    program: str | None = Field(None, description="one program; all of the beneficiary's when left out")


class StatusTotal(BaseModel):
    count: int
    amount: str


class BatchSummary(BaseModel):
    batch_no: str
    status: str
    count: int
    total: str
    by_status: dict[str, StatusTotal] = Field(description="payments and their total per status")


class ReturnApplied(BatchSummary):
    applied: int
    changed: dict[str, int] = Field(description="payments changed per new status")


class Stopped(BaseModel):
    entitlement: int
    program: str
    beneficiary: str  # masked
    status: str
    stop_reason: str | None
    stop_date: str | None
