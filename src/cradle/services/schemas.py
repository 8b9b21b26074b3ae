"""Request and response bodies of the services API (`/api/v1/services`), as `/docs` shows them.

Request fields are optional where the service functions decide what is required: they refuse a missing or bad
value naming the field, in the domain's own words. Dates travel as text (YYYY-MM-DD), amounts as decimal text.
Free-form fields, where the data are free-form: a household (the rules engine's input document), the engine's
verdict and explanation, an issued document's content, a department's result and the data its task reads.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


# --- requests ----------------------------------------------------------------------------------------------------
class RegistrationIn(Body):
    mother_id_number: str | None = None
    mother_name: str | None = None
    father_id_number: str | None = None
    father_name: str | None = None
    hukou_region: str | None = Field(None, description="GB/T 2260 code; may be in another province")
    residence_region: str | None = Field(None, description="county-level GB/T 2260 code")
    expected_birth: str | None = Field(None, description="YYYY-MM-DD")
    child_order: int | None = None
    phone: str | None = None


class Identity(BaseModel):
    id_number: str | None = None
    name: str | None = None


class CaseIn(Body):
    program: str | None = None
    household: dict[str, Any] | None = Field(None, description="the rules engine's household document")
    identities: dict[str, Identity] | None = Field(None, description="member id → ID number and name")
    beneficiary: str | None = Field(None, description='a member id, or "household"')
    town: str | None = Field(None, description="9-digit town (street) code")
    account_no: str | None = None
    bank_code: str | None = None
    phone: str | None = None
    for_id_number: str | None = Field(None, description="the person filed for (亲情代办, with their consent)")


class CaseChanges(BaseModel):
    """Corrections sent with `resubmit`."""

    account_no: str | None = None
    bank_code: str | None = None
    phone: str | None = None
    household: dict[str, Any] | None = None


class ActionIn(Body):
    reason: str | None = None
    version: int | None = Field(None, description="the case's version the action was decided on")
    changes: CaseChanges | None = None


class BundleIn(Body):
    registration_no: str | None = None
    mother_id_number: str | None = None
    mother_name: str | None = None
    father_id_number: str | None = None
    father_name: str | None = None
    child_name: str | None = None
    child_sex: str | None = Field(None, description="F or M")
    child_birth_date: str | None = Field(None, description="YYYY-MM-DD")
    birth_hospital: str | None = None
    hukou_region: str | None = None
    phone: str | None = None
    account_no: str | None = None
    maternity_insured: bool = False


class TaskActionIn(Body):
    reason: str | None = None
    result: dict[str, Any] | None = Field(
        None, description="what the department issued (a certificate number…)"
    )


class ConsentIn(Body):
    proxy_id_number: str | None = None
    proxy_name: str | None = None
    relation: str | None = None
    scope: str | list[str] | None = Field(None, description='"*", or some of the services')
    valid_until: str | None = Field(None, description="YYYY-MM-DD")
    evidence: str | None = None


class AppealIn(Body):
    case_no: str | None = None
    kind: str | None = Field(None, description="rejection or missing_payment")
    grounds: str | None = None
    period: str | None = Field(None, description="the period not paid (missing_payment)")


class AppealDecisionIn(Body):
    upheld: bool = False
    outcome: str | None = None


# --- answers -----------------------------------------------------------------------------------------------------
class RegistrationOut(BaseModel):
    reg_no: str
    status: str
    mother: str  # masked
    mother_name: str
    child_order: int
    expected_birth: str
    hukou_region: str
    residence_region: str
    on_behalf_of: str | None


class Period(BaseModel):
    start: str | None
    end: str | None


class CaseOut(BaseModel):
    case_no: str
    program: str
    status: str
    status_text: str
    origin: str
    applicant: str  # masked
    beneficiary: str  # masked
    beneficiary_name: str
    county: str
    town: str | None
    amount: str | None
    unit: str | None
    period: Period
    eligibility: dict[str, Any] = Field(description="the rules engine's verdict and explanation")
    sla_due: str | None
    overdue: bool
    version: int


class Step(BaseModel):
    action: str
    from_: str | None = Field(alias="from")
    to: str
    actor: str
    on_behalf_of: str | None
    reason: str | None
    at: str


class CaseWithSteps(CaseOut):
    steps: list[Step]


class DocumentOut(BaseModel):
    doc_no: str
    kind: str
    verify_url: str
    pdf: str


class VerifyOut(BaseModel):
    doc_no: str
    genuine: bool
    valid: bool
    current_status: str | None
    issued_at: str | None
    payload: dict[str, Any] | None = Field(description="the document's content, when genuine")


class AttachmentAdded(BaseModel):
    id: int
    name: str
    sha256: str
    size: int


class AttachmentOut(AttachmentAdded):
    content_type: str
    added_by: str
    url: str


class BundleTaskOut(BaseModel):
    kind: str
    title: str
    status: str
    status_text: str
    deadline: str | None
    reason: str | None


class BundleEvent(BaseModel):
    at: str
    action: str
    task: str | None
    to: str | None


class BundleOut(BaseModel):
    bundle_no: str
    child_name: str
    child_birth_date: str
    tasks: list[BundleTaskOut]
    events: list[BundleEvent]


class BundleFiled(BaseModel):
    """The answer to an official filing a bundle for a citizen (the timeline is the citizen's)."""

    bundle_no: str


class TaskOut(BaseModel):
    task_id: int
    bundle_no: str
    kind: str
    title: str
    dept: str
    status: str
    deadline: str | None
    reason: str | None
    data: dict[str, str | None] = Field(description="the bundle's data this task reads, ID numbers masked")


class TaskMoved(BaseModel):
    task_id: int
    status: str
    reason: str | None


class ConsentGranted(BaseModel):
    id: int
    proxy: str  # masked
    scope: str
    valid_until: str


class ConsentRevoked(BaseModel):
    id: int
    revoked: bool


class ConsentOut(BaseModel):
    id: int
    grantor: str  # masked
    grantor_name: str
    proxy: str  # masked
    proxy_name: str
    relation: str
    scope: str
    valid_until: str
    revoked: bool
    mine: bool


class AppealFiled(BaseModel):
    appeal_no: str
    level: str
    due: str
    status: str


class AppealDecided(BaseModel):
    appeal_no: str
    status: str
    outcome: str | None


class AppealOut(BaseModel):
    appeal_no: str
    kind: str
    period: str | None
    level: str
    county: str
    town: str | None
    grounds: str
    due: str
    overdue: bool
    status: str
    outcome: str | None


class MyPayment(BaseModel):
    program: str
    period: str
    amount: str
    status: str


class Deadline(BaseModel):
    kind: str
    subject: str
    due: str
    title: str  # in Chinese, as the reminder SMS says it
    what: str
    who: str | None = None
    why: str | None = None


class Message(BaseModel):
    id: int
    kind: str
    text: str
    status: str
    at: str | None


class MyAppeal(BaseModel):
    appeal_no: str
    status: str
    due: str
    outcome: str | None


class MyServicesOut(BaseModel):
    registrations: list[RegistrationOut]
    bundles: list[BundleOut]
    cases: list[CaseOut]
    payments: list[MyPayment]
    deadlines: list[Deadline]
    messages: list[Message]
    appeals: list[MyAppeal]


class AuditCheck(BaseModel):
    ok: bool
    entries: int
    bad_seq: int | None
    problem: str | None
