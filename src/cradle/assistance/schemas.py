"""Request and response bodies of the assistance API (`/api/v1/assistance`), as `/docs` shows them. Dates travel
as text (YYYY-MM-DD), amounts as decimal text, ID numbers masked in every answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class CandidatesIn(Body):
    as_of: str | None = Field(
        None, description="the date eligibility is judged on; 1 January of the year by default"
    )


class ManualIn(Body):
    program: str
    household: dict = Field(description="the household in the calculator's format, members with ID numbers")
    beneficiary: str = Field(description="the member id of the person to add")
    town: str | None = None
    account_no: str | None = None
    bank_code: str | None = None


class AccountRow(Body):
    id_number: str
    account_no: str
    bank_code: str | None = None
    town: str | None = None
    village: str | None = Field(None, description="the 村/社区's 12-digit code (its first nine: the town)")


class AccountsIn(Body):
    rows: list[AccountRow]


class PublicizeIn(Body):
    start: str | None = Field(None, description="first day of the 公示; today by default")
    days: int | None = Field(None, description="the county's setting by default")


class ObjectionIn(Body):
    grounds: str


class DecisionIn(Body):
    upheld: bool
    decision: str


class PayIn(Body):
    period: str = Field(description="YYYY pays reward assistance, YYYY-MM special assistance")
    id_numbers: list[str] | None = None


class EntryOut(BaseModel):
    id: int
    program: str
    id_number: str  # masked
    name: str
    town: str | None
    village: str | None
    source: str
    reason: str
    amount: str | None
    frequency: str
    status: str
    leave_reason: str | None
    account: str | None  # the last four digits


class ObjectionOut(BaseModel):
    id: int
    entry: int
    name: str
    id_number: str  # masked
    raised_on: str
    grounds: str
    status: str
    decision: str | None


class BatchOut(BaseModel):
    batch_no: str
    status: str
    count: int
    total: str


class NoticeOut(BaseModel):
    village: str
    posted_on: str
    until: str
    people: int


class TownReviewOut(BaseModel):
    town: str
    reviewed_on: str
    people: int = Field(description="the town's people on the posted list when it reviewed")


class CycleOut(BaseModel):
    county: str
    year: int
    status: str
    publicity_start: str | None
    publicity_end: str | None
    days_left: int | None = Field(description="days of the 公示 still to run, today included")
    village: str | None = Field(
        description="the village whose part of the list is shown; None: the whole list"
    )
    town: str | None = Field(
        None, description="the town whose part of the list is shown; None: the whole list (or a village's)"
    )
    counts: dict[str, int]
    objections: list[ObjectionOut]
    notices: list[NoticeOut] = Field(description="the villages' postings of their part of the list")
    reviews: list[TownReviewOut] = Field(
        [], description="the towns' reviews of their parts (a town official: its own)"
    )
    batches: list[BatchOut]
    entries: list[EntryOut]


class PaidOut(BaseModel):
    registered: int
    no_account: int
    batches: list[str]
    already: list[str]


class ContactIn(Body):
    kind: str = Field(description="official or doctor")
    name: str
    phone: str | None = None
    since: str | None = None


class VisitIn(Body):
    visited_on: str
    visitor: str
    done: str
    needs: list[str] = Field(
        default_factory=list, description="care_home, housing, dibao, nursing_allowance, psychological"
    )


class ContactOut(BaseModel):
    kind: str
    name: str
    since: str


class TaskOut(BaseModel):
    id: int
    family: int
    need: str
    department: str
    deadline: str
    status: str


class FamilyOut(BaseModel):
    id: int
    name: str
    household: str  # masked
    town: str | None
    kind: str
    doctor_contract: str
    last_visit: str | None
    contacts: list[ContactOut]
    overdue: bool


class PriorityIn(Body):
    id_number: str


class PriorityOut(BaseModel):
    priority: bool


class ContractIn(Body):
    id_number: str
    status: str = Field(description="signed, unsigned or unknown")
    on: str


class Done(BaseModel):
    id: int
    status: str


class PaymentOut(BaseModel):
    program: str
    period: str
    amount: str
    status: str


class MineOut(BaseModel):
    entries: list[EntryOut]
    payments: list[PaymentOut]
    contacts: list[ContactOut]
