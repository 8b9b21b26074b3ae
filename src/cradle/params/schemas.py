"""Bodies and answers of /api/v1/params and POST /api/v1/documents."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from cradle.policy.schemas import Provenance


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class ProposalIn(Body):
    parameter: str = Field(examples=["luhe.reward_assistance.amount"])
    value: str = Field(description="a number, or YYYY-MM-DD for a date parameter", examples=["1440"])
    unit: str = Field(description="the parameter's unit", examples=["CNY"])
    effective_from: dt.date
    effective_to: dt.date | None = None
    document: str = Field(description="the evidence: a document's key (GET /api/v1/documents)")
    clause: str
    region: str | None = Field(None, description="a county's own value, for a parameter set per county")
    note: str = ""


class DecisionIn(Body):
    reason: str = Field("", description="why it is returned (required), or the approver's remark")


class PreviewYear(BaseModel):
    year: int
    beneficiaries_current: int
    cost_current: float
    beneficiaries_proposed: int
    cost_proposed: float
    cost_change: float


class PreviewOut(BaseModel):
    households: int = Field(description="the jurisdiction's registry households the preview ran on")
    programs: list[str]
    years: list[PreviewYear]


class ProposalOut(BaseModel):
    id: int
    parameter: str
    region: str | None
    scope: str = Field(description="the jurisdiction whose officials decide it")
    value: int | float | dt.date
    unit: str
    effective_from: dt.date
    effective_to: dt.date | None
    document: str
    title: str
    clause: str
    note: str
    state: str = Field(examples=["proposed", "approved", "returned"])
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str
    preview: PreviewOut | None


class ProposalsOut(BaseModel):
    proposals: list[ProposalOut]


class ParameterRow(BaseModel):
    name: str
    description: str
    unit: str
    region: str | None = Field(description="the county whose own value this is")
    value: int | float | dt.date | None
    start: dt.date
    title: str
    clause: str
    provenance: Provenance


class ParametersOut(BaseModel):
    parameters: list[ParameterRow]


class HistoryValue(Provenance):
    value: int | float | dt.date | None
    unit: str
    note: str


class HistoryOut(BaseModel):
    parameter: str
    region: str | None
    history: list[HistoryValue]


class ClauseIn(Body):
    starts: str = Field(description="the clause's opening words, as in the text")
    ends: str | None = Field(None, description="its closing words, when it does not run to the next clause")


class DocumentIn(Body):
    title: str
    jurisdiction: str = Field(description="the issuing jurisdiction (GB/T 2260)")
    text: str = Field(description="the document's full text")
    clauses: dict[str, ClauseIn] = Field(description="clause number -> where it is in the text")
    status: str = Field("issued", examples=["issued", "draft", "superseded"])
    issuer: str = Field("", description="发文机关")
    doc_number: str = Field("", description="文号")
    issued: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    source_url: str = ""


class RegisteredOut(BaseModel):
    document: str = Field(description="its key, reg-<n>")
    title: str
    doc_number: str
