"""Look-ups other domains make of many persons at once: how many residents of each sex and birth date a region
has on a date (the denominators of coverage rates), how many marriages it registered in a period, and the
marriages registered after a given source record (the 婚育 services offer each couple their free checks).

A resident is a person not merged into another, whose newest 户籍 event on or before the date lies in the
region and is not a move-out or a death cancellation, and who has no death recorded on or before the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from cradle.registry import models as m


def residents_by_birth_date(
    session: Session,
    counties: list[str],
    on: dt.date,
    born_from: dt.date,
    born_to: dt.date,
    sex: str | None = None,
) -> dict[tuple[str, dt.date], int]:
    """{(sex, birth date): residents} of the 6-digit `counties` on `on`, born between the two dates."""
    if not counties:
        return {}
    h, newer = m.HukouEvent, aliased(m.HukouEvent)
    p = m.Person
    later = (
        select(newer.source_id)
        .where(
            newer.person_id == h.person_id,
            newer.valid_from <= on,
            newer.event != "correct",
            or_(
                newer.valid_from > h.valid_from,
                and_(newer.valid_from == h.valid_from, newer.source_id > h.source_id),
            ),
        )
        .exists()
    )
    dead = select(m.Death.source_id).where(m.Death.person_id == p.id, m.Death.death_date <= on).exists()
    stmt = (
        select(p.sex, p.birth_date, func.count())
        .join(h, h.person_id == p.id)
        .where(
            p.merged_into_id.is_(None),
            p.birth_date.between(born_from, born_to),
            h.valid_from <= on,
            h.event.in_(("register", "move_in")),
            h.region.in_(counties),
            ~later,
            ~dead,
        )
        .group_by(p.sex, p.birth_date)
    )
    if sex is not None:
        stmt = stmt.where(p.sex == sex)
    return {(s, b): n for s, b, n in session.execute(stmt)}


def marriages_registered(session: Session, counties: list[str], start: dt.date, end: dt.date) -> int:
    """Marriages registered in `counties` between the two dates (each one couple)."""
    if not counties:
        return 0
    mar = m.Marriage
    return session.scalar(
        select(func.count()).where(
            mar.event == "marriage", mar.region.in_(counties), mar.valid_from.between(start, end)
        )
    )


@dataclass(frozen=True)
class Spouse:
    person_id: int
    id_number: str | None
    name: str
    sex: str
    birth_date: dt.date


@dataclass(frozen=True)
class Registration:
    """One marriage registration: its source record, date, region and the two spouses."""

    source_id: int
    married_on: dt.date
    region: str | None
    spouses: tuple[Spouse, Spouse]


def marriages_after(
    session: Session, after_source_id: int, registered_since: dt.date, limit: int = 1000
) -> list[Registration]:
    """Marriage registrations stored after source record `after_source_id` and registered on or after
    `registered_since`, in the order they were stored."""
    mar, a, b = m.Marriage, aliased(m.Person), aliased(m.Person)
    stmt = (
        select(mar.source_id, mar.valid_from, mar.region, a.id, a.id_number, a.name, a.sex, a.birth_date)
        .add_columns(b.id, b.id_number, b.name, b.sex, b.birth_date)
        .join(a, a.id == mar.person_id)
        .join(b, b.id == mar.spouse_id)
        .where(mar.event == "marriage", mar.source_id > after_source_id, mar.valid_from >= registered_since)
        .order_by(mar.source_id)
        .limit(limit)
    )
    return [
        Registration(row[0], row[1], row[2], (Spouse(*row[3:8]), Spouse(*row[8:13])))
        for row in session.execute(stmt)
    ]
