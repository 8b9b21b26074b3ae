"""Person search and a person's history: every fact with its department, file, row and valid-from date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.registry import identity
from cradle.registry import models as m

# fact table → (label, columns shown besides the provenance)
FACTS = {
    m.IdentityFact: ("identity", ["name", "sex", "birth_date"]),
    m.HukouEvent: ("hukou", ["event", "region", "household_no", "relation_to_head", "hukou_type"]),
    m.Residence: ("residence", ["region"]),
    m.Death: ("death", ["death_date", "region"]),
    m.Marriage: ("marriage", ["event", "spouse_id", "region"]),
    m.Insurance: ("insurance", ["scheme", "event", "region"]),
    m.Employment: ("employment", ["status", "employer_code", "employer_avg_monthly_wage"]),
    m.CareEnrolment: (
        "care",
        ["care_type", "event", "institution_name", "public", "inclusive", "registered"],
    ),
    m.FamilyPlanning: ("family_planning", ["status", "event"]),
    m.Assistance: ("assistance", ["kind", "event"]),
}


def scope_prefix(code: str | None) -> str | None:
    """The ID/region prefix a scope covers: 44 for a province, 4415 for a city, 441523 for a county."""
    if not code or code == "cn":
        return None
    level = regions.get(code[:6]).level
    return {"province": code[:2], "city": code[:4]}.get(level, code[:6])


def search(
    session: Session,
    *,
    id_number: str | None = None,
    name: str | None = None,
    birth_date: dt.date | None = None,
    region: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[m.Person]:
    q = select(m.Person).where(m.Person.merged_into_id.is_(None))
    if id_number:
        q = q.where(m.Person.id_number == id_number.strip().upper())
    if name:
        q = q.where(m.Person.name == name.strip())
    if birth_date:
        q = q.where(m.Person.birth_date == birth_date)
    prefix = scope_prefix(region)
    if prefix:  # registered or living in the region, now or before
        q = q.where(
            or_(
                m.Person.region.like(f"{prefix}%"),
                exists().where(m.HukouEvent.person_id == m.Person.id, m.HukouEvent.region.like(f"{prefix}%")),
            )
        )
    return list(session.execute(q.order_by(m.Person.id).limit(limit).offset(offset)).scalars())


def current_hukou(session: Session, person_id: int) -> str | None:
    ev = session.execute(
        select(m.HukouEvent)
        .where(m.HukouEvent.person_id.in_(identity.cluster(session, person_id)))
        .order_by(m.HukouEvent.valid_from.desc(), m.HukouEvent.source_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return ev.region if ev and ev.event not in ("move_out",) else None


def history(session: Session, person_id: int) -> dict:
    """All facts of the person and of every record merged into them, oldest first, each with its source."""
    ids = identity.cluster(session, person_id)
    facts = []
    for model, (label, cols) in FACTS.items():
        rows = session.execute(
            select(model, m.SourceRecord, m.IngestRun)
            .join(m.SourceRecord, m.SourceRecord.id == model.source_id)
            .join(m.IngestRun, m.IngestRun.id == m.SourceRecord.run_id)
            .where(model.person_id.in_(ids))
        ).all()
        for fact, src, run in rows:
            facts.append(_fact(label, fact, cols, src, run))
    births = session.execute(
        select(m.Birth, m.SourceRecord, m.IngestRun)
        .join(m.SourceRecord, m.SourceRecord.id == m.Birth.source_id)
        .join(m.IngestRun, m.IngestRun.id == m.SourceRecord.run_id)
        .where(or_(m.Birth.child_id.in_(ids), m.Birth.mother_id.in_(ids), m.Birth.father_id.in_(ids)))
    ).all()
    for b, src, run in births:
        role = "child" if b.child_id in ids else "mother" if b.mother_id in ids else "father"
        facts.append(
            _fact(
                "birth",
                b,
                [
                    "birth_date",
                    "child_id",
                    "mother_id",
                    "father_id",
                    "birth_order",
                    "babies",
                    "delivery_mode",
                    "dystocia",
                    "in_policy_cost",
                ],
                src,
                run,
                role=role,
            )
        )
    facts.sort(key=lambda f: (f["valid_from"] or "", f["source"]["record_id"]))
    audits = session.execute(
        select(m.MergeAudit)
        .where(or_(m.MergeAudit.survivor_id.in_(ids), m.MergeAudit.merged_id.in_(ids)))
        .order_by(m.MergeAudit.id)
    ).scalars()
    return {
        "person_ids": ids,
        "facts": facts,
        "merges": [
            {
                "id": a.id,
                "action": a.action,
                "survivor_id": a.survivor_id,
                "merged_id": a.merged_id,
                "actor": a.actor,
                "reason": a.reason,
                "at": a.at.isoformat() if a.at else None,
                "reverses_id": a.reverses_id,
            }
            for a in audits
        ],
    }


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | int | float | str):
        return float(value)
    return value


def _fact(label, fact, cols, src, run, **extra) -> dict:
    valid_from = getattr(fact, "valid_from", None) or src.valid_from
    return {
        "kind": label,
        **extra,
        **{c: _plain(getattr(fact, c)) for c in cols},
        "valid_from": _plain(valid_from),
        "source": {
            "dept": src.dept,
            "file": run.file_name,
            "row": src.row_no,
            "record_no": src.record_no,
            "run_id": run.id,
            "record_id": src.id,
        },
    }
