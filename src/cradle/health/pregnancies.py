"""孕产妇保健 entered on the pages: 早孕建册, 产前检查, 妊娠风险评估 (an orange, red or purple grade opens a 高危专案),
分娩, 产后访视 and the HIV/syphilis/HBV records of 预防母婴传播; the lists and the record of one pregnancy.

A health worker files pregnancies at her institution and adds records to the pregnancies her institution
holds, or to any of her county's when she gives the woman's ID number with the handbook number (the woman
brought her 母子健康手册).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_, Conflict, IllegalTransition, OutOfScope
from cradle.health import access, cases, vocab
from cradle.health.checks import Form
from cradle.health.models import (
    Delivery,
    InfectionRecord,
    Institution,
    MaternalVisit,
    Pregnancy,
    Rescue,
    RiskAssessment,
    RiskCase,
)
from cradle.idcard import birth_date_of, mask
from cradle.registry.lookup import find_person

POSTPARTUM_DAYS = 42  # 孕产期 ends 42 days after delivery (产后42天)


def _get(session: Session, pregnancy_no: str) -> Pregnancy:
    row = session.scalar(select(Pregnancy).where(Pregnancy.pregnancy_no == (pregnancy_no or "").strip()))
    if row is None:
        raise access.not_found("pregnancy_no", pregnancy_no)
    return row


def for_work(
    session: Session, actor, pregnancy_no: str, id_number: str | None = None
) -> tuple[Pregnancy, Institution]:
    """The pregnancy a health worker adds a record to, and her institution."""
    inst = access.institution_of(session, actor)
    preg = _get(session, pregnancy_no)
    if access.holds(session, inst.code, preg.pregnancy_no):
        return preg, inst
    if preg.region == inst.region and id_number and id_number.strip().upper() == preg.id_number:
        return preg, inst
    raise OutOfScope(
        "pregnancy_no",
        N_(
            "This pregnancy is not one your institution holds; give the woman's ID number with the handbook number."
        ),
    )


def _stamp(actor) -> dict:
    return {"entered_by": actor.ref}


def _recorded(session: Session, actor, preg: Pregnancy, kind: str, detail: dict | None = None) -> None:
    audit.record(session, actor, f"health.{kind}", f"pregnancy:{preg.pregnancy_no}", detail or {})


def file(session: Session, actor, data: dict) -> Pregnancy:
    """早孕建册: a new pregnancy file at the worker's institution."""
    inst = access.institution_of(session, actor)
    f = Form(data)
    number = f.id_number("id_number", sex="F")
    name = f.text("name", max_len=64)
    pno = f.text("pregnancy_no", max_len=40)
    filed_on = f.date("filed_on")
    weeks = f.integer("weeks", 1, 42)
    edd = f.date("edd", required=False, future=True)
    town = f.text("town", required=False, max_len=9)
    if town is not None and not (len(town) == 9 and town.isdigit() and town[:6] == inst.region):
        f.refuse("town", N_("A 9-digit town code of the institution's county."))
    if f.ok("id_number", "filed_on") and number and filed_on:
        born = birth_date_of(number)
        if filed_on < dt.date(born.year + 12, born.month, 1):
            f.refuse("filed_on", N_("The woman was not yet 12 on this date."))
    if f.ok("edd", "filed_on") and edd and filed_on and edd <= filed_on:
        f.refuse("edd", N_("The expected delivery date comes after the filing."))
    f.done()
    if session.scalar(select(Pregnancy.id).where(Pregnancy.pregnancy_no == pno)) is not None:
        raise Conflict("pregnancy_no", N_("Handbook number %(number)s is filed already."), number=pno)
    open_one = session.scalar(
        select(Pregnancy.pregnancy_no).where(Pregnancy.id_number == number, Pregnancy.status == "open")
    )
    if open_one is not None:
        raise Conflict(
            "id_number", N_("She has an open pregnancy file already (%(number)s)."), number=open_one
        )
    person = find_person(session, number)
    row = Pregnancy(
        pregnancy_no=pno,
        person_id=person.id if person else None,
        id_number=number,
        name=name,
        birth_date=birth_date_of(number),
        region=inst.region,
        town=town,
        institution_code=inst.code,
        filed_on=filed_on,
        weeks_at_filing=weeks,
        edd=edd,
        status="open",
        **_stamp(actor),
    )
    session.add(row)
    session.flush()
    _recorded(session, actor, row, "file", {"woman": mask(number), "weeks": weeks})
    return row


def _on_or_after(f: Form, field: str, value: dt.date | None, floor: dt.date, message: str) -> None:
    if value is not None and value < floor:
        f.refuse(field, message, date=floor.isoformat())


def _delivery(session: Session, pregnancy_no: str) -> Delivery | None:
    return session.scalar(select(Delivery).where(Delivery.pregnancy_no == pregnancy_no))


def _open(preg: Pregnancy) -> None:
    if preg.status == "closed":
        raise IllegalTransition(
            "pregnancy_no", N_("Pregnancy %(number)s is closed."), number=preg.pregnancy_no
        )


def visit(session: Session, actor, pregnancy_no: str, data: dict) -> MaternalVisit:
    """产前检查 (before the delivery)."""
    preg, inst = for_work(session, actor, pregnancy_no, data.get("id_number"))
    _open(preg)
    f = Form(data)
    on = f.date("visited_on")
    weeks = f.integer("weeks", 1, 45, required=False)
    _on_or_after(f, "visited_on", on, preg.filed_on, N_("Not before the pregnancy was filed (%(date)s)."))
    done = _delivery(session, preg.pregnancy_no)
    if done is not None and on is not None and on > done.delivered_on:
        f.refuse(
            "visited_on",
            N_("An antenatal check after the delivery (%(date)s)."),
            date=done.delivered_on.isoformat(),
        )
    f.done()
    if weeks is None and preg.weeks_at_filing:
        weeks = preg.weeks_at_filing + (on - preg.filed_on).days // 7
    row = MaternalVisit(
        pregnancy_no=preg.pregnancy_no,
        kind="antenatal",
        visited_on=on,
        weeks=weeks,
        region=preg.region,
        institution_code=inst.code,
        **_stamp(actor),
    )
    session.add(row)
    session.flush()
    _recorded(session, actor, preg, "visit", {"on": on})
    return row


def assess(
    session: Session, actor, pregnancy_no: str, data: dict, today: dt.date | None = None
) -> RiskAssessment:
    """妊娠风险评估: one of the five colours; orange, red and purple open (or re-grade) the pregnancy's 专案."""
    preg, inst = for_work(session, actor, pregnancy_no, data.get("id_number"))
    _open(preg)
    f = Form(data, today)
    grade = f.choice(
        "grade",
        vocab.GRADES,
        message=N_("Choose one of the five colours: green, yellow, orange, red or purple."),
    )
    on = f.date("assessed_on")
    factors = f.text("factors", required=False)
    _on_or_after(f, "assessed_on", on, preg.filed_on, N_("Not before the pregnancy was filed (%(date)s)."))
    f.done()
    row = RiskAssessment(
        pregnancy_no=preg.pregnancy_no,
        assessed_on=on,
        grade=grade,
        factors=factors,
        institution_code=inst.code,
        case_checked=True,
        **_stamp(actor),
    )
    session.add(row)
    session.flush()
    _recorded(session, actor, preg, "assess", {"on": on})
    cases.on_assessment(session, actor, preg, row)
    return row


def deliver(session: Session, actor, pregnancy_no: str, data: dict) -> Delivery:
    preg, inst = for_work(session, actor, pregnancy_no, data.get("id_number"))
    _open(preg)
    f = Form(data)
    on = f.date("delivered_on")
    live = f.integer("live_births", 0, 9)
    still = f.integer("stillbirths", 0, 9, required=False) or 0
    mode = f.choice("mode", vocab.DELIVERY_MODES, required=False)
    weeks = f.integer("weeks", 20, 45, required=False)
    _on_or_after(f, "delivered_on", on, preg.filed_on, N_("Not before the pregnancy was filed (%(date)s)."))
    if f.ok("live_births") and live == 0 and still == 0:
        f.refuse("live_births", N_("A delivery has at least one baby, born alive or not."))
    f.done()
    if _delivery(session, preg.pregnancy_no) is not None:
        raise Conflict(
            "pregnancy_no",
            N_("Pregnancy %(number)s has its delivery recorded already."),
            number=preg.pregnancy_no,
        )
    row = Delivery(
        pregnancy_no=preg.pregnancy_no,
        person_id=preg.person_id,
        id_number=preg.id_number,
        delivered_on=on,
        region=preg.region,
        town=preg.town,
        institution_code=inst.code,
        live_births=live,
        stillbirths=still,
        weeks=weeks,
        mode=mode,
        new_method=f.flag("new_method", default=True),
        **_stamp(actor),
    )
    session.add(row)
    preg.status = "delivered"
    session.flush()
    _recorded(session, actor, preg, "deliver", {"on": on, "live_births": live})
    return row


def postpartum(session: Session, actor, pregnancy_no: str, data: dict) -> MaternalVisit:
    """产后访视: after the delivery, within 42 days."""
    preg, inst = for_work(session, actor, pregnancy_no, data.get("id_number"))
    f = Form(data)
    on = f.date("visited_on")
    done = _delivery(session, preg.pregnancy_no)
    if done is None:
        f.refuse("visited_on", N_("Record the delivery first."))
    elif on is not None:
        _on_or_after(f, "visited_on", on, done.delivered_on, N_("Not before the delivery (%(date)s)."))
        if on > done.delivered_on + dt.timedelta(days=POSTPARTUM_DAYS):
            f.refuse("visited_on", N_("Postpartum visits end 42 days after the delivery."))
    f.done()
    row = MaternalVisit(
        pregnancy_no=preg.pregnancy_no,
        kind="postpartum",
        visited_on=on,
        region=preg.region,
        institution_code=inst.code,
        **_stamp(actor),
    )
    session.add(row)
    session.flush()
    _recorded(session, actor, preg, "postpartum", {"on": on})
    return row


def infection(session: Session, actor, pregnancy_no: str, data: dict) -> InfectionRecord:
    """预防母婴传播: `kind` test (any of the three results), treat (which infection) or child (an exposed
    child's final status)."""
    preg, inst = for_work(session, actor, pregnancy_no, data.get("id_number"))
    f = Form(data)
    kind = f.choice("kind", ("test", "treat", "child"))
    on = f.date("recorded_on")
    _on_or_after(f, "recorded_on", on, preg.filed_on, N_("Not before the pregnancy was filed (%(date)s)."))
    values: dict[str, str | None] = {}
    if kind == "test":
        for name in vocab.INFECTIONS:
            values[name] = f.choice(name, vocab.TEST_RESULTS, required=False)
        if f.ok(*vocab.INFECTIONS) and not any(values.values()):
            f.refuse("hiv", N_("Enter at least one result."))
    elif kind in ("treat", "child"):
        values["infection"] = f.choice("infection", vocab.INFECTIONS)
        if kind == "child":
            values["result"] = f.choice("result", vocab.TEST_RESULTS)
            done = _delivery(session, preg.pregnancy_no)
            if done is None:
                f.refuse("recorded_on", N_("Record the delivery first."))
            elif on is not None:
                _on_or_after(
                    f, "recorded_on", on, done.delivered_on, N_("Not before the delivery (%(date)s).")
                )
    f.done()
    row = InfectionRecord(
        pregnancy_no=preg.pregnancy_no,
        kind=kind,
        recorded_on=on,
        region=preg.region,
        institution_code=inst.code,
        **values,
        **_stamp(actor),
    )
    session.add(row)
    session.flush()
    _recorded(session, actor, preg, "infection", {"kind": kind, "on": on})
    return row


def rescue(session: Session, actor, pregnancy_no: str, data: dict) -> Rescue:
    """危急重症救治: a critically ill woman's rescue, logged by the institution that handled it."""
    preg, inst = for_work(session, actor, pregnancy_no, data.get("id_number"))
    f = Form(data)
    on = f.date("started_on")
    condition = f.text("condition")
    outcome = f.choice("outcome", vocab.RESCUE_OUTCOMES)
    _on_or_after(f, "started_on", on, preg.filed_on, N_("Not before the pregnancy was filed (%(date)s)."))
    f.done()
    row = Rescue(
        pregnancy_no=preg.pregnancy_no,
        region=preg.region,
        institution_code=inst.code,
        started_on=on,
        condition=condition,
        outcome=outcome,
        entered_by=actor.ref,
    )
    session.add(row)
    session.flush()
    _recorded(session, actor, preg, "rescue", {"on": on, "outcome": outcome})
    return row


def latest_grades(session: Session, numbers) -> dict[str, str]:
    """The newest grade of each pregnancy (decrypted)."""
    numbers = list(numbers)
    out: dict[str, tuple] = {}
    for i in range(0, len(numbers), 500):
        rows = session.execute(
            select(
                RiskAssessment.pregnancy_no,
                RiskAssessment.assessed_on,
                RiskAssessment.id,
                RiskAssessment.grade,
            ).where(RiskAssessment.pregnancy_no.in_(numbers[i : i + 500]))
        )
        for no, on, rid, grade in rows:
            if no not in out or (on, rid) > out[no][0]:
                out[no] = ((on, rid), grade)
    return {no: grade for no, (_, grade) in out.items()}


def listing(session: Session, actor, status: str | None = None, limit: int = 200) -> list[dict]:
    """Pregnancies a worker's institution holds (names in full), or those of an official's region (masked);
    newest filing first. The read is audited."""
    stmt = select(Pregnancy).order_by(Pregnancy.filed_on.desc(), Pregnancy.id.desc()).limit(limit)
    if access.is_worker(actor):
        inst = access.institution_of(session, actor)
        stmt = stmt.where(Pregnancy.pregnancy_no.in_(access.held_by(inst.code)))
        scope = inst.code
    else:
        stmt = stmt.where(access.region_filter(actor, Pregnancy.region, Pregnancy.town))
        scope = actor.region
    if status in vocab.PREGNANCY_STATUSES:
        stmt = stmt.where(Pregnancy.status == status)
    rows = list(session.scalars(stmt))
    grades = latest_grades(session, [r.pregnancy_no for r in rows])
    access.read(session, actor, "health:pregnancies", {"scope": scope, "count": len(rows)})
    return [
        {
            "pregnancy_no": r.pregnancy_no,
            **access.shown(actor, r.name, r.id_number),
            "filed_on": r.filed_on,
            "weeks_at_filing": r.weeks_at_filing,
            "edd": r.edd,
            "status": r.status,
            "grade": grades.get(r.pregnancy_no),
            "region": r.region,
            "institution_code": r.institution_code,
        }
        for r in rows
    ]


def detail(session: Session, actor, pregnancy_no: str) -> dict:
    """One pregnancy with all its records, for a worker whose institution holds it (the read is audited)."""
    inst = access.institution_of(session, actor)
    preg = _get(session, pregnancy_no)
    if not access.holds(session, inst.code, preg.pregnancy_no):
        raise OutOfScope("pregnancy_no", N_("This pregnancy is not one your institution holds."))
    visits = list(
        session.scalars(
            select(MaternalVisit)
            .where(MaternalVisit.pregnancy_no == preg.pregnancy_no)
            .order_by(MaternalVisit.visited_on)
        )
    )
    risks = list(
        session.scalars(
            select(RiskAssessment)
            .where(RiskAssessment.pregnancy_no == preg.pregnancy_no)
            .order_by(RiskAssessment.assessed_on, RiskAssessment.id)
        )
    )
    infections = list(
        session.scalars(
            select(InfectionRecord)
            .where(InfectionRecord.pregnancy_no == preg.pregnancy_no)
            .order_by(InfectionRecord.recorded_on)
        )
    )
    case = session.scalar(select(RiskCase).where(RiskCase.pregnancy_no == preg.pregnancy_no))
    rescues = list(
        session.scalars(
            select(Rescue).where(Rescue.pregnancy_no == preg.pregnancy_no).order_by(Rescue.started_on)
        )
    )
    access.read(session, actor, f"pregnancy:{preg.pregnancy_no}", {"institution": inst.code})
    return {
        "pregnancy": preg,
        "visits": visits,
        "assessments": risks,
        "delivery": _delivery(session, preg.pregnancy_no),
        "infections": infections,
        "case": case,
        "rescues": rescues,
        "checks": 1 + sum(v.kind == "antenatal" for v in visits),
    }


def counts(session: Session, actor) -> dict[str, int]:
    """Pregnancies by status in the actor's view (no person shown, so nothing to audit)."""
    stmt = select(Pregnancy.status, func.count()).group_by(Pregnancy.status)
    if access.is_worker(actor):
        inst = access.institution_of(session, actor)
        stmt = stmt.where(Pregnancy.pregnancy_no.in_(access.held_by(inst.code)))
    else:
        stmt = stmt.where(access.region_filter(actor, Pregnancy.region, Pregnancy.town))
    return dict(session.execute(stmt).all())
