"""Pages of the assistance cycle: a county's year for its village/town, county, city and province officials (a
village or town official sees and acts on its own part of the list alone; the
list with its reasons, the 公示's countdown and objections, the review, approval and payment steps each level
takes), its special families (contacts, visits, reminders, tasks), and the family's own view. The same service
functions as the API and `cradle assistance`; a refusal is shown on the page beside the form that caused it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cradle.assistance import access, cycle, families, payment, programs, report, sources
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor, out_of_scope
from cradle.errors import N_, DomainError, Invalid, NotFound
from cradle.services.web import error_list, form_data, label, see_other
from cradle.web.session import RequestSession
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
FormDep = Annotated[dict, Depends(form_data)]
LEVELS = (roles.VILLAGE, roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE)
Official = Annotated[Actor, Depends(PageActor(*LEVELS))]
# the officials of one county (a village's, a town's, the county's own): the menu's way to their county's year
Local = Annotated[Actor, Depends(PageActor(roles.VILLAGE, roles.TOWN, roles.COUNTY))]
Citizen = Annotated[Actor, Depends(PageActor(roles.CITIZEN))]
Hospital = Annotated[Actor, Depends(PageActor(roles.HEALTH))]  # the 就医绿色通道 question, nothing else
TITLE = N_("Family-planning family assistance")
STATUS = {
    "open": N_("Finding candidates"),
    "publicized": N_("Posted for public comment"),
    "reviewed": N_("Reviewed by the town"),
    "approved": N_("Approved by the county"),
    "confirmed": N_("Confirmed by the city"),
    "filed": N_("Filed by the province"),
    "candidate": N_("Candidate"),
    "posted": N_("Posted"),
    "removed": N_("Removed"),
    "left": N_("Left the list"),
    "upheld": N_("Upheld"),
    "dismissed": N_("Dismissed"),
    "pending": N_("Sent to the bank"),
    "paid": N_("Paid"),
    "failed": N_("Failed"),
    "returned": N_("Returned"),
    "cancelled": N_("Cancelled"),
    "done": N_("Done"),
}
LEAVE = {
    "death": N_("died"),
    "moved_away": N_("moved away"),
    "new_child": N_("had or adopted a child"),
    "to_special": N_("now receives special assistance"),
    "not_eligible": N_("no longer qualifies"),
    "objection": N_("objection upheld"),
}
NEEDS = {
    "care_home": N_("care home"),
    "housing": N_("housing"),
    "dibao": N_("minimum living allowance"),
    "nursing_allowance": N_("nursing allowance"),
    "psychological": N_("psychological support"),
}
# the steps each level takes on the cycle page, in order
STEPS = {
    "candidates": ("county",),
    "notice": ("village",),
    "publicize": ("county",),
    "review": ("town",),
    "approve": ("county",),
    "confirm": ("city",),
    "file": ("province",),
    "pay": ("county",),
}


def _scope(actor: Actor, region: str) -> str:
    if not access.may_read(actor, region):
        raise out_of_scope("region", region)
    return access.level_of(actor, region) or ""


def cycle_page(
    request: Request, s: Session, actor: Actor, region: str, year: int, errors=(), form=None, status_code=200
) -> Response:
    level = _scope(actor, region)
    try:
        c = cycle.get_cycle(s, actor, region, year)
        shown = report.status(s, c, **access.area(actor, region))
    except NotFound:
        shown = None
    steps = [name for name, levels in STEPS.items() if level in levels]
    if level == "town" and shown and shown["reviews"]:
        steps.remove("review")  # the town's part is reviewed
    return render(
        request,
        "assistance/cycle.html",
        status_code=status_code,
        actor=actor,
        level=level,
        region=region,
        year=year,
        cycle=shown,
        steps=steps,
        labels=STATUS,
        leave=LEAVE,
        errors=list(errors),
        form=form or {},
        breadcrumbs=[(label(request, TITLE), None)],
    )


@router.get("/assistance")
def own_cycle_view(request: Request, s: RequestSession, actor: Local) -> Response:
    """This year's list of the official's own county (a village official: the village's part of it)."""
    return cycle_page(request, s, actor, actor.county, dt.date.today().year)


@router.get("/assistance/{region}/{year:int}")
def cycle_view(request: Request, region: str, year: int, s: RequestSession, actor: Official) -> Response:
    return cycle_page(request, s, actor, region, year)


def _step(s: Session, actor: Actor, region: str, year: int, step: str, form: dict) -> None:
    today = dt.date.today()
    if step == "candidates":
        on = dt.date(year, 1, 1)
        progs = {p.id for p in programs.for_county(region)}
        cycle.find_candidates(
            s,
            actor,
            region,
            year,
            sources.households(s, region, on),
            as_of=on,
            applications=sources.applications(s, progs, region),
        )
    elif step == "publicize":
        days = form.get("days") or None
        if days is not None and not days.isdigit():
            raise Invalid("days", N_("The public notice should run 5 to 30 days"))
        cycle.publicize(s, actor, region, year, start=today, days=int(days) if days else None)
    elif step == "notice":
        cycle.post_notice(s, actor, region, year, today=today)
    elif step in ("review", "approve"):
        getattr(cycle, step)(s, actor, region, year, today=today)
    elif step in ("confirm", "file"):
        getattr(cycle, step)(s, actor, region, year)
    elif step == "pay":
        payment.pay(s, actor, region, year, form.get("period", ""))
    else:
        raise NotFound("step", N_("No such step"))


@router.post("/assistance/{region}/{year:int}/steps/{step}")
def cycle_step(
    request: Request, region: str, year: int, step: str, s: RequestSession, actor: Official, form: FormDep
) -> Response:
    _scope(actor, region)
    y = year
    try:
        _step(s, actor, region, y, step, form)
    except DomainError as exc:
        s.rollback()
        return cycle_page(request, s, actor, region, y, error_list(request, exc), form, exc.status)
    return see_other(f"/assistance/{region}/{y}")


@router.post("/assistance/entries/{entry_id}/objections")
def objection(request: Request, entry_id: int, s: RequestSession, actor: Official, form: FormDep) -> Response:
    c = _cycle_of(s, actor, entry_id)
    try:
        cycle.object_to(s, actor, entry_id, form.get("grounds", ""))
    except DomainError as exc:
        s.rollback()
        return cycle_page(request, s, actor, c.county, c.year, error_list(request, exc), form, exc.status)
    return see_other(f"/assistance/{c.county}/{c.year}#objections")


@router.post("/assistance/entries/{entry_id}/account")
def account(request: Request, entry_id: int, s: RequestSession, actor: Official, form: FormDep) -> Response:
    c = _cycle_of(s, actor, entry_id)
    try:
        cycle.set_entry_account(
            s,
            actor,
            entry_id,
            form.get("account_no", ""),
            form.get("bank_code") or None,
            form.get("town") or None,  # the county places a person in a town
        )
    except DomainError as exc:
        s.rollback()
        return cycle_page(request, s, actor, c.county, c.year, error_list(request, exc), form, exc.status)
    return see_other(f"/assistance/{c.county}/{c.year}#list")


@router.post("/assistance/objections/{objection_id}/decision")
def decision(
    request: Request, objection_id: int, s: RequestSession, actor: Official, form: FormDep
) -> Response:
    row = cycle.objection(s, objection_id)
    c = _cycle_of(s, actor, row.entry_id)
    try:
        cycle.decide(s, actor, objection_id, form.get("upheld") == "1", form.get("decision", ""))
    except DomainError as exc:
        s.rollback()
        return cycle_page(request, s, actor, c.county, c.year, error_list(request, exc), form, exc.status)
    return see_other(f"/assistance/{c.county}/{c.year}#objections")


def _cycle_of(s: Session, actor: Actor, entry_id: int):
    c = cycle.cycle_of_entry(s, entry_id)
    if c is None or not access.may_read(actor, c.county):
        raise NotFound("entry", N_("No such person on the list"))
    return c


def families_page(
    request: Request, s: Session, actor: Actor, region: str, errors=(), form=None, status_code=200
) -> Response:
    level = _scope(actor, region)
    today = dt.date.today()
    rows = families.families(s, actor, region)
    return render(
        request,
        "assistance/families.html",
        status_code=status_code,
        actor=actor,
        level=level,
        region=region,
        families=[report.family_row(s, f, today) for f in rows],
        visits={f.id: families.visits(s, f)[:3] for f in rows},
        tasks=[report.task_row(t) for t in families.tasks(s, actor, region)],
        needs=NEEDS,
        labels=STATUS,
        errors=list(errors),
        form=form or {},
        breadcrumbs=[
            (label(request, TITLE), f"/assistance/{region}/{today.year}"),
            (label(request, N_("Special families")), None),
        ],
    )


@router.get("/assistance/{region}/families")
def families_view(request: Request, region: str, s: RequestSession, actor: Official) -> Response:
    return families_page(request, s, actor, region)


def _family_region(s: Session, actor: Actor, family_id: int) -> str:
    return families.get_family(s, actor, family_id).county


@router.post("/assistance/families/{family_id}/contacts")
def contact(request: Request, family_id: int, s: RequestSession, actor: Official, form: FormDep) -> Response:
    region = _family_region(s, actor, family_id)
    try:
        since = dt.date.fromisoformat(form["since"]) if form.get("since") else None
        families.set_contact(
            s, actor, family_id, form.get("kind", ""), form.get("name", ""), form.get("phone"), since
        )
    except ValueError:
        s.rollback()
        exc = Invalid("since", N_("Should be a date (YYYY-MM-DD)"))
        return families_page(request, s, actor, region, error_list(request, exc), form, exc.status)
    except DomainError as exc:
        s.rollback()
        return families_page(request, s, actor, region, error_list(request, exc), form, exc.status)
    return see_other(f"/assistance/{region}/families")


@router.post("/assistance/families/{family_id}/visits")
async def visit(request: Request, family_id: int, s: RequestSession, actor: Official) -> Response:
    raw = await request.form()
    form = {k: v.strip() for k, v in raw.items() if isinstance(v, str) and k != "needs"}
    needs = [v for v in raw.getlist("needs") if isinstance(v, str)]
    region = _family_region(s, actor, family_id)
    try:
        try:
            visited = dt.date.fromisoformat(form.get("visited_on", ""))
        except ValueError:
            raise Invalid("visited_on", N_("Should be a date (YYYY-MM-DD)")) from None
        families.record_visit(
            s,
            actor,
            family_id,
            visited_on=visited,
            visitor=form.get("visitor", ""),
            done=form.get("done", ""),
            needs=needs,
        )
    except DomainError as exc:
        s.rollback()
        return families_page(request, s, actor, region, error_list(request, exc), form, exc.status)
    return see_other(f"/assistance/{region}/families")


def priority_page(
    request: Request, actor: Actor, answer=None, errors=(), form=None, status_code=200
) -> Response:
    return render(
        request,
        "assistance/priority.html",
        status_code=status_code,
        actor=actor,
        answer=answer,
        errors=list(errors),
        form=form or {},
        breadcrumbs=[(label(request, N_("Special-family priority")), None)],
    )


@router.get("/assistance/priority")
def priority_view(request: Request, actor: Hospital) -> Response:
    return priority_page(request, actor)


@router.post("/assistance/priority")
def priority_ask(request: Request, s: RequestSession, actor: Hospital, form: FormDep) -> Response:
    try:
        answer = families.has_priority(s, actor, form.get("id_number", ""))
    except DomainError as exc:
        s.rollback()
        return priority_page(request, actor, None, error_list(request, exc), form, exc.status)
    return priority_page(request, actor, answer)  # the number is not echoed back


@router.get("/assistance/mine")
def mine(request: Request, s: RequestSession, actor: Citizen) -> Response:
    return render(
        request,
        "assistance/mine.html",
        actor=actor,
        mine=report.mine(s, actor.id_number),
        labels=STATUS,
        leave=LEAVE,
        breadcrumbs=[(label(request, TITLE), None)],
    )
