"""Request and response bodies of the monitoring API (`/api/v1/monitoring`), as `/docs` shows them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class IndicatorOut(BaseModel):
    id: str
    name: str
    numerator: str
    denominator: str | None
    scale: float
    unit: str
    direction: str
    source: str
    department: str
    due: str


class TargetOut(BaseModel):
    indicator: str
    jurisdiction: str
    applies_to: str
    comparator: str
    value: float | None
    year: int | None
    document: str
    clause: str
    quote: str


class IndicatorsOut(BaseModel):
    indicators: list[IndicatorOut]
    targets: list[TargetOut]


class ValueIn(Body):
    indicator_id: str
    region: str
    year: int
    value: float
    source: str
    source_date: str
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    department: str
    entered_by: str


class ValueOut(BaseModel):
    id: int
    indicator_id: str
    region: str
    year: int
    value: float


class SeriesOut(BaseModel):
    indicator_id: str
    region: str
    series: dict[int, float]


class StoredOut(BaseModel):
    stored: int


class MeasureOut(BaseModel):
    id: str
    title: str
    clause: str
    document: str
    owners: list[str]
    owners_text: str | None
    status: str
    progress: int
    evidence: str | None
    due: dt.date | None
    overdue: bool


class PlanOut(BaseModel):
    region: str
    measures: list[MeasureOut]


class MeasureIn(Body):
    region: str
    department: str
    status: str
    updated_by: str
    progress: int | None = None
    evidence: str | None = None
    due_date: dt.date | None = None


class MeasureUpdateOut(BaseModel):
    id: int
    measure_id: str
    status: str


class WarningOut(BaseModel):
    region: str
    region_name: str
    kind: str
    indicator: str
    year: int | None
    reason: str


class WarningsOut(BaseModel):
    warnings: list[WarningOut]


class ProjectionOut(BaseModel):
    region: str
    scenario: str
    years: list[int]
    counties: list[str]
    defaulted: list[str]
    population: list[float]
    under3: list[float]
    births: list[float]
