"""Request and response bodies of the childcare API (`/api/v1/childcare`), as `/docs` shows them.

The domain checks each value of a request itself, with the same checks as a row of a department's imported list
(`validate.py`): a wrong, missing or unknown field is refused naming its path (`slots[1].slots`) in the domain's
own words. So a request field takes the JSON value it is given and hands it on unchanged; `/docs` shows the type it
expects. A record's body (a facility, an enrolment, an inspection, checklist results) has its unknown fields refused
by the domain (`extra="allow"` passes them on); the other bodies ignore fields they do not name, as they always
have: who acts is the signed-in account, never a body field.

Labels in answers (`*_label`, a subsidy's `title`) are in Chinese; the pages show them in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, WithJsonSchema, create_model

from cradle.childcare.standards import CHECKLIST

Text = Annotated[JsonValue, WithJsonSchema({"type": "string"})]
Integer = Annotated[JsonValue, WithJsonSchema({"type": "integer"})]
Number = Annotated[JsonValue, WithJsonSchema({"type": "number"})]
Flag = Annotated[JsonValue, WithJsonSchema({"type": "boolean"})]
Day = Annotated[JsonValue, WithJsonSchema({"type": "string", "format": "date"})]
# A figure a document states (a target, a minimum area): an integer stays one in the answer
Figure = int | float


class CheckedBody(BaseModel):
    """A body the domain checks field by field, refusing unknown fields itself."""

    model_config = ConfigDict(extra="allow")


class ReadBody(BaseModel):
    """A body of which the named fields are read; others are ignored."""

    model_config = ConfigDict(extra="ignore")


# --- requests ----------------------------------------------------------------------------------------------------
class SlotsIn(CheckedBody):
    age_group: Text = Field(None, description="infant, toddler or older")
    slots: Integer = None
    classes: Integer = Field(None, description="1 when not given")
    fee_monthly: Integer = Field(None, description="yuan a month")


class StaffIn(CheckedBody):
    name: Text = None
    role: Text = Field(None, description="director, caregiver, health, cook, security or other")
    qualification: Text = None
    education: Text = Field(None, description="postgraduate, bachelor, college, secondary or other")
    years_experience: Integer = None


class FacilityIn(CheckedBody):
    credit_code: Text = Field(None, description="统一社会信用代码 (GB 32100)")
    name: Text = None
    type: Text = Field(
        None,
        description="public, inclusive_private, private, employer, community_station, family_point or "
        "kindergarten_class",
    )
    address: Text = None
    region_code: Text = Field(None, description="county-level GB/T 2260 code")
    community: Text = None
    floor_area_m2: Number = None
    outdoor_area_m2: Number = None
    rooms: Integer = None
    inclusive: Flag = Field(None, description="普惠; true for public and inclusive private institutions")
    demonstration: Flag = None
    comprehensive_centre: Flag = None
    guidance_role: Flag = None
    opening_date: Day = None
    closed_on: Day = None
    lat: Number = None
    lon: Number = None
    slots: list[SlotsIn] | None = Field(None, description="one entry per class type")
    staff: list[StaffIn] | None = None


class FilingIn(ReadBody):
    submit: bool = Field(True, description="false keeps the new filing as a draft")


CheckResult = Annotated[
    JsonValue,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": ["pass", "fail", "na"]},
                {
                    "type": "object",
                    "properties": {
                        "result": {"type": "string", "enum": ["pass", "fail", "na"]},
                        "note": {"type": "string"},
                    },
                },
            ]
        }
    ),
]
ChecksIn = create_model(
    "ChecksIn",
    __base__=CheckedBody,
    __doc__="Results of the review checklist's items (`standards.CHECKLIST`): a result, or one with a note.",
    **{item: (CheckResult, Field(None, description=spec["title"])) for item, spec in CHECKLIST.items()},
)


class FilingActionIn(ReadBody):
    action: Text = Field(None, description="submit, complete, return, accept or revoke")
    note: Text = Field(None, description="the reason, needed to return a filing")


class EnrolIn(CheckedBody):
    child_id_number: Text = None
    child_name: Text = None
    birth_date: Day = Field(None, description="checked against the ID number when given")
    birth_order: Integer = None
    age_group: Text = Field(None, description="by the age on start_on when not given")
    start_on: Day = None


class LeaveIn(ReadBody):
    end_on: Day = Field(None, description="the last day attended")
    reason: Text = None


class FindingIn(CheckedBody):
    item: Text = Field(None, description="the checklist item or another short name")
    description: Text = None
    severity: Text = Field(None, description="minor (when not given), major or critical")
    deadline: Day = None


class InspectionIn(CheckedBody):
    visited_on: Day = None
    kind: Text = Field(None, description="routine (when not given), complaint, followup or joint")
    inspector: Text = None
    result: Text = Field(None, description="passed, corrections or failed")
    summary: Text = None
    findings: list[FindingIn] | None = None


class FollowUpIn(ReadBody):
    visited_on: Day = None
    inspector: Text = None
    resolved: Flag = None
    note: Text = None
    new_deadline: Day = Field(None, description="a later deadline when not resolved")


class GradeIn(ReadBody):
    grade: Text = Field(None, description="A, B, C or D")
    assessed_on: Day = None
    assessor: Text = None
    note: Text = None


class CreditIn(ReadBody):
    list_type: Text = Field(None, description="red or black")
    reason: Text = None
    decision_ref: Text = None
    start_on: Day = None
    end_on: Day = None


class SubsidyIn(ReadBody):
    program: Text = Field(None, description="zibo.nursery_construction_subsidy or zibo.demo_nursery_award")
    on: Day = Field(None, description="the day applied on; today when not given")


class SubsidyActionIn(ReadBody):
    action: Text = Field(None, description="approve, reject or cancel (paid only by the bank's return)")
    note: Text = Field(None, description="the reason, needed to reject")
    on: Day = Field(None, description="today when not given")


class PaymentIn(ReadBody):
    account_no: Text = Field(None, description="the institution's corporate account, 12–32 digits")
    bank_code: Text = None
    account_name: Text = Field(None, description="the institution's name when not given")


# --- answers -----------------------------------------------------------------------------------------------------
class SlotGroupOut(BaseModel):
    age_group: str
    label: str
    slots: int
    classes: int
    enrolled: int
    vacancies: int
    fee_monthly: int


class FacilityOut(BaseModel):
    id: int
    credit_code: str
    name: str
    type: str
    type_label: str
    address: str
    region_code: str
    region_name: str
    community: str | None
    inclusive: bool
    demonstration: bool
    comprehensive_centre: bool
    guidance_role: bool
    opening_date: str
    closed_on: str | None
    slots: int
    enrolled: int
    vacancies: int
    slot_groups: list[SlotGroupOut]
    filing_status: str | None
    filing_status_label: str
    lat: float | None
    lon: float | None


class StaffOut(BaseModel):
    name: str
    role: str
    qualification: str | None
    education: str | None
    years_experience: int


class FacilityDetailOut(FacilityOut):
    floor_area_m2: float
    outdoor_area_m2: float | None
    rooms: int
    staff: list[StaffOut]


class LastInspectionOut(BaseModel):
    visited_on: str
    result: str
    result_label: str


class QualityOut(BaseModel):
    grade: str | None
    grade_label: str
    credit: str | None
    credit_label: str
    last_inspection: LastInspectionOut | None
    open_findings: int
    overdue_findings: int
    flagged: bool = Field(description="a correction is past its deadline")


class FacilityShownOut(FacilityDetailOut):
    quality: QualityOut


class FacilitiesOut(BaseModel):
    as_of: str
    facilities: list[FacilityOut]


class CheckOut(BaseModel):
    item: str
    title: str
    result: str
    result_label: str
    note: str | None


class FilingEventOut(BaseModel):
    action: str
    from_: str = Field(alias="from")
    to: str
    actor: str | None
    actor_role: str | None
    note: str | None
    at: str


class FilingOut(BaseModel):
    id: int
    facility_id: int
    facility_name: str
    region_code: str
    status: str
    status_label: str
    allowed_actions: list[str]
    submitted_on: str | None
    decided_on: str | None
    checks: list[CheckOut]
    pending_items: list[str]
    history: list[FilingEventOut]


class FilingsOut(BaseModel):
    filings: list[FilingOut]


class EnrolmentOut(BaseModel):
    id: int
    facility_id: int
    child_id_number: str = Field(description="masked")
    child_name: str
    birth_date: str
    birth_order: int | None
    age_group: str
    age_group_label: str
    start_on: str
    end_on: str | None
    leave_reason: str | None


class RosterOut(BaseModel):
    as_of: str
    children: list[EnrolmentOut]


class Care(BaseModel):
    """The household input's `care` object (the rules engine's)."""

    type: str
    inclusive: bool
    registered: bool
    public: bool
    facility_id: int
    facility_credit_code: str
    left: dt.date | None = Field(None, description="the last day attended, in the month the child left")


class CareOut(BaseModel):
    care: Care | None = Field(description="null when the child is not in a nursery the caller may see")


class FindingOut(BaseModel):
    id: int
    inspection_id: int
    item: str
    description: str
    severity: str
    severity_label: str
    deadline: str | None
    resolved_on: str | None


class InspectionRecordedOut(BaseModel):
    id: int
    findings: list[FindingOut]


class InspectionOut(BaseModel):
    id: int
    visited_on: str
    kind: str
    kind_label: str
    inspector: str
    result: str
    result_label: str
    summary: str | None
    recorded_by: str | None
    findings: list[FindingOut]


class InspectionsOut(BaseModel):
    inspections: list[InspectionOut]


class OverdueFindingOut(FindingOut):
    days_overdue: int


class OverdueFacilityOut(BaseModel):
    facility_id: int
    name: str
    region_code: str
    findings: list[OverdueFindingOut]


class OverdueOut(BaseModel):
    as_of: str
    facilities: list[OverdueFacilityOut]


class GradeOut(BaseModel):
    id: int
    grade: str
    assessed_on: str


class CreditOut(BaseModel):
    id: int
    list_type: str
    start_on: str


class PopulationOut(BaseModel):
    region: str
    value: int | None
    source: str = Field(description="registry, census2020, census2020_equal_split or none")
    note: str


class Citation(BaseModel):
    document: str
    clause: str
    text: str


class SlotsTargetOut(Citation):
    jurisdiction: str
    jurisdiction_name: str
    slots_per_1000: Figure
    inclusive_share: Figure | None
    year: int


class IndicatorOut(BaseModel):
    region: str
    name: str
    level: str
    facilities: int
    slots: int
    inclusive_slots: int
    population: PopulationOut
    slots_per_1000: float | None
    inclusive_share: float | None
    target: SlotsTargetOut | None
    meets_target: bool | None
    slots_needed: int | None = Field(None, description="with a target and a population only")
    shortfall: int | None = Field(None, description="with a target and a population only")


class SmallSiteOut(BaseModel):
    facility_id: int
    name: str
    floor_area_m2: float
    min_m2: Figure
    document: str
    clause: str


class CapacityOut(BaseModel):
    as_of: str
    region: IndicatorOut
    units: list[IndicatorOut] = Field(description="each unit one level below the region")
    community_sites_below_minimum: list[SmallSiteOut]
    counted: str


class FacilityRef(BaseModel):
    id: int
    name: str
    type: str


class CountyCoverageOut(BaseModel):
    region: str
    name: str
    public_nurseries: list[FacilityRef]
    centres: list[FacilityRef] | None = Field(None, description="where the county must have a centre")
    rule: Citation
    meets: bool


class CityCoverageOut(BaseModel):
    region: str
    name: str
    centres: list[FacilityRef]
    meets: bool
    rule: Citation


class CoverageOut(BaseModel):
    as_of: str
    region: str
    counties: list[CountyCoverageOut]
    cities: list[CityCoverageOut]


class StationsTargetOut(Citation):
    share: Figure


class StationsOut(BaseModel):
    region: str
    communities_total: int
    communities_with_station: int
    share: float
    target: StationsTargetOut | None
    meets: bool | None


class ResidentialOut(BaseModel):
    """Without a local rule only `required_slots` (null) and a `note`; with one, the rule and its citation."""

    region: str
    planned_population: int
    required_slots: int | None
    note: str | None = None
    existing_area: bool | None = None
    per_1000: Figure | None = None
    jurisdiction: str | None = None
    document: str | None = None
    clause: str | None = None
    text: str | None = None


class ApplicationOut(BaseModel):
    id: int
    facility_id: int
    facility_name: str
    program: str
    title: str
    status: str
    status_label: str
    allowed_actions: list[str]
    units: int = Field(description="inclusive places (construction subsidy) or 1 (award)")
    amount: int = Field(description="yuan")
    applied_on: str
    decided_on: str | None
    paid_on: str | None
    payment_ref: str | None
    explanation: str | None
    citation: str | None
    note: str | None


class ApplicationsOut(BaseModel):
    applications: list[ApplicationOut]


class EntitlementOut(BaseModel):
    id: int
    case_ref: str
    claim: str
    program: str
    amount: str
    payee_name: str
    account: str = Field(description="the last four digits")
    bank_code: str
    county: str
    status: str


class PaymentDeskOut(BaseModel):
    application: ApplicationOut
    entitlement: EntitlementOut | None = Field(description="null until registered for payment")
    batch_command: str | None = Field(description="the command that generates the county's batch paying it")


class PublicFacilityOut(BaseModel):
    id: int
    name: str
    type: str
    type_label: str
    address: str
    region_code: str
    region_name: str
    community: str | None
    inclusive: bool
    demonstration: bool
    opening_date: str
    slots: int
    enrolled: int
    vacancies: int
    slot_groups: list[SlotGroupOut]
    lat: float | None
    lon: float | None
    credit_code: str
    quality: QualityOut


class PublicCountyOut(BaseModel):
    region: str
    name: str
    facilities: list[PublicFacilityOut]
    slots: int
    vacancies: int
    inclusive_slots: int


class PublicListingOut(BaseModel):
    as_of: str
    region: str | None
    counties: list[PublicCountyOut]
