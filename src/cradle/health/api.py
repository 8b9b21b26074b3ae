"""JSON API under /api/v1/health: thin routes over the domain's service functions. Refusals are
`cradle.errors` errors, answered by the app's one handler; who may call what is said in `cradle.health.access`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import require
from cradle.health import (
    access,
    aggregates,
    cases,
    deaths,
    export,
    guidance,
    indicators,
    interviews,
    offers,
    pregnancies,
    screenings,
    warnings,
)
from cradle.health.schemas import (
    AssessmentIn,
    AssessmentRecorded,
    AssignIn,
    BookIn,
    BookingsOut,
    CaseDetailOut,
    CaseOut,
    CasesOut,
    ChildIn,
    ChildrenOut,
    CloseIn,
    DeathIn,
    DeathOut,
    DeathsOut,
    DeliveryIn,
    FollowUpIn,
    GuidanceDoneIn,
    GuidanceOut,
    IndicatorsOut,
    InfectionIn,
    InterviewIn,
    InterviewsOut,
    OfferOut,
    OffersOut,
    PostpartumIn,
    PregnanciesOut,
    PregnancyIn,
    PregnancyOut,
    Recorded,
    ReferralIn,
    RescueIn,
    ReviewIn,
    VisitIn,
    WarningsOut,
    WomenIn,
    WomenOut,
)
from cradle.web.i18n import LOCALES
from cradle.web.session import RequestSession

# a calendar year the records can hold (an out-of-range year is refused naming it, never a date overflow)
Year = Annotated[int, Query(ge=1900, le=2100)]

router = APIRouter(prefix="/api/v1/health", tags=["health"])
Reader = Annotated[Actor, Depends(require(*access.READERS))]
Worker = Annotated[Actor, Depends(require(*access.WORKERS))]
Reviewer = Annotated[Actor, Depends(require(*access.REVIEWERS))]
Guide = Annotated[Actor, Depends(require(*access.GUIDES))]
OfferHolder = Annotated[Actor, Depends(require(roles.CITIZEN, *access.WORKERS))]


def _data(body) -> dict:
    return body.model_dump(exclude_none=True)


def _pregnancy(detail: dict) -> dict:
    p = detail["pregnancy"]
    return {
        **{c: getattr(p, c) for c in PregnancyOut.model_fields if hasattr(p, c)},
        "checks": detail["checks"],
        "visits": detail["visits"],
        "assessments": detail["assessments"],
        "delivery": detail["delivery"],
        "infections": detail["infections"],
        "rescues": detail["rescues"],
        "case": detail["case"],
    }


@router.get("/pregnancies", response_model=PregnanciesOut)
def list_pregnancies(db: RequestSession, actor: Reader, status: str | None = None) -> dict:
    return {"pregnancies": pregnancies.listing(db, actor, status)}


@router.post("/pregnancies", status_code=201, response_model=PregnancyOut)
def file_pregnancy(body: PregnancyIn, db: RequestSession, actor: Worker) -> dict:
    row = pregnancies.file(db, actor, _data(body))
    return _pregnancy(pregnancies.detail(db, actor, row.pregnancy_no))


@router.get("/pregnancies/{pregnancy_no}", response_model=PregnancyOut)
def get_pregnancy(pregnancy_no: str, db: RequestSession, actor: Worker) -> dict:
    return _pregnancy(pregnancies.detail(db, actor, pregnancy_no))


@router.post("/pregnancies/{pregnancy_no}/visits", status_code=201, response_model=Recorded)
def add_visit(pregnancy_no: str, body: VisitIn, db: RequestSession, actor: Worker) -> dict:
    return {"id": pregnancies.visit(db, actor, pregnancy_no, _data(body)).id, "kind": "antenatal"}


@router.post("/pregnancies/{pregnancy_no}/assessments", status_code=201, response_model=AssessmentRecorded)
def add_assessment(pregnancy_no: str, body: AssessmentIn, db: RequestSession, actor: Worker) -> dict:
    row = pregnancies.assess(db, actor, pregnancy_no, _data(body))
    return {"id": row.id, "grade": row.grade, "case": pregnancies.detail(db, actor, pregnancy_no)["case"]}


@router.post("/pregnancies/{pregnancy_no}/delivery", status_code=201, response_model=Recorded)
def add_delivery(pregnancy_no: str, body: DeliveryIn, db: RequestSession, actor: Worker) -> dict:
    return {"id": pregnancies.deliver(db, actor, pregnancy_no, _data(body)).id, "kind": "delivery"}


@router.post("/pregnancies/{pregnancy_no}/postpartum", status_code=201, response_model=Recorded)
def add_postpartum(pregnancy_no: str, body: PostpartumIn, db: RequestSession, actor: Worker) -> dict:
    return {"id": pregnancies.postpartum(db, actor, pregnancy_no, _data(body)).id, "kind": "postpartum"}


@router.post("/pregnancies/{pregnancy_no}/infections", status_code=201, response_model=Recorded)
def add_infection(pregnancy_no: str, body: InfectionIn, db: RequestSession, actor: Worker) -> dict:
    row = pregnancies.infection(db, actor, pregnancy_no, _data(body))
    return {"id": row.id, "kind": row.kind}


@router.post("/pregnancies/{pregnancy_no}/rescues", status_code=201, response_model=Recorded)
def add_rescue(pregnancy_no: str, body: RescueIn, db: RequestSession, actor: Worker) -> dict:
    return {"id": pregnancies.rescue(db, actor, pregnancy_no, _data(body)).id, "kind": "rescue"}


@router.get("/cases", response_model=CasesOut)
def list_cases(db: RequestSession, actor: Reader, overdue: bool = False) -> dict:
    return {"cases": cases.listing(db, actor, overdue_only=overdue)}


def _case(db, actor, case_id: int) -> dict:
    d = cases.detail(db, actor, case_id)
    return {
        "case": d["case"],
        "name": d["pregnancy"].name,
        "id_number": d["pregnancy"].id_number,
        "follow_ups": d["follow_ups"],
        "referrals": d["referrals"],
    }


@router.get("/cases/{case_id}", response_model=CaseDetailOut)
def get_case(case_id: int, db: RequestSession, actor: Worker) -> dict:
    return _case(db, actor, case_id)


@router.post("/cases/{case_id}/assign", response_model=CaseOut)
def assign_case(case_id: int, body: AssignIn, db: RequestSession, actor: Worker):
    return cases.assign(db, actor, case_id, _data(body))


@router.post("/cases/{case_id}/followups", status_code=201, response_model=CaseDetailOut)
def add_follow_up(case_id: int, body: FollowUpIn, db: RequestSession, actor: Worker) -> dict:
    cases.follow_up(db, actor, case_id, _data(body))
    return _case(db, actor, case_id)


@router.post("/cases/{case_id}/referrals", status_code=201, response_model=CaseDetailOut)
def add_referral(case_id: int, body: ReferralIn, db: RequestSession, actor: Worker) -> dict:
    cases.refer(db, actor, case_id, _data(body))
    return _case(db, actor, case_id)


@router.post("/cases/{case_id}/close", response_model=CaseOut)
def close_case(case_id: int, body: CloseIn, db: RequestSession, actor: Worker):
    return cases.close(db, actor, case_id, _data(body))


@router.get("/children", response_model=ChildrenOut)
def list_children(db: RequestSession, actor: Reader, kind: str | None = None) -> dict:
    return {"records": screenings.children(db, actor, kind)}


@router.post("/children", status_code=201, response_model=Recorded)
def add_child_record(body: ChildIn, db: RequestSession, actor: Worker) -> dict:
    row = screenings.record_child(db, actor, _data(body))
    return {"id": row.id, "kind": row.kind}


@router.get("/women", response_model=WomenOut)
def list_women(db: RequestSession, actor: Reader, kind: str | None = None) -> dict:
    return {"records": screenings.women(db, actor, kind)}


@router.post("/women", status_code=201, response_model=Recorded)
def add_women_record(body: WomenIn, db: RequestSession, actor: Worker) -> dict:
    row = screenings.record_women(db, actor, _data(body))
    return {"id": row.id, "kind": row.kind}


@router.get("/deaths", response_model=DeathsOut)
def list_deaths(db: RequestSession, actor: Reader, status: str | None = None) -> dict:
    return {"deaths": deaths.listing(db, actor, status)}


@router.post("/deaths", status_code=201, response_model=DeathOut)
def report_death(body: DeathIn, db: RequestSession, actor: Worker):
    return deaths.report(db, actor, _data(body))


@router.get("/deaths/{death_id}", response_model=DeathOut)
def get_death(
    death_id: int,
    db: RequestSession,
    actor: Annotated[Actor, Depends(require(*access.WORKERS, *access.REVIEWERS))],
):
    return deaths.detail(db, actor, death_id)


@router.post("/deaths/{death_id}/review", response_model=DeathOut)
def review_death(death_id: int, body: ReviewIn, db: RequestSession, actor: Reviewer):
    return deaths.review(db, actor, death_id, _data(body))


@router.get("/interviews", response_model=InterviewsOut)
def list_interviews(
    db: RequestSession, actor: Annotated[Actor, Depends(require(*access.OFFICIALS))], year: Year
) -> dict:
    listed = interviews.for_actor(db, actor, year)
    return {"year": year, "institutions": [item.__dict__ for item in listed]}


@router.post("/interviews", status_code=201, response_model=Recorded)
def hold_interview(body: InterviewIn, db: RequestSession, actor: Reviewer) -> dict:
    data = _data(body)
    row = interviews.hold(db, actor, data.pop("institution_code"), data.pop("year"), data)
    return {"id": row.id, "kind": "interview"}


@router.get("/offers", response_model=OffersOut | BookingsOut)
def list_offers(db: RequestSession, actor: OfferHolder, status: str | None = "booked") -> dict:
    if actor.role == roles.CITIZEN:
        return {"offers": [OfferOut.model_validate(o) for o in offers.mine(db, actor)]}
    return {"offers": offers.at_institution(db, actor, status)}


@router.post("/offers/{offer_id}/book", response_model=OfferOut)
def book_offer(offer_id: int, body: BookIn, db: RequestSession, actor: OfferHolder):
    return offers.book(db, actor, offer_id, _data(body))


@router.post("/offers/{offer_id}/decline", response_model=OfferOut)
def decline_offer(offer_id: int, db: RequestSession, actor: OfferHolder):
    return offers.decline(db, actor, offer_id)


@router.get("/guidance", response_model=GuidanceOut)
def list_guidance(db: RequestSession, actor: Guide, status: str | None = "open") -> dict:
    return {"follow_ups": guidance.listing(db, actor, status)}


@router.post("/guidance/{guidance_id}/done", response_model=Recorded)
def guidance_done(guidance_id: int, body: GuidanceDoneIn, db: RequestSession, actor: Guide) -> dict:
    return {"id": guidance.done(db, actor, guidance_id, _data(body)).id, "kind": "guidance"}


@router.get("/warnings", response_model=WarningsOut)
def list_warnings(request: Request, db: RequestSession, actor: Reader) -> dict:
    locale = getattr(request.state, "locale", LOCALES[0])
    return {
        "warnings": [
            {"kind": w.kind, "subject": w.subject, "link": w.link, "message": w.text(locale)}
            for w in warnings.for_actor(db, actor)
        ]
    }


@router.get("/indicators", response_model=IndicatorsOut)
def list_indicators(
    db: RequestSession, actor: Annotated[Actor, Depends(require(*access.OFFICIALS))], region: str, year: Year
) -> dict:
    access.check_region(actor, region[:6], region if len(region) == 9 else None)
    values = aggregates.compute(db, region, year, dt.date.today())
    return {
        "region": region,
        "year": year,
        "indicators": [
            {
                "indicator": key,
                "value": v,
                "numerator": n,
                "denominator": d,
                "definition_numerator": indicators.DEFINITIONS[key].numerator,
                "definition_denominator": indicators.DEFINITIONS[key].denominator,
            }
            for key, (v, n, d) in values.items()
        ],
    }


@router.get("/export.csv", response_class=Response)
def export_csv(db: RequestSession, actor: Reader, kind: str = "pregnancies") -> Response:
    return Response(
        export.csv_text(db, actor, kind),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="health_{kind}.csv"'},
    )
