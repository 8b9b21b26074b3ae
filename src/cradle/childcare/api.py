"""JSON API under /api/v1/childcare: operators (registration, 备案, roster, vacancies), officials (queues,
inspections, grades, credit, capacity, subsidies) and the public (open listing and map)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from cradle.childcare import capacity, disclosure, enrolment, filing, inspections, subsidies
from cradle.childcare.deps import (
    DOMAIN_ERRORS,
    as_http,
    caller,
    caller_scope,
    domain_errors,
    subsidy_payer,
    today,
)
from cradle.childcare.errors import ChildcareError
from cradle.childcare.facilities import (
    facility_dict,
    get_facility,
    list_facilities,
    register_facility,
    update_facility,
)
from cradle.childcare.feeds import care_of_child
from cradle.db import RequestSession
from cradle.web.errors import refuse

router = APIRouter(prefix="/api/v1/childcare", tags=["childcare"])

ScopeDep = Annotated[str | None, Depends(caller_scope)]
CallerDep = Annotated[object, Depends(caller)]  # who did the step: the signed-in account, never a body field
JsonBody = Annotated[dict, Body()]


# --- facilities -------------------------------------------------------------------------------------------
@router.get("/facilities")
def facilities(
    session: RequestSession,
    scope: ScopeDep,
    region: str | None = None,
    on: str | None = None,
    filed_only: bool = False,
) -> dict:
    day = today(on)
    with domain_errors():
        rows = list_facilities(session, region=region, scope=scope, filed_only=filed_only, on=day)
        return {"as_of": day.isoformat(), "facilities": [facility_dict(session, f, day) for f in rows]}


@router.post("/facilities", status_code=201)
def create_facility(session: RequestSession, scope: ScopeDep, data: JsonBody) -> dict:
    with domain_errors():
        return facility_dict(session, register_facility(session, data, scope=scope), detail=True)


@router.get("/facilities/{facility_id}")
def show_facility(facility_id: int, session: RequestSession, scope: ScopeDep, on: str | None = None) -> dict:
    day = today(on)
    with domain_errors():
        f = get_facility(session, facility_id, scope)
        return {
            **facility_dict(session, f, day, detail=True),
            "quality": inspections.quality_summary(session, f.id, day),
        }


@router.put("/facilities/{facility_id}")
def replace_facility(facility_id: int, session: RequestSession, scope: ScopeDep, data: JsonBody) -> dict:
    with domain_errors():
        return facility_dict(session, update_facility(session, facility_id, data, scope=scope), detail=True)


# --- 备案 -----------------------------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/filings", status_code=201)
def file_facility(
    facility_id: int,
    session: RequestSession,
    scope: ScopeDep,
    who: CallerDep,
    data: Annotated[dict | None, Body()] = None,
) -> dict:
    data = data or {}
    with domain_errors():
        f = filing.open_filing(
            session, facility_id, scope=scope, actor=who.ref, role=who.role, submit=data.get("submit", True)
        )
        return filing.filing_dict(session, f)


@router.get("/filings")
def filing_queue(
    session: RequestSession, scope: ScopeDep, status: Annotated[list[str] | None, Query()] = None
) -> dict:
    statuses = tuple(status) if status else ("submitted", "complete")
    with domain_errors():
        return {"filings": [filing.filing_dict(session, f) for f in filing.queue(session, scope, statuses)]}


@router.get("/filings/{filing_id}")
def show_filing(filing_id: int, session: RequestSession, scope: ScopeDep) -> dict:
    with domain_errors():
        return filing.filing_dict(session, filing.get_filing(session, filing_id, scope))


@router.post("/filings/{filing_id}/checks")
def filing_checks(filing_id: int, session: RequestSession, scope: ScopeDep, data: JsonBody) -> dict:
    with domain_errors():
        return filing.filing_dict(session, filing.record_checks(session, filing_id, data, scope))


@router.post("/filings/{filing_id}/transitions")
def filing_transition(
    filing_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        f = filing.transition(
            session,
            filing_id,
            str(data.get("action")),
            actor=who.ref,
            role=who.role,
            note=data.get("note"),
            scope=scope,
        )
        return filing.filing_dict(session, f)


# --- enrolment ---------------------------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/enrolments", status_code=201)
def enrol_child(facility_id: int, session: RequestSession, scope: ScopeDep, data: JsonBody) -> dict:
    with domain_errors():
        return enrolment.enrolment_dict(enrolment.enrol(session, facility_id, data, scope))


@router.post("/enrolments/{enrolment_id}/leave")
def leave_facility(enrolment_id: int, session: RequestSession, scope: ScopeDep, data: JsonBody) -> dict:
    with domain_errors():
        e = enrolment.leave(session, enrolment_id, data.get("end_on"), data.get("reason"), scope)
        return enrolment.enrolment_dict(e)


@router.get("/facilities/{facility_id}/roster")
def facility_roster(
    facility_id: int,
    session: RequestSession,
    scope: ScopeDep,
    on: str | None = None,
    include_past: bool = False,
) -> dict:
    day = today(on)
    with domain_errors():
        return {
            "as_of": day.isoformat(),
            "children": enrolment.roster(session, facility_id, day, scope, include_past),
        }


@router.get("/care")
def child_care(session: RequestSession, scope: ScopeDep, id_number: str, on: str | None = None) -> dict:
    """The household input's `care` object for a child on a day (for the policy engine); a child cared for
    outside the caller's scope is answered as not known (null)."""
    from cradle.childcare.places import is_within

    care = care_of_child(session, id_number, today(on))
    if care is not None and not is_within(get_facility(session, care["facility_id"]).region_code, scope):
        care = None
    return {"care": care}


# --- inspections, quality, credit -------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/inspections", status_code=201)
def add_inspection(
    facility_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        ins = inspections.record_inspection(session, facility_id, data, scope, recorded_by=who.ref)
        return {"id": ins.id, "findings": [inspections.finding_dict(f) for f in ins.findings]}


@router.get("/facilities/{facility_id}/inspections")
def list_inspections(facility_id: int, session: RequestSession, scope: ScopeDep) -> dict:
    with domain_errors():
        return {"inspections": inspections.inspections_of(session, facility_id, scope)}


@router.post("/findings/{finding_id}/followups")
def add_followup(
    finding_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        return inspections.finding_dict(
            inspections.record_followup(session, finding_id, data, scope, recorded_by=who.ref)
        )


@router.get("/overdue")
def overdue_corrections(session: RequestSession, scope: ScopeDep, on: str | None = None) -> dict:
    day = today(on)
    return {"as_of": day.isoformat(), "facilities": inspections.overdue(session, day, scope)}


@router.post("/facilities/{facility_id}/grades", status_code=201)
def add_grade(
    facility_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        g = inspections.set_grade(
            session,
            facility_id,
            data.get("grade"),
            data.get("assessed_on"),
            data.get("assessor") or "",
            data.get("note"),
            scope,
            recorded_by=who.ref,
        )
        return {"id": g.id, "grade": g.grade, "assessed_on": g.assessed_on.isoformat()}


@router.post("/facilities/{facility_id}/credit", status_code=201)
def add_credit(
    facility_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        r = inspections.add_credit_record(session, facility_id, data, scope, recorded_by=who.ref)
        return {"id": r.id, "list_type": r.list_type, "start_on": r.start_on.isoformat()}


# --- capacity -----------------------------------------------------------------------------------------------
@router.get("/capacity")
def capacity_of(session: RequestSession, scope: ScopeDep, region: str, on: str | None = None) -> dict:
    with domain_errors():
        return capacity.capacity_report(session, region, today(on), scope)


@router.get("/coverage")
def coverage_of(session: RequestSession, scope: ScopeDep, region: str, on: str | None = None) -> dict:
    with domain_errors():
        return capacity.coverage(session, region, today(on), scope)


@router.get("/stations")
def stations_of(
    session: RequestSession, scope: ScopeDep, region: str, communities_total: int, on: str | None = None
) -> dict:
    with domain_errors():
        return capacity.station_coverage(session, region, communities_total, today(on), scope)


@router.get("/residential-requirement")
def residential(region: str, planned_population: int, existing: bool = False) -> dict:
    with domain_errors():
        return capacity.residential_requirement(region, planned_population, existing)


# --- facility subsidies ------------------------------------------------------------------------------------
@router.post("/facilities/{facility_id}/subsidies", status_code=201)
def apply_subsidy(
    facility_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        app = subsidies.apply(
            session, facility_id, str(data.get("program")), today(data.get("on")), scope, actor=who
        )
        return subsidies.application_dict(session, app)


@router.get("/subsidies")
def subsidy_queue(
    session: RequestSession, scope: ScopeDep, status: str | None = None, facility_id: int | None = None
) -> dict:
    rows = subsidies.applications(session, scope, status, facility_id)
    return {"applications": [subsidies.application_dict(session, a) for a in rows]}


@router.post("/subsidies/{application_id}/transitions")
def subsidy_transition(
    application_id: int, session: RequestSession, scope: ScopeDep, who: CallerDep, data: JsonBody
) -> dict:
    with domain_errors():
        action = str(data.get("action"))
        if action == "pay":  # only the bank's return marks a subsidy paid (subsidy_payments.settle)
            raise ChildcareError("action", "补助经一卡通发放，由银行回盘标记已支付；请先登记发放")
        app = subsidies.transition(
            session,
            application_id,
            action,
            today(data.get("on")),
            note=data.get("note"),
            scope=scope,
            actor=who,
        )
        return subsidies.application_dict(session, app)


@router.get("/subsidies/{application_id}/payment")
def subsidy_payment(application_id: int, session: RequestSession, scope: ScopeDep) -> dict:
    from cradle.childcare.subsidy_desk import describe

    with domain_errors():
        return describe(session, application_id, scope)


@router.post("/subsidies/{application_id}/payment", status_code=201)
def register_subsidy_payment(
    application_id: int,
    request: Request,
    scope: ScopeDep,
    who: Annotated[object, Depends(subsidy_payer)],
    data: JsonBody,
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Send an approved (payable) subsidy to the county's one-off payment batch, paid to the facility's account.
    Takes an `Idempotency-Key` like the services API: a replay gets the stored answer and changes nothing."""
    from cradle.childcare.subsidy_desk import register_and_describe
    from cradle.errors import DomainError
    from cradle.services import idempotency

    fields = {k: data.get(k) for k in ("account_no", "bank_code", "account_name")}
    try:
        status, body, replayed = idempotency.run(
            getattr(request.app.state, "database_url", None),
            who,
            key,
            {"application_id": application_id, **fields},
            lambda s: (201, register_and_describe(s, who, application_id, fields, scope)),
        )
    except DomainError as exc:
        refuse(exc.status, [exc.as_dict()])
    except DOMAIN_ERRORS as exc:
        raise as_http(exc) from None
    return JSONResponse(
        status_code=status, content=body, headers={"Idempotent-Replayed": str(replayed).lower()}
    )


# --- public (信息公示) --------------------------------------------------------------------------------------
@router.get("/public/facilities")
def public_facilities(session: RequestSession, region: str | None = None, on: str | None = None) -> dict:
    with domain_errors():
        return disclosure.public_listing(session, today(on), region)


@router.get("/public/map.svg")
def public_map(session: RequestSession, region: str | None = None, on: str | None = None) -> Response:
    with domain_errors():
        svg = disclosure.map_svg(disclosure.public_listing(session, today(on), region))
    return Response(svg, media_type="image/svg+xml")
