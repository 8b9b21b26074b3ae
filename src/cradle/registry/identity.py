"""Identity resolution. Same ID number → same person, at once (set-based, in ingest). Without an ID number, a
person that agrees on name, sex, birth date and city with another is queued for an official: never merged
silently. Merge and split are audited; a merge never moves a fact, it only points one person at another, so a
split restores exactly what was there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Table, select, text, update
from sqlalchemy.orm import Session, aliased

from cradle.errors import N_, Invalid, NotFound
from cradle.registry.feeds import Feed
from cradle.registry.models import MatchCandidate, MergeAudit, Person

BASIS = "name+sex+birth_date+city"


def queue_new_against_unnumbered(conn: Connection, before_id: int) -> int:
    """Persons just created from an ID number that look like an existing person without one. Driven from the
    new persons (a primary-key range) into the partial index of unnumbered persons, so its cost follows the
    batch, not the registry."""
    return (
        conn.execute(
            text(
                f"""INSERT INTO registry_match_candidate (person_id, candidate_id, basis, status)
            SELECT o.id, n.id, '{BASIS}', 'pending'
            FROM registry_person n
            JOIN registry_person o ON o.birth_date = n.birth_date AND o.name = n.name AND o.sex = n.sex
                 AND o.id_number IS NULL AND o.merged_into_id IS NULL
            WHERE n.id > :before AND n.id_number IS NOT NULL
              AND substr(o.region, 1, 4) = substr(n.region, 1, 4)
              AND NOT EXISTS (SELECT 1 FROM registry_match_candidate c
                              WHERE c.person_id = o.id AND c.candidate_id = n.id)"""
            ),
            {"before": before_id},
        ).rowcount
        or 0
    )


def resolve_unnumbered(conn: Connection, stage: Table, feed: Feed) -> int:
    """Staged rows whose subject has no ID number: a new person each, queued against every earlier look-alike
    (numbered or not). Set-based: the rows get person ids first (PostgreSQL from the persons' sequence, SQLite
    above MAX(id) under the batch's write lock), then one INSERT creates the persons and one queues the pairs."""
    S = stage.name
    region = "region" if "region" in feed.names else "hukou_region"
    if not conn.execute(text(f"SELECT count(*) FROM {S} WHERE id_number IS NULL")).scalar_one():
        return 0
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"""UPDATE {S} SET _person_id = nextval(pg_get_serial_sequence('registry_person', 'id'))
                              WHERE id_number IS NULL""")
        )
    else:
        base = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM registry_person")).scalar_one()
        conn.execute(
            text(f"UPDATE {S} SET _person_id = rowid + :base WHERE id_number IS NULL"), {"base": base}
        )
    conn.execute(
        text(
            f"""INSERT INTO registry_person (id, name, sex, birth_date, region)
            SELECT _person_id, name, sex, birth_date, {region} FROM {S} WHERE id_number IS NULL"""
        )
    )
    # p.id < s._person_id: each pair once, the newer record pointing at the older (as the rows arrived)
    conn.execute(
        text(
            f"""INSERT INTO registry_match_candidate (person_id, candidate_id, basis, status)
            SELECT s._person_id, p.id, '{BASIS}', 'pending' FROM {S} s
            JOIN registry_person p ON p.birth_date = s.birth_date AND p.name = s.name AND p.sex = s.sex
                 AND p.merged_into_id IS NULL AND p.id < s._person_id
            WHERE s.id_number IS NULL AND p.region LIKE COALESCE(substr(s.{region}, 1, 4), '') || '%'"""
        )
    )
    return conn.execute(
        text(
            f"""SELECT count(*) FROM {S} s WHERE s.id_number IS NULL
            AND EXISTS (SELECT 1 FROM registry_match_candidate c WHERE c.person_id = s._person_id)"""
        )
    ).scalar_one()


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
        frontier = list(
            session.execute(select(Person.id).where(Person.merged_into_id.in_(frontier))).scalars()
        )
        ids += frontier
    return ids


def merge(
    session: Session, merged_id: int, into_id: int, *, actor: str, reason: str, field: str = "merged_id"
) -> MergeAudit:
    """Points `merged_id` at `into_id`; a refusal names `field` (the caller's name for the pair), or `reason`."""
    if merged_id == into_id:
        raise Invalid(field, N_("A person cannot be merged into themselves"))
    a, b = session.get(Person, merged_id), session.get(Person, into_id)
    if a is None or b is None:
        raise NotFound(
            field, N_("Person does not exist: %(person)s"), person=merged_id if a is None else into_id
        )
    if a.merged_into_id is not None:
        raise Invalid(
            field,
            N_("Person %(person)s has been merged into %(into)s"),
            person=merged_id,
            into=a.merged_into_id,
        )
    if survivor(session, into_id) == merged_id:
        raise Invalid(field, N_("A merge would form a cycle"))
    if a.id_number and b.id_number and a.id_number != b.id_number and not reason:
        raise Invalid("reason", N_("Merging two different ID numbers needs a reason"))
    a.merged_into_id = into_id
    audit = MergeAudit(
        action="merge",
        survivor_id=into_id,
        merged_id=merged_id,
        actor=actor,
        reason=reason,
        at=dt.datetime.now(),
    )
    session.add(audit)
    session.flush()
    return audit


def split(session: Session, merge_id: int, *, actor: str, reason: str) -> MergeAudit:
    m = session.get(MergeAudit, merge_id)
    if m is None or m.action != "merge":
        raise NotFound("merge_id", N_("Merge record does not exist: %(merge)s"), merge=merge_id)
    if session.execute(select(MergeAudit.id).where(MergeAudit.reverses_id == merge_id)).first():
        raise Invalid("merge_id", N_("Merge %(merge)s has been undone"), merge=merge_id)
    person = session.get(Person, m.merged_id)
    if person.merged_into_id != m.survivor_id:
        raise Invalid(
            "merge_id",
            N_("Person %(person)s is not in the state of merge %(merge)s"),
            person=m.merged_id,
            merge=merge_id,
        )
    person.merged_into_id = None
    audit = MergeAudit(
        action="split",
        survivor_id=m.survivor_id,
        merged_id=m.merged_id,
        actor=actor,
        reason=reason,
        at=dt.datetime.now(),
        reverses_id=merge_id,
    )
    session.add(audit)
    session.execute(
        update(MatchCandidate)
        .where(MatchCandidate.merge_id == merge_id)
        .values(status="pending", decided_by=None, decided_at=None, merge_id=None)
    )
    session.flush()
    return audit


def decide(
    session: Session, candidate_id: int, *, confirm: bool, actor: str, reason: str = ""
) -> MatchCandidate:
    """An official's decision on a queued pair: confirm merges the record into the candidate."""
    c = session.get(MatchCandidate, candidate_id)
    if c is None:
        raise NotFound(
            "candidate_id", N_("Pending match does not exist: %(candidate)s"), candidate=candidate_id
        )
    if c.status != "pending":
        raise Invalid(
            "candidate_id",
            N_("Pending match %(candidate)s already handled (%(status)s)"),
            candidate=candidate_id,
            status=c.status,
        )
    if confirm:
        audit = merge(
            session,
            c.person_id,
            c.candidate_id,
            actor=actor,
            reason=reason or f"确认待匹配记录 {c.id}",
            field="candidate_id",
        )
        c.merge_id = audit.id
    c.status = "confirmed" if confirm else "rejected"
    c.decided_by, c.decided_at = actor, dt.datetime.now()
    session.flush()
    return c


def pending(
    session: Session, limit: int = 100, offset: int = 0, region: str | None = None
) -> list[MatchCandidate]:
    """Pairs waiting for a decision; with `region` (a region prefix) only pairs whose two persons were both
    registered there (the API then checks each person's current hukou)."""
    q = select(MatchCandidate).where(MatchCandidate.status == "pending")
    if region:
        a, b = aliased(Person), aliased(Person)
        q = (
            q.join(a, a.id == MatchCandidate.person_id)
            .join(b, b.id == MatchCandidate.candidate_id)
            .where(a.region.like(f"{region}%"), b.region.like(f"{region}%"))
        )
    return list(session.execute(q.order_by(MatchCandidate.id).limit(limit).offset(offset)).scalars())
