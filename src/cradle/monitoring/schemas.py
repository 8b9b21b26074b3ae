"""Request and response bodies of the monitoring API (`/api/v1/monitoring`), as `/docs` shows them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class EnglishOut(BaseModel):
    """The English of an indicator's definition."""

    name: str
    numerator: str
    denominator: str | None


class IndicatorOut(BaseModel):
    id: str
    name: str
    numerator: str
    denominator: str | None
    en: EnglishOut
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


class DueItemOut(BaseModel):
    period: str
    due: dt.date
    state: str  # open | submitted | returned | accepted
    overdue: bool


class TaskOut(BaseModel):
    id: str
    measure_id: str
    title: str
    measure_title: str
    clause: str
    document: str
    section: str
    lead: list[str]  # department codes (cradle.auth.roles.DEPARTMENTS); "*" every department concerned
    support: list[str]
    basis: str  # text | duty | assumed
    recurring: str | None
    items: list[DueItemOut]


class PlanOut(BaseModel):
    region: str
    tasks: list[TaskOut]


class Figure(BaseModel):
    label: str
    value: float
    unit: str = ""


class ReportIn(Body):
    """A unit's report on one due item; the unit and the region are the signed-in account's."""

    period: str
    progress: str
    reported_on: dt.date
    figures: list[Figure] = []


class ReviewIn(Body):
    action: str  # accept | return
    reason: str = ""


class EvidenceOut(BaseModel):
    id: int
    name: str
    content_type: str
    size: int


class ReportOut(BaseModel):
    id: int
    task_id: str
    region: str
    period: str
    department: str
    progress: str
    figures: list[Figure]
    reported_on: dt.date
    status: str
    reported_by: str
    reviewed_by: str | None
    reason: str | None
    evidence: list[EvidenceOut]


class WarningOut(BaseModel):
    region: str
    region_name: str = Field(description="the region's name in the request's language")
    kind: str = Field(description="band | trend | missed | late")
    kind_label: str = Field(description="the kind in the request's language")
    indicator: str
    year: int | None
    reason: str = Field(description="why, in the request's language (?lang=en or Accept-Language)")
    message: str = Field(description="the reason's message id (English), for clients that branch on it")


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
