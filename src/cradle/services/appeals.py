"""投诉与申诉: a citizen contests a rejection or a missing payment. The appeal goes to the level that decided (the
town for a town rejection, the county otherwise) with a response deadline; the outcome is recorded and an upheld
appeal against a rejection reopens the application (rejected → town_review)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.payments import entitlements as pay_entitlements
from cradle.services import applications, notifications, proxy
from cradle.services import validate as v
from cradle.services.actors import Actor, require_office
from cradle.services.errors import Conflict, Forbidden, Invalid, NotFound
from cradle.services.models import Appeal

RESPONSE_DAYS = 15
KINDS = ("rejection", "missing_payment")


def file(
    session: Session, actor: Actor, case_no: str, kind: str, grounds: str, period: str | None = None
) -> Appeal:
    case = applications.get(session, actor, case_no)
    _, behalf = proxy.principal(session, actor, case.applicant_id_number, "appeal")
    if kind not in KINDS:
        raise Invalid("kind", "申诉类型应为 rejection（不予批准）或 missing_payment（未收到款项）")
    grounds = v.text({"grounds": grounds}, "grounds", max_len=2000)
    if kind == "rejection":
        if case.status != "rejected":
            raise Conflict("case_no", "只能对不予批准的申请提出申诉")
        last = applications.steps(session, case)[-1]
        level = "town" if last.action == "town_reject" else "county"
    else:
        if case.status != "approved":
            raise Conflict("case_no", "只有已批准的待遇才会发放")
        if not period:
            raise Invalid("period", "请填写未收到款项的期间（如 2025-07）")
        paid = {
            p.period: p.status
            for p in pay_entitlements.payments_of(session, case.beneficiary_id_number)
            if p.program == case.program
        }
        if paid.get(period) == "paid":
            raise Conflict("period", "该期款项银行已回盘成功，如有疑问请联系开户银行")
        level = "county"
    open_one = session.execute(
        select(Appeal).where(Appeal.case_id == case.id, Appeal.status == "open", Appeal.kind == kind)
    ).scalar_one_or_none()
    if open_one is not None:
        raise Conflict("case_no", f"已有未答复的申诉（{open_one.appeal_no}）")
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
        actor,
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
        f"您的申诉已受理（{appeal.appeal_no}），将于 {appeal.due.isoformat()} 前答复。",
        case.phone,
    )
    return appeal


def decide(session: Session, actor: Actor, appeal_no: str, upheld: bool, outcome: str) -> Appeal:
    appeal = session.execute(
        select(Appeal).where(Appeal.appeal_no == appeal_no).with_for_update()
    ).scalar_one_or_none()
    if appeal is None:
        raise NotFound("appeal_no", "没有这件申诉")
    if actor.role != appeal.level:
        raise Forbidden("actor.role", f"该申诉由{'乡镇' if appeal.level == 'town' else '县区'}答复")
    require_office(actor, appeal.county, appeal.town if appeal.level == "town" else None, (appeal.level,))
    if appeal.status != "open":
        raise Conflict("appeal_no", "该申诉已答复")
    outcome = v.text({"outcome": outcome}, "outcome", max_len=2000)
    appeal.status = "upheld" if upheld else "dismissed"
    appeal.outcome, appeal.decided_by, appeal.decided_at = outcome, actor.ref, v.now()
    case = applications.get(session, actor, _case_no(session, appeal))
    audit.record(
        session,
        actor,
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
        f"您的申诉 {appeal.appeal_no} {'成立' if upheld else '不成立'}：{outcome}",
        case.phone,
    )
    return appeal


def _case_no(session: Session, appeal: Appeal) -> str:
    from cradle.services.models import Case

    return session.get(Case, appeal.case_id).case_no


def queue(session: Session, actor: Actor) -> list[Appeal]:
    if actor.role not in ("town", "county"):
        raise Forbidden("actor.role", "只有乡镇、县区工作人员答复申诉")
    q = select(Appeal).where(
        Appeal.status == "open", Appeal.level == actor.role, Appeal.county == actor.county
    )
    if actor.role == "town":
        q = q.where(Appeal.town == actor.town)
    return list(session.execute(q.order_by(Appeal.due)).scalars())


def of_citizen(session: Session, id_number: str) -> list[Appeal]:
    return list(
        session.execute(
            select(Appeal).where(Appeal.citizen_id_number == id_number).order_by(Appeal.id.desc())
        ).scalars()
    )
