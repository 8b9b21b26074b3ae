"""JSON API of the assistance cycle and the special families, under /api/v1/assistance/... Thin routes over the
service functions, which check each step's level and area; a region in the path is checked against the caller's
scope before anything is read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from cradle.assistance import access, cycle, families, payment, programs, report, sources
from cradle.assistance.schemas import (
    AccountsIn,
    CandidatesIn,
    ContactIn,
    ContactOut,
    ContractIn,
    CycleOut,
    DecisionIn,
    Done,
    EntryOut,
    FamilyOut,
    ManualIn,
    MineOut,
    ObjectionIn,
    ObjectionOut,
    PaidOut,
    PayIn,
    PriorityIn,
    PriorityOut,
    PublicizeIn,
    TaskOut,
    VisitIn,
)
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import out_of_scope, path_region, require
from cradle.errors import N_, Invalid
from cradle.web.session import RequestSession

router = APIRouter(prefix="/api/v1/assistance", tags=["assistance"])
LEVELS = (roles.VILLAGE, roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE)


def in_area(*allowed: str):
    """`require(*allowed)`, then the path's region inside the caller's area (a town official's is its county)."""
    base = require(*allowed)

    def dependency(request: Request) -> Actor:
        actor = base(request)
        region = path_region()(request)
        desk = actor.role == roles.DEPT and actor.county == region  # a department's own tasks
        if not (access.may_read(actor, region) or desk):
            raise out_of_scope("region", region)
        return actor

    dependency.allowed_roles = allowed
    return dependency


Official = Annotated[Actor, Depends(in_area(*LEVELS))]
Staff = Annotated[Actor, Depends(require(*LEVELS, roles.DEPT))]
Hospital = Annotated[Actor, Depends(require(roles.HEALTH))]  # a hospital's account: the yes/no alone
HealthFeed = Annotated[Actor, Depends(require(roles.DEPT))]  # the 卫健 feed
Citizen = Annotated[Actor, Depends(require(roles.CITIZEN))]


def _date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(field, N_("Should be a date (YYYY-MM-DD)")) from None


def _status(db, actor: Actor, region: str, year: int) -> dict:
    """The cycle as the caller may see it: a village or town official, the own village's or town's part."""
    found = cycle.get_cycle(db, actor, region, year)
    return report.status(db, found, **access.area(actor, region))


@router.get("/cycles/{region}/{year}", response_model=CycleOut, summary="A county's cycle: state, 公示, list")
def get_cycle(region: str, year: int, db: RequestSession, actor: Official) -> dict:
    return _status(db, actor, region, year)


@router.post(
    "/cycles/{region}/{year}/candidates", response_model=CycleOut, summary="Find the year's candidates"
)
def post_candidates(region: str, year: int, body: CandidatesIn, db: RequestSession, actor: Official) -> dict:
    on = _date(body.as_of, "as_of") or dt.date(year, 1, 1)
    progs = {p.id for p in programs.for_county(region)}
    cycle.find_candidates(
        db,
        actor,
        region,
        year,
        sources.households(db, region, on),
        as_of=on,
        applications=sources.applications(db, progs, region),
    )
    return _status(db, actor, region, year)


@router.post(
    "/cycles/{region}/{year}/entries", response_model=EntryOut, status_code=201, summary="Add by hand"
)
def post_entry(region: str, year: int, body: ManualIn, db: RequestSession, actor: Official) -> dict:
    row = cycle.add_candidate(
        db,
        actor,
        region,
        year,
        program=body.program,
        household=body.household,
        beneficiary=body.beneficiary,
        town=body.town,
        account_no=body.account_no,
        bank_code=body.bank_code,
    )
    return report.entry_row(row)


@router.post(
    "/cycles/{region}/{year}/accounts", response_model=CycleOut, summary="The villages' account check"
)
def post_accounts(region: str, year: int, body: AccountsIn, db: RequestSession, actor: Official) -> dict:
    cycle.set_accounts(db, actor, region, year, [r.model_dump() for r in body.rows])
    return _status(db, actor, region, year)


@router.post("/cycles/{region}/{year}/publicize", response_model=CycleOut, summary="Post the list (公示)")
def post_publicize(region: str, year: int, body: PublicizeIn, db: RequestSession, actor: Official) -> dict:
    cycle.publicize(db, actor, region, year, start=_date(body.start, "start"), days=body.days)
    return _status(db, actor, region, year)


@router.post(
    "/cycles/{region}/{year}/notices",
    response_model=CycleOut,
    status_code=201,
    summary="A village posts its part of the list (公示) on its notice board",
)
def post_notice(region: str, year: int, db: RequestSession, actor: Official) -> dict:
    cycle.post_notice(db, actor, region, year)
    return _status(db, actor, region, year)


@router.post("/entries/{entry_id}/objections", response_model=ObjectionOut, status_code=201)
def post_objection(entry_id: int, body: ObjectionIn, db: RequestSession, actor: Staff) -> dict:
    row = cycle.object_to(db, actor, entry_id, body.grounds)
    c = cycle.cycle_of_entry(db, entry_id)
    return next(o for o in report.objections(db, c) if o["id"] == row.id)


@router.post("/objections/{objection_id}/decision", response_model=ObjectionOut)
def post_decision(objection_id: int, body: DecisionIn, db: RequestSession, actor: Staff) -> dict:
    row = cycle.decide(db, actor, objection_id, body.upheld, body.decision)
    c = cycle.cycle_of_entry(db, row.entry_id)
    return next(o for o in report.objections(db, c) if o["id"] == row.id)


@router.post("/cycles/{region}/{year}/review", response_model=CycleOut, summary="The town's review")
def post_review(region: str, year: int, db: RequestSession, actor: Official) -> dict:
    cycle.review(db, actor, region, year)
    return _status(db, actor, region, year)


@router.post("/cycles/{region}/{year}/approve", response_model=CycleOut, summary="The county's approval")
def post_approve(region: str, year: int, db: RequestSession, actor: Official) -> dict:
    cycle.approve(db, actor, region, year)
    return _status(db, actor, region, year)


@router.post("/cycles/{region}/{year}/confirm", response_model=CycleOut, summary="The city's confirmation")
def post_confirm(region: str, year: int, db: RequestSession, actor: Official) -> dict:
    cycle.confirm(db, actor, region, year)
    return _status(db, actor, region, year)


@router.post("/cycles/{region}/{year}/file", response_model=CycleOut, summary="The province files it")
def post_file(region: str, year: int, db: RequestSession, actor: Official) -> dict:
    cycle.file(db, actor, region, year)
    return _status(db, actor, region, year)


@router.post(
    "/cycles/{region}/{year}/pay", response_model=PaidOut, summary="Entitlements and the period's batches"
)
def post_pay(
    region: str,
    year: int,
    body: PayIn,
    db: RequestSession,
    actor: Annotated[Actor, Depends(in_area(roles.COUNTY, roles.DEPT))],
) -> dict:
    return payment.pay(db, actor, region, year, body.period, id_numbers=body.id_numbers)


@router.get("/families/{region}", response_model=list[FamilyOut], summary="The county's special families")
def get_families(region: str, db: RequestSession, actor: Official) -> list[dict]:
    today = dt.date.today()
    return [report.family_row(db, f, today) for f in families.families(db, actor, region)]


@router.post("/families/{family_id}/contacts", response_model=ContactOut, status_code=201)
def post_contact(family_id: int, body: ContactIn, db: RequestSession, actor: Staff) -> dict:
    row = families.set_contact(
        db, actor, family_id, body.kind, body.name, body.phone, _date(body.since, "since")
    )
    return report.contact_row(row)


@router.post("/families/{family_id}/visits", response_model=list[TaskOut], status_code=201)
def post_visit(family_id: int, body: VisitIn, db: RequestSession, actor: Staff) -> list[dict]:
    """Logs the visit; answers the tasks its needs became."""
    visit = families.record_visit(
        db,
        actor,
        family_id,
        visited_on=_date(body.visited_on, "visited_on"),
        visitor=body.visitor,
        done=body.done,
        needs=body.needs,
    )
    return [report.task_row(t) for t in families.tasks_of_visit(db, visit)]


@router.get("/tasks/{region}", response_model=list[TaskOut], summary="Tasks: a department's own, or all")
def get_tasks(
    region: str,
    db: RequestSession,
    actor: Annotated[Actor, Depends(in_area(*LEVELS, roles.DEPT))],
) -> list[dict]:
    return [report.task_row(t) for t in families.tasks(db, actor, region)]


@router.post("/tasks/{task_id}/done", response_model=Done)
def post_task_done(task_id: int, db: RequestSession, actor: Staff) -> dict:
    row = families.close_task(db, actor, task_id)
    return {"id": row.id, "status": row.status}


@router.post("/priority", response_model=PriorityOut, summary="就医绿色通道: yes or no, nothing else")
def post_priority(body: PriorityIn, db: RequestSession, actor: Hospital) -> dict:
    return {"priority": families.has_priority(db, actor, body.id_number)}


@router.post(
    "/doctor-contracts", response_model=Done, summary="The 卫健 feed's family-doctor contract status"
)
def post_contract(body: ContractIn, db: RequestSession, actor: HealthFeed) -> dict:
    row = families.record_doctor_contract(db, actor, body.id_number, body.status, _date(body.on, "on"))
    return {"id": row.id, "status": row.doctor_contract}


@router.get("/mine", response_model=MineOut, summary="The family's own entitlements, payments and contacts")
def get_mine(db: RequestSession, actor: Citizen) -> dict:
    return report.mine(db, actor.id_number)
