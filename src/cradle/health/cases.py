"""高危孕产妇专案管理: an orange, red or purple pregnancy gets one case, managed by the institution that graded it,
with a responsible doctor, a follow-up plan (every `vocab.FOLLOW_UP_DAYS[grade]` days) and referrals to a
危重孕产妇救治中心. A follow-up not recorded by its due date is overdue: it is warned on the workbench and counted
for the 约谈通报 list. A case closes 42 days after the delivery (the nightly sync) or when its doctor closes it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_, IllegalTransition, OutOfScope
from cradle.health import access, vocab
from cradle.health.checks import Form
from cradle.health.models import CaseFollowUp, Delivery, Pregnancy, Referral, RiskAssessment, RiskCase

SYSTEM = "system:health"


def _interval(grade: str) -> int:
    return vocab.FOLLOW_UP_DAYS.get(grade, max(vocab.FOLLOW_UP_DAYS.values()))


def on_assessment(session: Session, actor, preg: Pregnancy, assessment: RiskAssessment) -> RiskCase | None:
    """Open the pregnancy's case for a high-risk grade, re-grade an open one, reopen a closed one."""
    grade = assessment.grade
    case = session.scalar(select(RiskCase).where(RiskCase.pregnancy_no == preg.pregnancy_no))
    if grade not in vocab.HIGH_RISK:
        if case is not None and case.status == "open":
            case.grade = grade  # managed on until its doctor closes it
        return case
    due = assessment.assessed_on + dt.timedelta(days=_interval(grade))
    if case is None:
        case = RiskCase(
            pregnancy_no=preg.pregnancy_no,
            region=preg.region,
            town=preg.town,
            institution_code=assessment.institution_code,
            grade=grade,
            opened_on=assessment.assessed_on,
            assessment_id=assessment.id,
            status="open",
            interval_days=_interval(grade),
            next_due=due,
            overdue_count=0,
        )
        session.add(case)
        session.flush()
        audit.record(session, actor, "health.case_open", f"case:{case.id}", {"pregnancy": preg.pregnancy_no})
        return case
    if case.status == "closed":
        case.status, case.closed_on, case.close_reason, case.next_due = "open", None, None, due
        audit.record(
            session, actor, "health.case_reopen", f"case:{case.id}", {"pregnancy": preg.pregnancy_no}
        )
    if case.grade != grade:
        case.grade, case.interval_days = grade, _interval(grade)
        case.next_due = min(case.next_due, due)
    return case


def open_from_feeds(session: Session) -> int:
    """Cases for the assessments the feeds brought since the last run (their grades are encrypted, so SQL cannot
    pick the high ones while it stores them); returns how many cases were opened."""
    rows = list(
        session.scalars(
            select(RiskAssessment)
            .where(RiskAssessment.case_checked.is_(False))
            .order_by(RiskAssessment.assessed_on, RiskAssessment.id)
        )
    )
    before = session.scalar(select(func.count()).select_from(RiskCase))
    files = {
        p.pregnancy_no: p
        for p in session.scalars(
            select(Pregnancy).where(Pregnancy.pregnancy_no.in_({r.pregnancy_no for r in rows}))
        )
    }
    for row in rows:
        preg = files.get(row.pregnancy_no)
        if preg is not None:  # an assessment before its file arrives waits for it
            on_assessment(session, SYSTEM, preg, row)
            row.case_checked = True
    session.flush()
    return session.scalar(select(func.count()).select_from(RiskCase)) - before


def close_after_delivery(session: Session, today: dt.date) -> int:
    """Close the open cases whose pregnancy was delivered more than 42 days ago."""
    limit = today - dt.timedelta(days=42)
    rows = session.execute(
        select(RiskCase, Delivery.delivered_on)
        .join(Delivery, Delivery.pregnancy_no == RiskCase.pregnancy_no)
        .where(RiskCase.status == "open", Delivery.delivered_on < limit)
    ).all()
    for case, delivered in rows:
        case.status, case.closed_on, case.close_reason = (
            "closed",
            delivered + dt.timedelta(days=42),
            "postpartum",
        )
        audit.record(session, SYSTEM, "health.case_close", f"case:{case.id}", {"reason": "postpartum"})
    return len(rows)


def _for_work(session: Session, actor, case_id: int) -> RiskCase:
    inst = access.institution_of(session, actor)
    case = session.get(RiskCase, case_id)
    if case is None:
        raise access.not_found("case_id", case_id)
    if not access.holds(session, inst.code, case.pregnancy_no):
        raise OutOfScope("case_id", N_("This case is not one your institution manages."))
    return case


def _open(case: RiskCase) -> None:
    if case.status != "open":
        raise IllegalTransition(
            "case_id", N_("Case %(case)s is closed: nothing more can be recorded on it."), case=case.id
        )


def assign(session: Session, actor, case_id: int, data: dict) -> RiskCase:
    """The responsible doctor and the follow-up plan."""
    case = _for_work(session, actor, case_id)
    _open(case)
    f = Form(data)
    doctor = f.text("doctor", max_len=64)
    plan = f.text("plan", required=False)
    f.done()
    case.doctor, case.plan = doctor, plan
    audit.record(session, actor, "health.case_assign", f"case:{case.id}", {"doctor": doctor})
    return case


def follow_up(
    session: Session, actor, case_id: int, data: dict, today: dt.date | None = None
) -> CaseFollowUp:
    """A follow-up held: the next one falls due an interval later; one held after its due date counts as
    overdue."""
    case = _for_work(session, actor, case_id)
    _open(case)
    f = Form(data, today)
    on = f.date("done_on", earliest=case.opened_on)
    note = f.text("note", required=False)
    f.done()
    row = CaseFollowUp(case_id=case.id, due_on=case.next_due, done_on=on, note=note, entered_by=actor.ref)
    session.add(row)
    if on > case.next_due:
        case.overdue_count += 1
    case.next_due = on + dt.timedelta(days=case.interval_days)
    session.flush()
    audit.record(session, actor, "health.follow_up", f"case:{case.id}", {"on": on, "due": row.due_on})
    return row


def refer(session: Session, actor, case_id: int, data: dict) -> Referral:
    """A referral to a 危重孕产妇救治中心 (which then sees the case too)."""
    case = _for_work(session, actor, case_id)
    _open(case)
    f = Form(data)
    code = f.text("to_institution", max_len=40)
    on = f.date("referred_on", earliest=case.opened_on)
    reason = f.text("reason", required=False)
    if code is not None:
        target = access.institution_by_code(session, code)
        if target is None or not target.critical_care:
            f.refuse(
                "to_institution", N_("%(code)s is not a designated critical maternal care centre."), code=code
            )
    f.done()
    row = Referral(
        case_id=case.id, to_institution_code=code, referred_on=on, reason=reason, entered_by=actor.ref
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "health.refer", f"case:{case.id}", {"to": code, "on": on})
    return row


def close(session: Session, actor, case_id: int, data: dict) -> RiskCase:
    case = _for_work(session, actor, case_id)
    _open(case)
    f = Form(data)
    reason = f.choice("reason", vocab.CASE_CLOSE_REASONS)
    on = f.date("closed_on", earliest=case.opened_on)
    f.done()
    case.status, case.closed_on, case.close_reason = "closed", on, reason
    if reason in ("terminated", "moved", "died"):  # the pregnancy's file ends with the case
        preg = session.scalar(select(Pregnancy).where(Pregnancy.pregnancy_no == case.pregnancy_no))
        if preg is not None and preg.status == "open":
            preg.status = "closed"
    audit.record(session, actor, "health.case_close", f"case:{case.id}", {"reason": reason})
    return case


def _scoped(session: Session, actor, stmt):
    if access.is_worker(actor):
        inst = access.institution_of(session, actor)
        return stmt.where(RiskCase.pregnancy_no.in_(access.held_by(inst.code)))
    return stmt.where(access.region_filter(actor, RiskCase.region, RiskCase.town))


def listing(session: Session, actor, today: dt.date | None = None, overdue_only: bool = False) -> list[dict]:
    """Open cases first (the most overdue first), then closed ones; names masked for officials. Audited."""
    today = today or dt.date.today()
    stmt = _scoped(
        session,
        actor,
        select(RiskCase, Pregnancy.name, Pregnancy.id_number).join(
            Pregnancy, Pregnancy.pregnancy_no == RiskCase.pregnancy_no
        ),
    )
    if overdue_only:
        stmt = stmt.where(RiskCase.status == "open", RiskCase.next_due < today)
    stmt = stmt.order_by(RiskCase.status.desc(), RiskCase.next_due).limit(500)
    rows = session.execute(stmt).all()
    access.read(session, actor, "health:cases", {"count": len(rows), "overdue_only": overdue_only})
    return [
        {
            "case_id": case.id,
            "pregnancy_no": case.pregnancy_no,
            **access.shown(actor, name, number),
            "grade": case.grade,
            "status": case.status,
            "doctor": case.doctor,
            "opened_on": case.opened_on,
            "next_due": case.next_due,
            "overdue_days": max((today - case.next_due).days, 0) if case.status == "open" else 0,
            "institution_code": case.institution_code,
            "region": case.region,
        }
        for case, name, number in rows
    ]


def overdue_count(session: Session, actor, today: dt.date | None = None) -> int:
    """Open cases whose next follow-up is past due (a count: nobody is shown)."""
    today = today or dt.date.today()
    stmt = _scoped(
        session,
        actor,
        select(func.count())
        .select_from(RiskCase)
        .where(RiskCase.status == "open", RiskCase.next_due < today),
    )
    return session.scalar(stmt)


def detail(session: Session, actor, case_id: int) -> dict:
    case = _for_work(session, actor, case_id)
    preg = session.scalar(select(Pregnancy).where(Pregnancy.pregnancy_no == case.pregnancy_no))
    follow_ups = list(
        session.scalars(
            select(CaseFollowUp).where(CaseFollowUp.case_id == case.id).order_by(CaseFollowUp.done_on)
        )
    )
    referrals = list(
        session.scalars(select(Referral).where(Referral.case_id == case.id).order_by(Referral.referred_on))
    )
    access.read(session, actor, f"case:{case.id}", {"pregnancy": case.pregnancy_no})
    return {"case": case, "pregnancy": preg, "follow_ups": follow_ups, "referrals": referrals}


def repeatedly_overdue(
    session: Session, counties: list[str], year: int, today: dt.date, limit: int
) -> dict[str, int]:
    """Institutions whose cases went overdue at least `limit` times in `year`: follow-ups recorded late, and
    cases still open past their due date on `today` (or at the year's end)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    late = dict(
        session.execute(
            select(RiskCase.institution_code, func.count())
            .join(CaseFollowUp, CaseFollowUp.case_id == RiskCase.id)
            .where(
                RiskCase.region.in_(counties),
                CaseFollowUp.done_on > CaseFollowUp.due_on,
                CaseFollowUp.done_on.between(start, end),
            )
            .group_by(RiskCase.institution_code)
        ).all()
    )
    cutoff = min(today, end)
    for code, n in session.execute(
        select(RiskCase.institution_code, func.count())
        .where(
            RiskCase.region.in_(counties),
            RiskCase.status == "open",
            RiskCase.next_due < cutoff,
            RiskCase.next_due >= start,
        )
        .group_by(RiskCase.institution_code)
    ):
        late[code] = late.get(code, 0) + n
    return {code: n for code, n in late.items() if n >= limit}
