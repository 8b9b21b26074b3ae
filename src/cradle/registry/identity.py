"""Identity resolution. Same ID number → same person, at once (set-based, in ingest). Without an ID number, a
person that agrees on name, sex, birth date and city with another is queued for an official: never merged
silently. Merge and split are audited; a merge never moves a fact, it only points one person at another, so a
split restores exactly what was there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Table, insert, select, text, update
from sqlalchemy.orm import Session, aliased

from cradle.registry.feeds import Feed
from cradle.registry.models import MatchCandidate, MergeAudit, Person

BASIS = "name+sex+birth_date+city"


class IdentityError(ValueError):
    pass


def queue_new_against_unnumbered(conn: Connection, before_id: int) -> int:
    """Persons just created from an ID number that look like an existing person without one."""
    return conn.execute(text(
        f"""INSERT INTO registry_match_candidate (person_id, candidate_id, basis, status)
            SELECT o.id, n.id, '{BASIS}', 'pending'
            FROM registry_person n
            JOIN registry_person o ON o.birth_date = n.birth_date AND o.name = n.name AND o.sex = n.sex
                 AND o.id_number IS NULL AND o.merged_into_id IS NULL
            WHERE n.id > :before AND n.id_number IS NOT NULL
              AND substr(o.region, 1, 4) = substr(n.region, 1, 4)
              AND NOT EXISTS (SELECT 1 FROM registry_match_candidate c
                              WHERE c.person_id = o.id AND c.candidate_id = n.id)"""), {"before": before_id}
    ).rowcount or 0


def resolve_unnumbered(conn: Connection, stage: Table, feed: Feed) -> int:
    """Staged rows whose subject has no ID number: a new person each, queued against look-alikes."""
    region_col = "region" if "region" in feed.names else "hukou_region"
    rows = conn.execute(text(
        f"SELECT record_no, name, sex, birth_date, {region_col} FROM {stage.name} WHERE id_number IS NULL")).all()
    queued = 0
    for record_no, name, sex, birth_date, region in rows:
        if isinstance(birth_date, str):
            birth_date = dt.date.fromisoformat(birth_date)
        pid = conn.execute(insert(Person).values(name=name, sex=sex, birth_date=birth_date, region=region)
                           .returning(Person.id)).scalar_one()
        conn.execute(text(f"UPDATE {stage.name} SET _person_id = :pid WHERE record_no = :rn"),
                     {"pid": pid, "rn": record_no})
        found = conn.execute(select(Person.id).where(
            Person.name == name, Person.sex == sex, Person.birth_date == birth_date, Person.id != pid,
            Person.merged_into_id.is_(None), Person.region.like(f"{(region or '')[:4]}%"))).scalars().all()
        for cand in found:
            conn.execute(insert(MatchCandidate).values(person_id=pid, candidate_id=cand, basis=BASIS,
                                                       status="pending"))
        queued += bool(found)
    return queued


def survivor(session: Session, person_id: int) -> int:
    """The person a (possibly merged) record now belongs to."""
    seen = set()
    while True:
        nxt = session.get(Person, person_id).merged_into_id
        if nxt is None or nxt in seen:
            return person_id
        seen.add(person_id)
        person_id = nxt


def cluster(session: Session, person_id: int) -> list[int]:
    """The survivor and every record merged into it, directly or not."""
    root = survivor(session, person_id)
    ids, frontier = [root], [root]
    while frontier:
        frontier = list(session.execute(select(Person.id).where(Person.merged_into_id.in_(frontier))).scalars())
        ids += frontier
    return ids


def merge(session: Session, merged_id: int, into_id: int, *, actor: str, reason: str) -> MergeAudit:
    if merged_id == into_id:
        raise IdentityError("不能把一个人合并到自己")
    a, b = session.get(Person, merged_id), session.get(Person, into_id)
    if a is None or b is None:
        raise IdentityError(f"人员不存在：{merged_id if a is None else into_id}")
    if a.merged_into_id is not None:
        raise IdentityError(f"人员 {merged_id} 已合并到 {a.merged_into_id}")
    if survivor(session, into_id) == merged_id:
        raise IdentityError("合并会形成循环")
    if a.id_number and b.id_number and a.id_number != b.id_number and not reason:
        raise IdentityError("两个不同的身份证号码合并须说明理由")
    a.merged_into_id = into_id
    audit = MergeAudit(action="merge", survivor_id=into_id, merged_id=merged_id, actor=actor, reason=reason,
                       at=dt.datetime.now())
    session.add(audit)
    session.flush()
    return audit


def split(session: Session, merge_id: int, *, actor: str, reason: str) -> MergeAudit:
    m = session.get(MergeAudit, merge_id)
    if m is None or m.action != "merge":
        raise IdentityError(f"合并记录不存在：{merge_id}")
    if session.execute(select(MergeAudit.id).where(MergeAudit.reverses_id == merge_id)).first():
        raise IdentityError(f"合并 {merge_id} 已撤销")
    person = session.get(Person, m.merged_id)
    if person.merged_into_id != m.survivor_id:
        raise IdentityError(f"人员 {m.merged_id} 当前不在合并 {merge_id} 的状态")
    person.merged_into_id = None
    audit = MergeAudit(action="split", survivor_id=m.survivor_id, merged_id=m.merged_id, actor=actor,
                       reason=reason, at=dt.datetime.now(), reverses_id=merge_id)
    session.add(audit)
    session.execute(update(MatchCandidate).where(MatchCandidate.merge_id == merge_id)
                    .values(status="pending", decided_by=None, decided_at=None, merge_id=None))
    session.flush()
    return audit


def decide(session: Session, candidate_id: int, *, confirm: bool, actor: str, reason: str = "") -> MatchCandidate:
    """An official's decision on a queued pair: confirm merges the record into the candidate."""
    c = session.get(MatchCandidate, candidate_id)
    if c is None:
        raise IdentityError(f"待确认记录不存在：{candidate_id}")
    if c.status != "pending":
        raise IdentityError(f"待确认记录 {candidate_id} 已处理（{c.status}）")
    if confirm:
        audit = merge(session, c.person_id, c.candidate_id, actor=actor, reason=reason or f"确认待匹配记录 {c.id}")
        c.merge_id = audit.id
    c.status = "confirmed" if confirm else "rejected"
    c.decided_by, c.decided_at = actor, dt.datetime.now()
    session.flush()
    return c


def pending(session: Session, limit: int = 100, offset: int = 0, region: str | None = None) -> list[MatchCandidate]:
    """Pairs waiting for a decision; with `region` (a region prefix) only pairs whose two persons were both
    registered there (the API then checks each person's current hukou)."""
    q = select(MatchCandidate).where(MatchCandidate.status == "pending")
    if region:
        a, b = aliased(Person), aliased(Person)
        q = (q.join(a, a.id == MatchCandidate.person_id).join(b, b.id == MatchCandidate.candidate_id)
             .where(a.region.like(f"{region}%"), b.region.like(f"{region}%")))
    return list(session.execute(q.order_by(MatchCandidate.id).limit(limit).offset(offset)).scalars())
