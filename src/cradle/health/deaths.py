"""孕产妇死亡 and 5岁以下儿童死亡: every death is a 个案 report (from the feed or the page) awaiting its 评审, which the
county holds and records: the classification, whether it was avoidable, the causes and the measures. A reviewed
death puts its institution on the 约谈通报 list (cradle.health.interviews)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_, Forbidden, IllegalTransition, OutOfScope
from cradle.health import access, vocab
from cradle.health.checks import Form
from cradle.health.models import DeathReport
from cradle.idcard import birth_date_of, mask, sex_of
from cradle.registry.lookup import find_person


def _years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def report(session: Session, actor, data: dict) -> DeathReport:
    """A death's 个案 report, by the institution where it happened or that learnt of it."""
    inst = access.institution_of(session, actor)
    f = Form(data)
    kind = f.choice("kind", vocab.DEATH_KINDS)
    number = f.id_number("id_number", sex="F" if kind == "maternal" else None)
    name = f.text("name", max_len=64)
    died_on = f.date("died_on")
    cause = f.text("cause")
    place = f.choice("place", vocab.DEATH_PLACES, required=False)
    pregnancy_no = f.text("pregnancy_no", required=False, max_len=40)
    if f.ok("id_number", "died_on") and number and died_on:
        born = birth_date_of(number)
        if died_on < born:
            f.refuse("died_on", N_("A death before the birth (%(date)s)."), date=born.isoformat())
        elif kind == "child" and _years_between(born, died_on) >= 5:
            f.refuse("kind", N_("Only deaths of children under 5 are reported as child deaths."))
        elif kind == "maternal" and _years_between(born, died_on) < 10:
            f.refuse("kind", N_("A maternal death of a girl under 10 cannot be right."))
    f.done()
    person = find_person(session, number)
    row = DeathReport(
        person_id=person.id if person else None,
        id_number=number,
        name=name,
        sex=sex_of(number),
        birth_date=birth_date_of(number),
        kind=kind,
        died_on=died_on,
        cause=cause,
        place=place,
        pregnancy_no=pregnancy_no,
        region=inst.region,
        town=None,
        institution_code=inst.code,
        review_status="pending",
        entered_by=actor.ref,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "health.death_report", f"death:{row.id}", {"kind": kind, "person": mask(number)}
    )
    return row


def _get(session: Session, death_id: int) -> DeathReport:
    row = session.get(DeathReport, death_id)
    if row is None:
        raise access.not_found("death_id", death_id)
    return row


def review(session: Session, actor, death_id: int, data: dict, today: dt.date | None = None) -> DeathReport:
    """The county's 评审 of one death: classification, avoidability, causes, measures."""
    if not access.may_review(actor):
        raise Forbidden(
            None, N_("Deaths are reviewed by the county's health commission."), code="forbidden_role"
        )
    row = _get(session, death_id)
    access.check_region(actor, row.region, row.town, "death_id")
    if row.review_status != "pending":
        raise IllegalTransition("death_id", N_("This death has been reviewed already."))
    f = Form(data, today)
    classification = f.choice("classification", vocab.DEATH_CLASSES[row.kind])
    avoidable = f.choice("avoidable", vocab.AVOIDABILITY)
    causes = f.text("causes")
    measures = f.text("measures")
    on = f.date("reviewed_on", earliest=row.died_on)
    f.done()
    row.review_class, row.review_avoidable = classification, avoidable
    row.review_causes, row.review_measures = causes, measures
    row.reviewed_on, row.reviewed_by, row.review_status = on, actor.ref, "reviewed"
    audit.record(session, actor, "health.death_review", f"death:{row.id}", {"avoidable": avoidable})
    return row


def _scoped(session: Session, actor, stmt):
    if access.is_worker(actor):
        return stmt.where(DeathReport.institution_code == access.institution_of(session, actor).code)
    return stmt.where(access.region_filter(actor, DeathReport.region, DeathReport.town))


def listing(session: Session, actor, status: str | None = None) -> list[dict]:
    stmt = _scoped(session, actor, select(DeathReport)).order_by(DeathReport.died_on.desc()).limit(500)
    if status in vocab.REVIEW_STATUSES:
        stmt = stmt.where(DeathReport.review_status == status)
    rows = list(session.scalars(stmt))
    access.read(session, actor, "health:deaths", {"count": len(rows)})
    return [
        {
            "death_id": r.id,
            **access.shown(actor, r.name, r.id_number),
            "kind": r.kind,
            "died_on": r.died_on,
            "review_status": r.review_status,
            "institution_code": r.institution_code,
            "region": r.region,
        }
        for r in rows
    ]


def pending_count(session: Session, actor) -> int:
    stmt = _scoped(
        session,
        actor,
        select(func.count()).select_from(DeathReport).where(DeathReport.review_status == "pending"),
    )
    return session.scalar(stmt)


def detail(session: Session, actor, death_id: int) -> DeathReport:
    """The report and its review, for the reporting institution and the county reviewing it (audited)."""
    row = _get(session, death_id)
    if access.is_worker(actor):
        if row.institution_code != access.institution_of(session, actor).code:
            raise OutOfScope("death_id", N_("This death was reported by another institution."))
    elif not access.may_review(actor):
        raise Forbidden(
            None, N_("Deaths are reviewed by the county's health commission."), code="forbidden_role"
        )
    else:
        access.check_region(actor, row.region, row.town, "death_id")
    access.read(session, actor, f"death:{row.id}", {"kind": row.kind})
    return row
