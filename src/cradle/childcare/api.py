"""JSON API under /api/v1/childcare: operators (registration, 备案, roster, vacancies), officials (queues,
inspections, grades, credit, capacity, subsidies) and the public (open listing and map). Thin routes over the
service modules; refusals are `cradle.errors` errors, answered by the app's one handler."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from cradle.auth.actor import Actor
from cradle.childcare import capacity, disclosure, enrolment, filing, inspections, subsidies
from cradle.childcare.deps import ApiCaller, ApiScope, subsidy_payer, today
from cradle.childcare.facilities import (
    facility_dict,
    get_facility,
    list_facilities,
    register_facility,
    update_facility,
)
from cradle.childcare.feeds import care_of_child
from cradle.childcare.places import is_within
from cradle.childcare.schemas import (
    ApplicationOut,
    ApplicationsOut,
    CapacityOut,
    CareOut,
    ChecksIn,
    CoverageOut,
    CreditIn,
    CreditOut,
    EnrolIn,
    EnrolmentOut,
    FacilitiesOut,
    FacilityDetailOut,
    FacilityIn,
    FacilityShownOut,
    FilingActionIn,
    FilingIn,
    FilingOut,
    FilingsOut,
    FindingOut,
    FollowUpIn,
    GradeIn,
    GradeOut,
    InspectionIn,
    InspectionRecordedOut,
    InspectionsOut,
    LeaveIn,
    OverdueOut,
    PaymentDeskOut,
    PaymentIn,
    PublicListingOut,
    ResidentialOut,
    RosterOut,
    StationsOut,
    SubsidyActionIn,
    SubsidyIn,
)
from cradle.childcare.subsidy_desk import describe, register_and_describe
from cradle.errors import N_, DomainError, Invalid
from cradle.services import idempotency
from cradle.web.errors import refuse
from cradle.web.session import RequestSession

router = APIRouter(prefix="/api/v1/childcare", tags=["childcare"])


def _sent(body) -> dict:
    """The body as the client sent it (fields left out stay out: the domain tells missing from empty)."""
    return body.model_dump(exclude_unset=True)


# --- facilities -------------------------------------------------------------------------------------------
@router.get("/facilities", response_model=FacilitiesOut)
def facilities(
    session: RequestSession,
    scope: ApiScope,
    region: str | None = None,
    on: str | None = None,
    filed_only: bool = False,
):
    day = today(on)
    rows = list_facilities(session, region=region, scope=scope, filed_only=filed_only, on=day)
    return {"as_of": day.isoformat(), "facilities": [facility_dict(session, f, day) for f in rows]}


@router.post("/facilities", status_code=201, response_model=FacilityDetailOut)
def create_facility(session: RequestSession, scope: ApiScope, body: FacilityIn):
    return facility_dict(session, register_facility(session, _sent(body), scope=scope), detail=True)


@router.get("/facilities/{facility_id}", response_model=FacilityShownOut)
def show_facility(facility_id: int, session: RequestSession, scope: ApiScope, on: str | None = None):
    day = today(on)
    f = get_facility(session, facility_id, scope)
    return {
        **facility_dict(session, f, day, detail=True),
        "quality": inspections.quality_summary(session, f.id, day),
    }


@router.put("/facilities/{facility_id}", response_model=FacilityDetailOut)
def replace_facility(facility_id: int, session: RequestSession, scope: ApiScope, body: FacilityIn):
    return facility_dict(
        session, update_facility(session, facility_id, _sent(body), scope=scope), detail=True
    )


# --- 备案 -----------------------------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/filings", status_code=201, response_model=FilingOut)
def file_facility(
    facility_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: FilingIn | None = None
):
    submit = body.submit if body is not None else True
    f = filing.open_filing(session, facility_id, scope=scope, actor=who.ref, role=who.role, submit=submit)
    return filing.filing_dict(session, f)


@router.get("/filings", response_model=FilingsOut)
def filing_queue(
    session: RequestSession, scope: ApiScope, status: Annotated[list[str] | None, Query()] = None
):
    statuses = tuple(status) if status else ("submitted", "complete")
    return {"filings": [filing.filing_dict(session, f) for f in filing.queue(session, scope, statuses)]}


@router.get("/filings/{filing_id}", response_model=FilingOut)
def show_filing(filing_id: int, session: RequestSession, scope: ApiScope):
    return filing.filing_dict(session, filing.get_filing(session, filing_id, scope))


@router.post("/filings/{filing_id}/checks", response_model=FilingOut)
def filing_checks(filing_id: int, session: RequestSession, scope: ApiScope, body: ChecksIn):
    return filing.filing_dict(session, filing.record_checks(session, filing_id, _sent(body), scope))


@router.post("/filings/{filing_id}/transitions", response_model=FilingOut)
def filing_transition(
    filing_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: FilingActionIn
):
    f = filing.transition(
        session, filing_id, str(body.action), actor=who.ref, role=who.role, note=body.note, scope=scope
    )
    return filing.filing_dict(session, f)


# --- enrolment ---------------------------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/enrolments", status_code=201, response_model=EnrolmentOut)
def enrol_child(facility_id: int, session: RequestSession, scope: ApiScope, body: EnrolIn):
    return enrolment.enrolment_dict(enrolment.enrol(session, facility_id, _sent(body), scope))


@router.post("/enrolments/{enrolment_id}/leave", response_model=EnrolmentOut)
def leave_facility(enrolment_id: int, session: RequestSession, scope: ApiScope, body: LeaveIn):
    return enrolment.enrolment_dict(enrolment.leave(session, enrolment_id, body.end_on, body.reason, scope))


@router.get("/facilities/{facility_id}/roster", response_model=RosterOut)
def facility_roster(
    facility_id: int,
    session: RequestSession,
    scope: ApiScope,
    on: str | None = None,
    include_past: bool = False,
):
    day = today(on)
    return {
        "as_of": day.isoformat(),
        "children": enrolment.roster(session, facility_id, day, scope, include_past),
    }


@router.get("/care", response_model=CareOut)
def child_care(session: RequestSession, scope: ApiScope, id_number: str, on: str | None = None):
    """The household input's `care` object for a child on a day (for the policy engine); a child cared for
    outside the caller's scope is answered as not known (null)."""
    care = care_of_child(session, id_number, today(on))
    if care is not None and not is_within(get_facility(session, care["facility_id"]).region_code, scope):
        care = None
    return {"care": care}


# --- inspections, quality, credit -------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/inspections", status_code=201, response_model=InspectionRecordedOut)
def add_inspection(
    facility_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: InspectionIn
):
    ins = inspections.record_inspection(session, facility_id, _sent(body), scope, recorded_by=who.ref)
    return {"id": ins.id, "findings": [inspections.finding_dict(f) for f in ins.findings]}


@router.get("/facilities/{facility_id}/inspections", response_model=InspectionsOut)
def list_inspections(facility_id: int, session: RequestSession, scope: ApiScope):
    return {"inspections": inspections.inspections_of(session, facility_id, scope)}


@router.post("/findings/{finding_id}/followups", response_model=FindingOut)
def add_followup(finding_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: FollowUpIn):
    followed = inspections.record_followup(session, finding_id, _sent(body), scope, recorded_by=who.ref)
    return inspections.finding_dict(followed)


@router.get("/overdue", response_model=OverdueOut)
def overdue_corrections(session: RequestSession, scope: ApiScope, on: str | None = None):
    day = today(on)
    return {"as_of": day.isoformat(), "facilities": inspections.overdue(session, day, scope)}


@router.post("/facilities/{facility_id}/grades", status_code=201, response_model=GradeOut)
def add_grade(facility_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: GradeIn):
    g = inspections.set_grade(
        session,
        facility_id,
        body.grade,
        body.assessed_on,
        body.assessor or "",
        body.note,
        scope,
        recorded_by=who.ref,
    )
    return {"id": g.id, "grade": g.grade, "assessed_on": g.assessed_on.isoformat()}


@router.post("/facilities/{facility_id}/credit", status_code=201, response_model=CreditOut)
def add_credit(facility_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: CreditIn):
    r = inspections.add_credit_record(session, facility_id, _sent(body), scope, recorded_by=who.ref)
    return {"id": r.id, "list_type": r.list_type, "start_on": r.start_on.isoformat()}


# --- capacity -----------------------------------------------------------------------------------------------
# Rows and rules carry some keys only when they apply (a shortfall needs a target; a centre, a rule asking for one)
@router.get("/capacity", response_model=CapacityOut, response_model_exclude_unset=True)
def capacity_of(session: RequestSession, scope: ApiScope, region: str, on: str | None = None):
    return capacity.capacity_report(session, region, today(on), scope)


@router.get("/coverage", response_model=CoverageOut, response_model_exclude_unset=True)
def coverage_of(session: RequestSession, scope: ApiScope, region: str, on: str | None = None):
    return capacity.coverage(session, region, today(on), scope)


@router.get("/stations", response_model=StationsOut)
def stations_of(
    session: RequestSession, scope: ApiScope, region: str, communities_total: int, on: str | None = None
):
    return capacity.station_coverage(session, region, communities_total, today(on), scope)


@router.get("/residential-requirement", response_model=ResidentialOut, response_model_exclude_unset=True)
def residential(region: str, planned_population: int, existing: bool = False):
    return capacity.residential_requirement(region, planned_population, existing)


# --- facility subsidies ------------------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/subsidies", status_code=201, response_model=ApplicationOut)
def apply_subsidy(
    facility_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: SubsidyIn
):
    app = subsidies.apply(session, facility_id, str(body.program), today(body.on), scope, actor=who)
    return subsidies.application_dict(session, app)


@router.get("/subsidies", response_model=ApplicationsOut)
def subsidy_queue(
    session: RequestSession, scope: ApiScope, status: str | None = None, facility_id: int | None = None
):
    rows = subsidies.applications(session, scope, status, facility_id)
    return {"applications": [subsidies.application_dict(session, a) for a in rows]}


@router.post("/subsidies/{application_id}/transitions", response_model=ApplicationOut)
def subsidy_transition(
    application_id: int, session: RequestSession, scope: ApiScope, who: ApiCaller, body: SubsidyActionIn
):
    action = str(body.action)
    if action == "pay":  # only the bank's return marks a subsidy paid (subsidy_payments.settle)
        raise Invalid(
            "action",
            N_(
                "Subsidies through the one-card account are marked paid by the bank return; register the payment first"
            ),
        )
    app = subsidies.transition(
        session, application_id, action, today(body.on), note=body.note, scope=scope, actor=who
    )
    return subsidies.application_dict(session, app)


@router.get("/subsidies/{application_id}/payment", response_model=PaymentDeskOut)
def subsidy_payment(application_id: int, session: RequestSession, scope: ApiScope):
    return describe(session, application_id, scope)


@router.post("/subsidies/{application_id}/payment", status_code=201, response_model=PaymentDeskOut)
def register_subsidy_payment(
    application_id: int,
    request: Request,
    scope: ApiScope,
    who: Annotated[Actor, Depends(subsidy_payer)],
    body: PaymentIn,
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Send an approved (payable) subsidy to the county's one-off payment batch, paid to the facility's account.
    Takes an `Idempotency-Key` like the services API: a replay gets the stored answer and changes nothing."""
    fields = {"account_no": body.account_no, "bank_code": body.bank_code, "account_name": body.account_name}
    try:
        status, answer, replayed = idempotency.run(
            getattr(request.app.state, "database_url", None),
            who,
            key,
            {"application_id": application_id, **fields},
            lambda s: (201, register_and_describe(s, who, application_id, fields, scope)),
        )
    except DomainError as exc:
        refuse(exc.status, [exc.as_dict()])
    return JSONResponse(
        status_code=status, content=answer, headers={"Idempotent-Replayed": str(replayed).lower()}
    )


# --- public (信息公示) --------------------------------------------------------------------------------------
@router.get("/public/facilities", response_model=PublicListingOut)
def public_facilities(session: RequestSession, region: str | None = None, on: str | None = None):
    return disclosure.public_listing(session, today(on), region)


@router.get("/public/map.svg", response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def public_map(session: RequestSession, region: str | None = None, on: str | None = None) -> Response:
    svg = disclosure.map_svg(disclosure.public_listing(session, today(on), region))
    return Response(svg, media_type="image/svg+xml")
