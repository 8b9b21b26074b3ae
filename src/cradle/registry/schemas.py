"""Request and response bodies of the registry API (`/api/v1/registry`), as `/docs` shows them.

Free-form where the data are: a quarantined row as read (`raw`, `corrected`: its department's columns), a
fact's own columns (which vary with its kind), and the household document's members and events (the catalogue's
household JSON, the input of `cradle calc`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class CorrectIn(Body):
    changes: dict[str, str | None] = Field(description="column → corrected value (null clears it)")


class ResubmitIn(Body):
    ids: list[int] = Field(min_length=1, description="quarantined rows to run through ingest again")


class DismissIn(Body):
    ids: list[int] = Field(min_length=1, description="open quarantined rows to close without storing them")
    reason: str = Field(description="why (kept in the audit log)")


class DecideIn(Body):
    confirm: bool = Field(description="true merges the record into the candidate, false rejects the match")
    reason: str = ""


class SplitIn(Body):
    reason: str


class PersonOut(BaseModel):
    """A person; the ID number masked unless the viewer's role handles cases in the person's region."""

    id: int
    id_number: str | None
    masked: bool
    name: str
    sex: str
    birth_date: dt.date
    hukou: str | None
    merged_into_id: int | None


class PersonsOut(BaseModel):
    persons: list[PersonOut]


class FactSource(BaseModel):
    dept: str
    file: str
    row: int | None
    record_no: str
    run_id: int
    record_id: int


class FactOut(BaseModel):
    """One fact with where it came from; its own columns (by kind) and, for a birth, `role` come besides."""

    model_config = ConfigDict(extra="allow")

    kind: str
    valid_from: dt.date | None
    source: FactSource


class MergeOut(BaseModel):
    id: int
    action: str
    survivor_id: int
    merged_id: int
    actor: str
    reason: str | None
    at: str | None
    reverses_id: int | None


class PersonHistoryOut(BaseModel):
    person: PersonOut
    person_ids: list[int] = Field(description="the person and every record merged into them")
    facts: list[FactOut]
    merges: list[MergeOut]


class FamilyPlanningOut(BaseModel):
    only_child_certificate: bool
    rural_two_daughters: bool
    special_family: str | None


class HouseholdOut(BaseModel):
    """The catalogue's household JSON (see /api/v1/calc), ID numbers shown as the viewer may see them."""

    jurisdiction: str
    members: list[dict[str, Any]]
    family_planning: FamilyPlanningOut
    low_income: bool
    events: list[dict[str, Any]]


class RunOut(BaseModel):
    id: int
    dept: str
    kind: str
    file: str
    status: str = Field(description="running | done | failed | interrupted")
    region: str | None
    started_at: str | None
    finished_at: str | None
    rows_read: int
    accepted: int
    merged: int
    duplicates: int
    quarantined: int
    queued: int
    reasons: dict[str, int] = Field(description="quarantine reason → rows")
    error: str | None


class RunsOut(BaseModel):
    runs: list[RunOut]


class QuarantineRowOut(BaseModel):
    """A refused row: the row as read (ID numbers masked unless the viewer's role handles cases in its region),
    the field and reason it was refused for, and its correction."""

    id: int
    run_id: int
    dept: str
    file: str
    row_no: int | None
    region: str | None
    town: str | None
    field: str | None
    reason: str
    message: str
    status: str = Field(description="open | resubmitted")
    raw: dict[str, Any]
    corrected: dict[str, Any] | None
    resolved_run_id: int | None


class RunWithRowsOut(BaseModel):
    run: RunOut
    quarantine: list[QuarantineRowOut]


class QuarantineOut(BaseModel):
    total: int
    rows: list[QuarantineRowOut]


class IngestSummaryOut(BaseModel):
    run_id: int | None
    dept: str
    file: str
    rows_read: int
    accepted: int
    merged: int
    duplicates: int
    quarantined: int
    queued: int
    reasons: dict[str, int]
    skipped_as_already_ingested: bool
    seconds: float
    interrupted_runs: list[int]


class ResubmitOut(BaseModel):
    runs: list[IngestSummaryOut]


class DismissOut(BaseModel):
    dismissed: int


class PendingPairOut(BaseModel):
    id: int
    basis: str
    record: PersonOut
    candidate: PersonOut


class PendingOut(BaseModel):
    pending: list[PendingPairOut]


class DecisionOut(BaseModel):
    id: int
    status: str = Field(description="confirmed | rejected")
    merge_id: int | None


class SplitOut(BaseModel):
    id: int
    action: str
    reverses_id: int | None


class UploadProblemOut(BaseModel):
    field: str | None
    message: str = Field(description="in the request's language")


class UploadOut(BaseModel):
    """A feed file uploaded and ingested in the background; read `/uploads/{id}` until it is done or refused."""

    id: int
    dept: str
    file: str
    status: str = Field(description="queued | running | done | refused")
    run_id: int | None = Field(
        description="the ingest run (its counts and quarantine: /runs/{run_id}) once done"
    )
    rows_read: int | None = Field(None, description="rows read so far (while running) or in all (done)")
    problems: list[UploadProblemOut] = Field([], description="why the file was refused (nothing was stored)")
