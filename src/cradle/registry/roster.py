"""Look-ups other domains make of many persons at once: how many residents of each sex and birth date a region
has on a date (the denominators of coverage rates), how many marriages it registered in a period, and the
marriages registered after a given source record (the 婚育 services offer each couple their free checks).

A resident is a person not merged into another, whose newest 户籍 event on or before the date lies in the
region and is not a move-out or a death cancellation, and who has no death recorded on or before the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, Integer, String, bindparam, column, func, select, text
from sqlalchemy.orm import Session, aliased

from cradle.registry import models as m

Window = tuple[dt.date, dt.date, str | None]  # born from, born to, sex (None: both)
_NEWER = """NOT EXISTS (SELECT 1 FROM registry_hukou_event n
                  WHERE n.person_id = h.person_id AND n.valid_from <= :on AND n.event != 'correct'
                    AND (n.valid_from > h.valid_from OR (n.valid_from = h.valid_from AND n.source_id > h.source_id)))"""
_ALIVE = "NOT EXISTS (SELECT 1 FROM registry_death d WHERE d.person_id = p.id AND d.death_date <= :on)"


def residents_by_birth_date(
    session: Session, counties: list[str], on: dt.date, windows: list[Window]
) -> dict[tuple[str, dt.date], int]:
    """{(sex, birth date): residents} of the 6-digit `counties` on `on`, for the persons born in any of the
    `windows`. One pass over the persons: on SQLite a sequential scan of the person table, each match's 户籍
    events then looked up by person (walking the birth-date index instead fetched every person of the range
    at random, three times slower for 5 million persons)."""
    if not counties or not windows:
        return {}
    sqlite = session.get_bind().dialect.name == "sqlite"
    params: dict = {"on": on, "counties": list(counties)}
    binds = [bindparam("on", type_=Date), bindparam("counties", expanding=True)]
    wanted = []
    for i, (born_from, born_to, sex) in enumerate(windows):
        params |= {f"lo{i}": born_from, f"hi{i}": born_to}
        binds += [bindparam(f"lo{i}", type_=Date), bindparam(f"hi{i}", type_=Date)]
        if sex is not None:
            params[f"sex{i}"] = sex
        wanted.append(f"(p.birth_date BETWEEN :lo{i} AND :hi{i}" + (f" AND p.sex = :sex{i})" if sex else ")"))
    persons = "registry_person p NOT INDEXED CROSS JOIN" if sqlite else "registry_person p JOIN"
    stmt = (
        text(
            f"""SELECT p.sex, p.birth_date, COUNT(*) FROM {persons} registry_hukou_event h ON h.person_id = p.id
                WHERE p.merged_into_id IS NULL AND ({" OR ".join(wanted)})
                  AND h.valid_from <= :on AND h.event IN ('register', 'move_in') AND h.region IN :counties
                  AND {_NEWER} AND {_ALIVE}
                GROUP BY p.sex, p.birth_date"""
        )
        .bindparams(*binds)
        .columns(column("sex", String), column("birth_date", Date), column("n", Integer))
    )
    return {(sex, born): n for sex, born, n in session.execute(stmt, params)}


def version(session: Session) -> tuple[int, int]:
    """Changes whenever what the registry says of its residents may have: a new source record (an ingest, a
    re-submitted correction) or a merge or split of two persons."""
    return (
        session.scalar(select(func.max(m.SourceRecord.id))) or 0,
        session.scalar(select(func.max(m.MergeAudit.id))) or 0,
    )


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
