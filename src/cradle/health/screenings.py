"""Child and women's health records entered on the pages: newborn metabolic and hearing screening, birth
defects and 0–6 health checks; 婚前医学检查, 孕前优生健康检查, 宫颈癌 and 乳腺癌 screening, HPV vaccination. A
premarital or preconception check done for someone offered one (婚育一件事) completes the offer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_
from cradle.health import access, offers, vocab
from cradle.health.checks import Form
from cradle.health.models import ChildRecord, WomenService
from cradle.idcard import birth_date_of, mask, sex_of
from cradle.registry.lookup import find_person

SCREENING_DAYS = 365  # a newborn screening more than a year after the birth is not a newborn's
CHILD_YEARS = 7  # 0–6岁儿童健康管理: checks before the seventh birthday


def _town(f: Form, region: str) -> str | None:
    town = f.text("town", required=False, max_len=9)
    if town is not None and not (len(town) == 9 and town.isdigit() and town[:6] == region):
        f.refuse("town", N_("A 9-digit town code of the institution's county."))
    return town


def record_child(session: Session, actor, data: dict) -> ChildRecord:
    inst = access.institution_of(session, actor)
    f = Form(data)
    kind = f.choice("kind", vocab.CHILD_KINDS)
    number = f.id_number("id_number")
    name = f.text("name", max_len=64)
    on = f.date("recorded_on")
    result = f.choice("result", ("pass", "refer"), required=kind in ("metabolic", "hearing"))
    diagnosis = f.text("diagnosis", required=kind == "defect")
    town = _town(f, inst.region)
    if f.ok("id_number", "recorded_on", "kind") and number and on:
        born = birth_date_of(number)
        if on < born:
            f.refuse(
                "recorded_on",
                N_("The child was not born yet on this date (born %(date)s)."),
                date=born.isoformat(),
            )
        elif kind in ("metabolic", "hearing") and on > born + dt.timedelta(days=SCREENING_DAYS):
            f.refuse("recorded_on", N_("A newborn screening within the first year of life."))
        elif kind == "visit" and on >= dt.date(born.year + CHILD_YEARS, born.month, min(born.day, 28)):
            f.refuse("id_number", N_("0–6 health checks are for children under 7."))
    f.done()
    person = find_person(session, number)
    row = ChildRecord(
        person_id=person.id if person else None,
        id_number=number,
        name=name,
        sex=sex_of(number),
        birth_date=birth_date_of(number),
        kind=kind,
        recorded_on=on,
        result=result,
        diagnosis=diagnosis if kind == "defect" else None,
        region=inst.region,
        town=town,
        institution_code=inst.code,
        entered_by=actor.ref,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, f"health.child_{kind}", f"child:{mask(number)}", {"record": row.id})
    return row


def record_women(session: Session, actor, data: dict) -> WomenService:
    inst = access.institution_of(session, actor)
    f = Form(data)
    kind = f.choice("kind", vocab.WOMEN_KINDS)
    women_only = kind in ("cervical", "breast", "hpv")
    number = f.id_number("id_number", sex="F" if women_only else None)
    name = f.text("name", max_len=64)
    on = f.date("served_on")
    result = f.choice("result", ("normal", "abnormal"), required=kind != "hpv")
    dose = f.integer("dose", 1, 3, required=kind == "hpv")
    town = _town(f, inst.region)
    if f.ok("id_number", "served_on") and number and on and on < birth_date_of(number):
        f.refuse("served_on", N_("Not before the person's birth."))
    f.done()
    person = find_person(session, number)
    row = WomenService(
        person_id=person.id if person else None,
        id_number=number,
        name=name,
        sex=sex_of(number),
        birth_date=birth_date_of(number),
        kind=kind,
        served_on=on,
        result=result if kind != "hpv" else None,
        dose=dose if kind == "hpv" else None,
        region=inst.region,
        town=town,
        institution_code=inst.code,
        entered_by=actor.ref,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, f"health.women_{kind}", f"person:{mask(number)}", {"record": row.id})
    offers.complete(session, actor, row)
    return row


def children(session: Session, actor, kind: str | None = None, limit: int = 200) -> list[dict]:
    stmt = select(ChildRecord).order_by(ChildRecord.recorded_on.desc(), ChildRecord.id.desc()).limit(limit)
    if access.is_worker(actor):
        stmt = stmt.where(ChildRecord.institution_code == access.institution_of(session, actor).code)
    else:
        stmt = stmt.where(access.region_filter(actor, ChildRecord.region, ChildRecord.town))
    if kind in vocab.CHILD_KINDS:
        stmt = stmt.where(ChildRecord.kind == kind)
    rows = list(session.scalars(stmt))
    access.read(session, actor, "health:children", {"count": len(rows)})
    return [
        {
            "record_id": r.id,
            **access.shown(actor, r.name, r.id_number),
            "kind": r.kind,
            "recorded_on": r.recorded_on,
            "birth_date": r.birth_date,
            "result": r.result if access.is_worker(actor) else None,
            "institution_code": r.institution_code,
        }
        for r in rows
    ]


def women(session: Session, actor, kind: str | None = None, limit: int = 200) -> list[dict]:
    stmt = select(WomenService).order_by(WomenService.served_on.desc(), WomenService.id.desc()).limit(limit)
    if access.is_worker(actor):
        stmt = stmt.where(WomenService.institution_code == access.institution_of(session, actor).code)
    else:
        stmt = stmt.where(access.region_filter(actor, WomenService.region, WomenService.town))
    if kind in vocab.WOMEN_KINDS:
        stmt = stmt.where(WomenService.kind == kind)
    rows = list(session.scalars(stmt))
    access.read(session, actor, "health:women", {"count": len(rows)})
    return [
        {
            "record_id": r.id,
            **access.shown(actor, r.name, r.id_number),
            "kind": r.kind,
            "served_on": r.served_on,
            "result": r.result if access.is_worker(actor) else None,
            "dose": r.dose,
            "institution_code": r.institution_code,
        }
        for r in rows
    ]
