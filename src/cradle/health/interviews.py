"""约谈通报: the institutions of a region the health commission calls in for a year. The list is computed from the
records: an institution with a reviewed maternal death, or a reviewed death of a child under 5, or whose 高危专案
went overdue `OVERDUE_LIMIT` times or more in the year. A 约谈 held is recorded against the list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_, Forbidden, Invalid
from cradle.health import access, cases, institutions
from cradle.health.checks import Form
from cradle.health.models import DeathReport, Interview

OVERDUE_LIMIT = 3  # overdue follow-ups in a year that put an institution on the list ("repeated")


@dataclass
class Listed:
    institution_code: str
    name: str
    region: str
    reasons: dict[str, int] = field(default_factory=dict)  # vocab.INTERVIEW_REASONS key → how many
    held_on: dt.date | None = None


def for_region(
    session: Session, counties: list[str], year: int, today: dt.date | None = None
) -> list[Listed]:
    today = today or dt.date.today()
    found: dict[str, Listed] = {}

    def listed(code: str) -> Listed:
        return found.setdefault(code, Listed(code, "", ""))

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for code, kind, n in session.execute(
        select(DeathReport.institution_code, DeathReport.kind, func.count())
        .where(
            DeathReport.region.in_(counties),
            DeathReport.review_status == "reviewed",
            DeathReport.died_on.between(start, end),
        )
        .group_by(DeathReport.institution_code, DeathReport.kind)
    ):
        listed(code).reasons[f"{kind}_death"] = n
    for code, n in cases.repeatedly_overdue(session, counties, year, today, OVERDUE_LIMIT).items():
        listed(code).reasons["overdue"] = n
    names = institutions.names(session, found)
    for code, held in session.execute(
        select(Interview.institution_code, func.max(Interview.held_on))
        .where(Interview.year == year, Interview.institution_code.in_(list(found)))
        .group_by(Interview.institution_code)
    ):
        found[code].held_on = held
    for item in found.values():
        item.name = names.get(item.institution_code, item.institution_code)
        inst = access.institution_by_code(session, item.institution_code)
        item.region = inst.region if inst else ""
    return sorted(found.values(), key=lambda x: (x.held_on is not None, x.institution_code))


def for_actor(session: Session, actor, year: int, today: dt.date | None = None) -> list[Listed]:
    return for_region(session, access.counties_within(access.official_scope(actor)), year, today)


def hold(session: Session, actor, institution_code: str, year: int, data: dict) -> Interview:
    """Record that the 约谈 of a listed institution was held."""
    if not access.may_review(actor):
        raise Forbidden(
            None, N_("Deaths are reviewed by the county's health commission."), code="forbidden_role"
        )
    inst = access.institution_by_code(session, institution_code)
    if inst is None:
        raise access.not_found("institution_code", institution_code)
    access.check_region(actor, inst.region, None, "institution_code")
    if institution_code not in {x.institution_code for x in for_region(session, [inst.region], year)}:
        raise Invalid("institution_code", N_("This institution is not on the list for %(year)s."), year=year)
    f = Form(data)
    on = f.date("held_on", earliest=dt.date(year, 1, 1))
    note = f.text("note", required=False)
    f.done()
    row = Interview(
        institution_code=institution_code,
        region=inst.region,
        year=year,
        held_on=on,
        note=note,
        entered_by=actor.ref,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "health.interview", f"institution:{institution_code}", {"year": year, "on": on}
    )
    return row
