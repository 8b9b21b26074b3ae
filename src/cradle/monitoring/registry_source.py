"""Read-only view of the population data hub (``cradle.registry``) as :class:`Records` for monitoring.

This is the one place monitoring reads registry tables (SELECT only). Rules used:

- a person is a ``registry_person`` row not merged into another; name/sex/birth date corrections
  (``registry_identity_fact``) win over the first registration, newest ``valid_from`` first;
- where a person lives: the newest 常住地 (``registry_residence``) on or before ``as_of``; without one, the
  newest 户籍 event: its region, unless it is a move-out (then the person is outside every region here);
- death: the earliest ``registry_death`` date, else a 户籍 ``death`` cancellation;
- births: ``registry_birth`` with the mother's and child's identity as above;
- moves: 户籍 ``move_in`` (+1) and ``move_out`` (−1) at the event's region;
- care: the newest enrolment event per child on ``as_of``; an ``enrol`` counts, inclusive if public or 普惠.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.monitoring.estimate import Records
from cradle.registry.models import Birth, CareEnrolment, Death, HukouEvent, IdentityFact, Person, Residence


def _newest(rows, as_of: dt.date | None = None) -> dict:
    """rows of (person_id, valid_from, order_key, payload) → newest payload per person."""
    out: dict = {}
    for pid, valid_from, key, payload in rows:
        if as_of is not None and valid_from is not None and valid_from > as_of:
            continue
        best = out.get(pid)
        if best is None or (valid_from, key) > best[0]:
            out[pid] = ((valid_from, key), payload)
    return {pid: payload for pid, (_, payload) in out.items()}


def load_records(session: Session, as_of: dt.date) -> Records:
    """Everything monitoring needs from the registry, as known on ``as_of``."""
    persons = {
        pid: (sex, birth)
        for pid, sex, birth in session.execute(
            select(Person.id, Person.sex, Person.birth_date).where(Person.merged_into_id.is_(None))
        )
    }
    identity = _newest(
        (
            (p, v, s, (sex, birth))
            for p, v, s, sex, birth in session.execute(
                select(
                    IdentityFact.person_id,
                    IdentityFact.valid_from,
                    IdentityFact.source_id,
                    IdentityFact.sex,
                    IdentityFact.birth_date,
                )
            )
        ),
        as_of,
    )
    for pid, fact in identity.items():
        if pid in persons:
            persons[pid] = fact
    residence = _newest(
        (
            (p, v, s, r)
            for p, v, s, r in session.execute(
                select(Residence.person_id, Residence.valid_from, Residence.source_id, Residence.region)
            )
        ),
        as_of,
    )
    hukou_rows = session.execute(
        select(
            HukouEvent.person_id,
            HukouEvent.valid_from,
            HukouEvent.source_id,
            HukouEvent.event,
            HukouEvent.region,
        )
    ).all()
    hukou = _newest(((p, v, s, (e, r)) for p, v, s, e, r in hukou_rows if e != "correct"), as_of)
    deaths: dict[int, dt.date] = {}
    for pid, date in session.execute(select(Death.person_id, Death.death_date)):
        deaths[pid] = min(date, deaths.get(pid, date))
    for pid, valid_from, _s, event, _r in hukou_rows:
        if event == "death" and pid not in deaths:
            deaths[pid] = valid_from

    def region_of(pid: int) -> str | None:
        if pid in residence:
            return residence[pid]
        event, region = hukou.get(pid, (None, None))
        return None if event in (None, "move_out") else region

    rec = Records([], [], [], [])
    for pid, (sex, birth) in persons.items():
        region = region_of(pid)
        if region is None:
            continue
        death = deaths.get(pid)
        rec.person_region.append(region)
        rec.person_sex.append(sex)
        rec.person_birth.append(birth)
        rec.person_death.append(death if death is not None and death <= as_of else None)

    for child, mother, date, region, order in session.execute(
        select(Birth.child_id, Birth.mother_id, Birth.birth_date, Birth.region, Birth.birth_order)
    ):
        if date > as_of or child not in persons or mother not in persons:
            continue
        rec.birth_region.append(region)
        rec.birth_date.append(date)
        rec.birth_mother_birth.append(persons[mother][1])
        rec.birth_child_sex.append(persons[child][0])
        rec.birth_order.append(order)

    for pid, valid_from, _s, event, region in hukou_rows:
        if event in ("move_in", "move_out") and pid in persons and valid_from <= as_of:
            rec.move_region.append(region)
            rec.move_date.append(valid_from)
            rec.move_sex.append(persons[pid][0])
            rec.move_birth.append(persons[pid][1])
            rec.move_sign.append(1 if event == "move_in" else -1)

    care = _newest(
        (
            (p, v, s, (e, t, pub, inc))
            for p, v, s, e, t, pub, inc in session.execute(
                select(
                    CareEnrolment.person_id,
                    CareEnrolment.valid_from,
                    CareEnrolment.source_id,
                    CareEnrolment.event,
                    CareEnrolment.care_type,
                    CareEnrolment.public,
                    CareEnrolment.inclusive,
                )
            )
        ),
        as_of,
    )
    for pid, (event, care_type, public, inclusive) in care.items():
        region = region_of(pid) if pid in persons else None
        if event != "enrol" or region is None:
            continue
        rec.care_region.append(region)
        rec.care_type.append(care_type)
        rec.care_inclusive.append(bool(public) or bool(inclusive))
    return rec
