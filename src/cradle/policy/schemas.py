"""Response bodies of the policy engine's JSON API (`/api/v1/calc`, `/programs`, `/regions`, `/documents`), as
`/docs` shows them: the entitlement output of POLICY_CATALOGUE.md ("Entitlement output (JSON)") and the catalogue
listings. The request bodies are the engine's own input models (`household.Household`, `facility.Facility`).

Keys the engine leaves out when they say nothing (an entitlement's `note`, `verified: false`, `encouraged: true`,
`draft: true`, a parameter's `by_region`) are optional here and stay left out of the answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cradle.policy.program import ENTITIES, KINDS, UNITS

Kind = Literal[KINDS]
Unit = Literal[UNITS]
Entity = Literal[ENTITIES]


class Out(BaseModel):
    """An answer's shape: a key the engine adds without declaring it here fails the tests that check answers
    against these models."""

    model_config = ConfigDict(extra="forbid")


class Citation(Out):
    document: str = Field(description="the document's key in GET /api/v1/documents (kept for compatibility)")
    title: str = Field(description="the document's title, as readers are shown it")
    clause: str = Field(description="the clause's number in the document, e.g. 二（四）2")


class Provenance(Out):
    """Where one figure an answer read comes from: the release, or the parameter desk."""

    parameter: str = Field(examples=["luhe.reward_assistance.amount"])
    start: dt.date = Field(description="the day the value took effect")
    document: str
    title: str
    clause: str
    source: Literal["release", "desk"]
    office: str | None = Field(None, description="desk: the jurisdiction whose officials published it")
    published_at: dt.datetime | None = Field(None, description="desk: when it was published")
    doc_number: str | None = Field(None, description="desk: the 文号 of the document it rests on")
    proposal: int | None = Field(None, description="desk: the proposal's number")


class Period(Out):
    start: dt.date | None
    end: dt.date | None


class Entitlement(Out):
    program: str = Field(examples=["zibo.nursery_fee_subsidy"])
    title: str = Field(examples=["保育费补助"])
    beneficiary: str = Field(description='a member id, "household", or "facility"')
    kind: Kind
    amount: int | float | dt.date | None = Field(
        description="in `unit`; a date for unit `date`; null when a lower level sets it (see `note`)"
    )
    unit: Unit
    period: Period
    citations: list[Citation]
    explanation: str = Field(description="which facts made it apply and how the amount follows, in Chinese")
    provenance: list[Provenance] = Field(description="where each figure the answer read comes from")
    note: str | None = Field(
        None,
        description='"encouraged", "amount set by county", "amount unconfirmed: regulation not loaded", …',
    )
    verified: bool = Field(True, description="false when a value rests on a text not yet loaded (待核实)")
    encouraged: bool = Field(
        False, description="true when the document only encourages it (鼓励): not a right"
    )
    draft: bool = Field(False, description="true when it comes from a draft for comment (征求意见稿)")


class NotApplicable(Out):
    program: str
    title: str
    reason: str = Field(description="the first condition that failed, in Chinese")


class CalcOut(Out):
    """Entitlements of one household (or facility) on `as_of`."""

    as_of: dt.date
    jurisdiction: str
    entitlements: list[Entitlement]
    not_applicable: list[NotApplicable] | None = Field(None, description="only with explain=true")


class ParameterOut(Out):
    name: str = Field(examples=["zibo.nursery_fee_subsidy.second_child"])
    description: str
    unit: str
    value: int | float | dt.date | None = Field(description="in force on the date asked; null when not set")
    start: dt.date
    document: str
    title: str
    clause: str
    verified: bool
    note: str | None
    by_region: list[str] | None = Field(None, description="counties with values of their own")
    provenance: Provenance


class ProgramOut(Out):
    id: str
    title: str
    kind: Kind
    unit: Unit
    entity: Entity
    jurisdiction: str = Field(description='GB/T 2260 code of the pack, or "cn"')
    level: str
    pack: str
    description: str
    citations: list[Citation]
    parameters: list[ParameterOut]


class RegionOut(Out):
    code: str
    name: str
    name_en: str
    level: str
    parent: str | None


class DocumentOut(Out):
    document: str = Field(
        description="the document's key: a release document's, or reg-<n> for one registered"
    )
    title: str
    jurisdiction: str
    status: str = Field(examples=["issued 2023-09-20", "draft", "superseded"])
    pack: str = Field(description='the pack listing it ("" for one registered on the parameter desk)')
    issuer: str = Field("", description="发文机关")
    doc_number: str = Field("", description="文号")
    issued: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    source_url: str = ""
    registered: bool = Field(False, description="registered on the parameter desk")


class ClauseOut(Out):
    document: str
    clause: str
    text: str
