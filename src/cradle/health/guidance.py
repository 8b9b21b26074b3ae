"""生育咨询指导 (白银 二、3; 山西 二、3): every 生育登记 gives the registrant's town a follow-up — advice on
pregnancy care, the free checks and the benefits — due `DUE_DAYS` after the registration. The town (or the
county, for a registration whose town is not known) records it done."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_, Forbidden, IllegalTransition
from cradle.health import access
from cradle.health.checks import Form
from cradle.health.models import Guidance, Pregnancy
from cradle.idcard import mask

DUE_DAYS = 30
SYSTEM = "system:health"


def for_registration(session: Session, registration, today: dt.date | None = None) -> Guidance:
    """The follow-up a 生育登记 (`cradle.services` BirthRegistration) gives its town; the town is the one of the
    woman's newest pregnancy file, if she has one."""
    today = today or dt.date.today()
    town = session.scalar(
        select(Pregnancy.town)
        .where(Pregnancy.id_number == registration.mother_id_number, Pregnancy.town.is_not(None))
        .order_by(Pregnancy.filed_on.desc())
        .limit(1)
    )
    row = Guidance(
        registration_no=registration.reg_no,
        id_number=registration.mother_id_number,
        name=registration.mother_name,
        region=registration.residence_region,
        town=town if town and town[:6] == registration.residence_region else None,
        created_on=today,
        due_on=today + dt.timedelta(days=DUE_DAYS),
        status="open",
    )
    session.add(row)
    session.flush()
    audit.record(
        session, SYSTEM, "health.guidance_open", f"guidance:{row.id}", {"registration": registration.reg_no}
    )
    return row


def town_of(session: Session, registration_no: str) -> str | None:
    """The town whose follow-up the registration is (None while its county has not placed it)."""
    return session.scalar(select(Guidance.town).where(Guidance.registration_no == registration_no))


def _guide(actor) -> None:
    if actor.role not in access.GUIDES:
        raise Forbidden(None, N_("Towns and counties record their follow-ups."), code="forbidden_role")


def done(session: Session, actor, guidance_id: int, data: dict) -> Guidance:
    _guide(actor)
    row = session.get(Guidance, guidance_id)
    if row is None:
        raise access.not_found("guidance_id", guidance_id)
    access.check_region(actor, row.region, row.town, "guidance_id")
    if row.status != "open":
        raise IllegalTransition("guidance_id", N_("This follow-up is recorded already."))
    f = Form(data)
    on = f.date("done_on", earliest=row.created_on)
    note = f.text("note")
    f.done()
    row.status, row.done_on, row.note, row.done_by = "done", on, note, actor.ref
    audit.record(session, actor, "health.guidance_done", f"guidance:{row.id}", {"on": on})
    return row


def listing(session: Session, actor, status: str | None = "open", today: dt.date | None = None) -> list[dict]:
    """The follow-ups of an official's town or county, the most overdue first (names shown to the town and
    county that do them, ID numbers masked); audited."""
    _guide(actor)
    today = today or dt.date.today()
    stmt = select(Guidance).where(access.region_filter(actor, Guidance.region, Guidance.town))
    if status in ("open", "done"):
        stmt = stmt.where(Guidance.status == status)
    rows = list(session.scalars(stmt.order_by(Guidance.due_on).limit(500)))
    access.read(session, actor, "health:guidance", {"count": len(rows)})
    return [
        {
            "guidance_id": g.id,
            "registration_no": g.registration_no,
            "name": g.name,
            "id_number": mask(g.id_number),
            "town": g.town,
            "created_on": g.created_on,
            "due_on": g.due_on,
            "status": g.status,
            "overdue": g.status == "open" and g.due_on < today,
        }
        for g in rows
    ]


def overdue_count(session: Session, actor, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return session.scalar(
        select(func.count())
        .select_from(Guidance)
        .where(
            access.region_filter(actor, Guidance.region, Guidance.town),
            Guidance.status == "open",
            Guidance.due_on < today,
        )
    )
