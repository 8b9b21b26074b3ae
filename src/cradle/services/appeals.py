"""投诉与申诉: a citizen contests a rejection or a missing payment. The appeal goes to the level that decided (the
town for a town rejection, the county otherwise) with a response deadline; the outcome is recorded and an upheld
appeal against a rejection reopens the application (rejected → town_review)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.errors import N_, Conflict, Forbidden, Invalid, NotFound
from cradle.payments import entitlements as pay_entitlements
from cradle.services import applications, notifications, proxy
from cradle.services import validate as v
from cradle.services.models import Appeal, Case
from cradle.services.offices import office, ref, require_office

RESPONSE_DAYS = 15
# The appellant's notifications (message ids; see cradle.services.notifications).
APPEAL_RECEIVED = N_("Your appeal has been received (%(appeal)s); you will have an answer by %(due)s.")
APPEAL_UPHELD = N_("Your appeal %(appeal)s is upheld: %(outcome)s")
APPEAL_NOT_UPHELD = N_("Your appeal %(appeal)s is not upheld: %(outcome)s")
KINDS = ("rejection", "missing_payment")
ANSWERED_BY = {
    "town": N_("This appeal is answered by the town"),
    "county": N_("This appeal is answered by the county"),
}


def file(
    session: Session, actor: Actor, case_no: str, kind: str, grounds: str, period: str | None = None
) -> Appeal:
    case = applications.get(session, actor, case_no)
    _, behalf = proxy.principal(session, actor, case.applicant_id_number, "appeal")
    if kind not in KINDS:
        raise Invalid("kind", N_("Appeal type should be rejection or missing_payment"))
    grounds = v.text({"grounds": grounds}, "grounds", max_len=2000)
    if kind == "rejection":
        if case.status != "rejected":
            raise Conflict("case_no", N_("Only a rejected application can be appealed"))
        last = applications.steps(session, case)[-1]
        level = "town" if last.action == "town_reject" else "county"
    else:
        if case.status != "approved":
            raise Conflict("case_no", N_("Only approved benefits are paid"))
        if not period:
            raise Invalid("period", N_("Enter the period you were not paid for (e.g. 2025-07)"))
        paid = {
            p.period: p.status
            for p in pay_entitlements.payments_of(session, case.beneficiary_id_number)
            if p.program == case.program
        }
        if paid.get(period) == "paid":
            raise Conflict("period", N_("The bank confirmed that period's payment; please ask your bank"))
        level = "county"
    open_one = session.execute(
        select(Appeal).where(Appeal.case_id == case.id, Appeal.status == "open", Appeal.kind == kind)
    ).scalar_one_or_none()
    if open_one is not None:
        raise Conflict(
            "case_no", N_("There is already an unanswered appeal (%(appeal)s)"), appeal=open_one.appeal_no
        )
    appeal = Appeal(
        appeal_no=v.reference("SS"),
        kind=kind,
        case_id=case.id,
        period=period,
        citizen_id_number=case.applicant_id_number,
        level=level,
        county=case.county,
        town=case.town,
        grounds=grounds,
        due=dt.date.today() + dt.timedelta(days=RESPONSE_DAYS),
    )
    session.add(appeal)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "appeal.file",
        f"case:{case.case_no}",
        {"appeal": appeal.appeal_no, "kind": kind, "level": level, "period": period, "due": appeal.due},
        on_behalf_of=behalf,
    )
    notifications.notify(
        session,
        case.applicant_id_number,
        "appeal.filed",
        f"appeal:{appeal.appeal_no}",
        APPEAL_RECEIVED,
        params={"appeal": appeal.appeal_no, "due": appeal.due.isoformat()},
        phone=case.phone,
    )
    return appeal


def decide(session: Session, actor: Actor, appeal_no: str, upheld: bool, outcome: str) -> Appeal:
    appeal = session.execute(
        select(Appeal).where(Appeal.appeal_no == appeal_no).with_for_update()
    ).scalar_one_or_none()
    if appeal is None:
        raise NotFound("appeal_no", N_("No such appeal"))
    if office(actor) != appeal.level:
        raise Forbidden("actor.role", ANSWERED_BY[appeal.level])
    require_office(actor, appeal.county, appeal.town if appeal.level == "town" else None, (appeal.level,))
    if appeal.status != "open":
        raise Conflict("appeal_no", N_("This appeal has already been answered"))
    outcome = v.text({"outcome": outcome}, "outcome", max_len=2000)
    appeal.status = "upheld" if upheld else "dismissed"
    appeal.outcome, appeal.decided_by, appeal.decided_at = outcome, ref(actor), v.now()
    case = applications.get(session, actor, session.get(Case, appeal.case_id).case_no)
    audit.record(
        session,
        appeal.decided_by,
        "appeal.decide",
        f"case:{case.case_no}",
        {"appeal": appeal.appeal_no, "status": appeal.status, "outcome": outcome},
    )
    if upheld and appeal.kind == "rejection":
        applications.act(
            session, actor, case.case_no, "reopen", reason=f"申诉 {appeal.appeal_no} 成立：{outcome}"
        )
    notifications.notify(
        session,
        appeal.citizen_id_number,
        f"appeal.{appeal.status}",
        f"appeal:{appeal.appeal_no}",
        APPEAL_UPHELD if upheld else APPEAL_NOT_UPHELD,
        params={"appeal": appeal.appeal_no, "outcome": outcome},
        phone=case.phone,
    )
    return appeal


def queue(session: Session, actor: Actor) -> list[Appeal]:
    name = office(actor)
    if name not in ("town", "county"):
        raise Forbidden("actor.role", N_("Appeals are answered only by town and county staff"))
    q = select(Appeal).where(Appeal.status == "open", Appeal.level == name, Appeal.county == actor.county)
    if name == "town":
        q = q.where(Appeal.town == actor.town)
    return list(session.execute(q.order_by(Appeal.due)).scalars())


def of_citizen(session: Session, id_number: str) -> list[Appeal]:
    return list(
        session.execute(
            select(Appeal).where(Appeal.citizen_id_number == id_number).order_by(Appeal.id.desc())
        ).scalars()
    )
