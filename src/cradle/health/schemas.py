"""Request and response bodies of the 妇幼 API (`/api/v1/health`), as `/docs` shows them. Codes are those of
`cradle.health.vocab` (grade: green | yellow | orange | red | purple, …)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# -- requests -----------------------------------------------------------------------------------------------------
class PregnancyIn(Body):
    pregnancy_no: str
    id_number: str
    name: str
    filed_on: dt.date
    weeks: int
    edd: dt.date | None = None
    town: str | None = None


class OnPregnancy(Body):
    """A record on a pregnancy; `id_number` (the woman's) when the institution does not hold it yet."""

    id_number: str | None = None


class VisitIn(OnPregnancy):
    visited_on: dt.date
    weeks: int | None = None


class PostpartumIn(OnPregnancy):
    visited_on: dt.date


class AssessmentIn(OnPregnancy):
    grade: str
    assessed_on: dt.date
    factors: str | None = None


class DeliveryIn(OnPregnancy):
    delivered_on: dt.date
    live_births: int
    stillbirths: int | None = None
    mode: str | None = None
    weeks: int | None = None
    new_method: bool = True


class InfectionIn(OnPregnancy):
    kind: str  # test | treat | child
    recorded_on: dt.date
    hiv: str | None = None
    syphilis: str | None = None
    hbv: str | None = None
    infection: str | None = None
    result: str | None = None


class RescueIn(OnPregnancy):
    started_on: dt.date
    condition: str
    outcome: str


class AssignIn(Body):
    doctor: str
    plan: str | None = None


class FollowUpIn(Body):
    done_on: dt.date
    note: str | None = None


class ReferralIn(Body):
    to_institution: str
    referred_on: dt.date
    reason: str | None = None


class CloseIn(Body):
    reason: str
    closed_on: dt.date


class ChildIn(Body):
    kind: str  # metabolic | hearing | defect | visit
    id_number: str
    name: str
    recorded_on: dt.date
    result: str | None = None
    diagnosis: str | None = None
    town: str | None = None


class WomenIn(Body):
    kind: str  # premarital | preconception | cervical | breast | hpv
    id_number: str
    name: str
    served_on: dt.date
    result: str | None = None
    dose: int | None = None
    town: str | None = None


class DeathIn(Body):
    kind: str  # maternal | child
    id_number: str
    name: str
    died_on: dt.date
    cause: str
    place: str | None = None
    pregnancy_no: str | None = None


class ReviewIn(Body):
    classification: str
    avoidable: str
    causes: str
    measures: str
    reviewed_on: dt.date


class InterviewIn(Body):
    institution_code: str
    year: int = Field(ge=1900, le=2100)
    held_on: dt.date
    note: str | None = None


class BookIn(Body):
    appointment_on: dt.date
    institution_code: str | None = None


class GuidanceDoneIn(Body):
    done_on: dt.date
    note: str


# -- answers ------------------------------------------------------------------------------------------------------
class Recorded(BaseModel):
    id: int
    kind: str


class PregnancyRow(BaseModel):
    pregnancy_no: str
    name: str
    id_number: str
    masked: bool
    filed_on: dt.date
    weeks_at_filing: int | None
    edd: dt.date | None
    status: str
    grade: str | None
    region: str
    institution_code: str


class PregnanciesOut(BaseModel):
    pregnancies: list[PregnancyRow]


class VisitOut(Out):
    kind: str
    visited_on: dt.date
    weeks: int | None
    institution_code: str


class AssessmentOut(Out):
    id: int
    assessed_on: dt.date
    grade: str
    factors: str | None
    institution_code: str


class DeliveryOut(Out):
    delivered_on: dt.date
    live_births: int
    stillbirths: int
    weeks: int | None
    mode: str | None
    new_method: bool
    institution_code: str


class InfectionOut(Out):
    kind: str
    recorded_on: dt.date
    hiv: str | None
    syphilis: str | None
    hbv: str | None
    infection: str | None
    result: str | None


class RescueOut(Out):
    started_on: dt.date
    condition: str
    outcome: str
    institution_code: str


class CaseOut(Out):
    id: int
    pregnancy_no: str
    grade: str
    status: str
    doctor: str | None
    plan: str | None
    opened_on: dt.date
    interval_days: int
    next_due: dt.date
    overdue_count: int
    closed_on: dt.date | None
    close_reason: str | None
    institution_code: str


class PregnancyOut(BaseModel):
    pregnancy_no: str
    name: str
    id_number: str
    birth_date: dt.date
    region: str
    town: str | None
    institution_code: str
    filed_on: dt.date
    weeks_at_filing: int | None
    edd: dt.date | None
    status: str
    checks: int
    visits: list[VisitOut]
    assessments: list[AssessmentOut]
    delivery: DeliveryOut | None
    infections: list[InfectionOut]
    rescues: list[RescueOut]
    case: CaseOut | None


class AssessmentRecorded(BaseModel):
    id: int
    grade: str
    case: CaseOut | None


class CaseRow(BaseModel):
    case_id: int
    pregnancy_no: str
    name: str
    id_number: str
    masked: bool
    grade: str
    status: str
    doctor: str | None
    opened_on: dt.date
    next_due: dt.date
    overdue_days: int
    institution_code: str
    region: str


class CasesOut(BaseModel):
    cases: list[CaseRow]


class FollowUpOut(Out):
    due_on: dt.date
    done_on: dt.date
    note: str | None


class ReferralOut(Out):
    to_institution_code: str
    referred_on: dt.date
    reason: str | None


class CaseDetailOut(BaseModel):
    case: CaseOut
    name: str
    id_number: str
    follow_ups: list[FollowUpOut]
    referrals: list[ReferralOut]


class ChildRow(BaseModel):
    record_id: int
    name: str
    id_number: str
    masked: bool
    kind: str
    recorded_on: dt.date
    birth_date: dt.date
    result: str | None
    institution_code: str


class ChildrenOut(BaseModel):
    records: list[ChildRow]


class WomenRow(BaseModel):
    record_id: int
    name: str
    id_number: str
    masked: bool
    kind: str
    served_on: dt.date
    result: str | None
    dose: int | None
    institution_code: str


class WomenOut(BaseModel):
    records: list[WomenRow]


class DeathRow(BaseModel):
    death_id: int
    name: str
    id_number: str
    masked: bool
    kind: str
    died_on: dt.date
    review_status: str
    institution_code: str
    region: str


class DeathsOut(BaseModel):
    deaths: list[DeathRow]


class DeathOut(Out):
    id: int
    kind: str
    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    died_on: dt.date
    cause: str
    place: str | None
    pregnancy_no: str | None
    region: str
    institution_code: str
    review_status: str
    review_class: str | None
    review_avoidable: str | None
    review_causes: str | None
    review_measures: str | None
    reviewed_on: dt.date | None


class ListedOut(BaseModel):
    institution_code: str
    name: str
    region: str
    reasons: dict[str, int]
    held_on: dt.date | None


class InterviewsOut(BaseModel):
    year: int
    institutions: list[ListedOut]


class OfferOut(Out):
    id: int
    name: str
    spouse_name: str
    kind: str
    status: str
    married_on: dt.date
    offered_on: dt.date
    institution_code: str | None
    appointment_on: dt.date | None


class OffersOut(BaseModel):
    offers: list[OfferOut]


class OfferRow(BaseModel):
    offer_id: int
    name: str
    id_number: str
    masked: bool
    kind: str
    status: str
    married_on: dt.date
    appointment_on: dt.date | None
    institution_code: str | None


class BookingsOut(BaseModel):
    offers: list[OfferRow]


class GuidanceRow(BaseModel):
    guidance_id: int
    registration_no: str
    name: str
    id_number: str
    town: str | None
    created_on: dt.date
    due_on: dt.date
    status: str
    overdue: bool


class GuidanceOut(BaseModel):
    follow_ups: list[GuidanceRow]


class WarningOut(BaseModel):
    kind: str
    subject: str
    link: str
    message: str


class WarningsOut(BaseModel):
    warnings: list[WarningOut]


class IndicatorOut(BaseModel):
    indicator: str
    value: float
    numerator: float
    denominator: float
    definition_numerator: str
    definition_denominator: str


class IndicatorsOut(BaseModel):
    region: str
    year: int
    indicators: list[IndicatorOut]
