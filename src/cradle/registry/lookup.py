"""Look a person up by ID number for other domains (the auth module verifies citizen accounts with it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.registry import identity
from cradle.registry import models as m


@dataclass(frozen=True)
class FoundPerson:
    """A registered person as the registry knows them now: the newest name, sex and birth date (corrections
    arrive as later identity facts), of the record the ID number's record was merged into if it was."""

    id: int
    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    region: str | None


def find_person(session: Session, id_number: str) -> FoundPerson | None:
    number = (id_number or "").strip().upper()
    if not number:
        return None
    person = session.execute(select(m.Person).where(m.Person.id_number == number)).scalar_one_or_none()
    if person is None:
        return None
    current = session.get(m.Person, identity.survivor(session, person.id))
    fact = session.execute(
        select(m.IdentityFact)
        .where(m.IdentityFact.person_id.in_(identity.cluster(session, current.id)))
        .order_by(m.IdentityFact.valid_from.desc(), m.IdentityFact.source_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    name, sex, birth = (
        (fact.name, fact.sex, fact.birth_date) if fact else (current.name, current.sex, current.birth_date)
    )
    return FoundPerson(current.id, number, name, sex, birth, current.region)
