"""生育登记: registered online at once, no approval step (白银 取消再生育审批; 山西 全程网办、跨省通办).

A registrant from another province is accepted by the hukou code alone. A second registration for the same mother
whose expected birth lies within 180 days of an existing one is the same pregnancy: refused as a duplicate,
naming the existing registration number.
"""

from __future__ import annotations

import datetime as dt
import zlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.auth.actor import Actor
from cradle.errors import N_, Conflict, Invalid, NotFound
from cradle.health import guidance
from cradle.idcard import mask
from cradle.services import notifications, proxy
from cradle.services import validate as v
from cradle.services.models import BirthRegistration
from cradle.services.offices import office, ref

SAME_PREGNANCY_DAYS = 180
REGISTERED = N_(
    "Your birth registration is complete, registration number %(reg_no)s (no approval needed; you can download "
    "and print the registration certificate)."
)


def lock_person(session: Session, namespace: int, id_number: str) -> None:
    """Serialise concurrent writers about one person on PostgreSQL (SQLite serialises writers itself)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(namespace, zlib.crc32(id_number.encode()) - 2**31)))


def register(session: Session, actor: Actor, data: dict) -> BirthRegistration:
    mother = v.id_number(data, "mother_id_number", sex="F")
    mother_name = v.text(data, "mother_name")
    father = v.id_number(data, "father_id_number", required=False, sex="M")
    if office(actor) == "citizen" and actor.id_number in (mother, father):
        behalf = None
    else:  # anyone else files for the mother with her recorded consent (亲情代办)
        _, behalf = proxy.principal(session, actor, mother, "registration")
    father_name = v.text(data, "father_name", required=bool(father))
    hukou = v.region(data, "hukou_region")
    residence = v.region(data, "residence_region", county=True)
    today = dt.date.today()
    expected = v.date(
        data, "expected_birth", earliest=today - dt.timedelta(days=365), latest=today + dt.timedelta(days=300)
    )
    order = v.integer(data, "child_order", 1, 10)
    phone = v.phone(data)

    lock_person(session, 1, mother)
    window = dt.timedelta(days=SAME_PREGNANCY_DAYS)
    dup = (
        session.execute(
            select(BirthRegistration).where(
                BirthRegistration.mother_id_number == mother,
                BirthRegistration.status == "registered",
                BirthRegistration.expected_birth > expected - window,
                BirthRegistration.expected_birth < expected + window,
            )
        )
        .scalars()
        .first()
    )
    if dup is not None:
        raise Conflict(
            "expected_birth",
            N_("The mother already has a registration for this birth (registration %(reg)s)"),
            reg=dup.reg_no,
        )
    row = BirthRegistration(
        reg_no=v.reference("SY", today),
        mother_id_number=mother,
        mother_name=mother_name,
        father_id_number=father,
        father_name=father_name,
        hukou_region=hukou,
        residence_region=residence,
        expected_birth=expected,
        child_order=order,
        phone=phone,
        filed_by=ref(actor),
        on_behalf_of=behalf,
    )
    session.add(row)
    session.flush()
    cross = regions.province_of(hukou) != regions.province_of(residence)
    audit.record(
        session,
        ref(actor),
        "registration.create",
        f"registration:{row.reg_no}",
        {
            "mother": mask(mother),
            "child_order": order,
            "expected_birth": expected,
            "hukou_region": hukou,
            "residence_region": residence,
            "cross_province": cross,
        },
        on_behalf_of=behalf,
    )
    notifications.notify(
        session,
        mother,
        "registration.created",
        f"registration:{row.reg_no}",
        REGISTERED,
        params={"reg_no": row.reg_no},
        phone=phone,
    )
    guidance.for_registration(session, row)  # the town's 生育咨询指导 follow-up (cradle.health)
    return row


def get(session: Session, actor: Actor, reg_no: str) -> BirthRegistration:
    row = session.execute(
        select(BirthRegistration).where(BirthRegistration.reg_no == reg_no)
    ).scalar_one_or_none()
    if row is None or not _may_read(session, actor, row):
        raise NotFound("reg_no", N_("No such registration"))
    return row


def _may_read(session: Session, actor: Actor, row: BirthRegistration) -> bool:
    name = office(actor)
    if name == "system":
        return True
    if name == "citizen":
        return (
            actor.id_number in (row.mother_id_number, row.father_id_number)
            or proxy.active_consent(session, row.mother_id_number, actor.id_number, "registration")
            is not None
        )
    if actor.county != row.residence_region:
        return False
    # a town reads the registrations whose 生育咨询指导 follow-up is its own, not the whole county's
    return name == "county" or (name == "town" and guidance.town_of(session, row.reg_no) == actor.region)


def cancel(session: Session, actor: Actor, reg_no: str, reason: str) -> BirthRegistration:
    row = get(session, actor, reg_no)
    proxy.principal(session, actor, row.mother_id_number, "registration")
    if row.status != "registered":
        raise Conflict("reg_no", N_("This registration is cancelled"))
    if not (reason or "").strip():
        raise Invalid("reason", N_("Give the reason for cancelling"))
    row.status = "cancelled"
    audit.record(session, ref(actor), "registration.cancel", f"registration:{row.reg_no}", {"reason": reason})
    return row


def of_person(session: Session, id_number: str) -> list[BirthRegistration]:
    return list(
        session.execute(
            select(BirthRegistration)
            .where(
                (BirthRegistration.mother_id_number == id_number)
                | (BirthRegistration.father_id_number == id_number)
            )
            .order_by(BirthRegistration.id.desc())
        ).scalars()
    )
