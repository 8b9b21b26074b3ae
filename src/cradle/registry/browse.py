"""What an official sees and does in the population data hub, inside their scope: person search (ID numbers
masked unless the role handles cases in that region; unmasked views are audited), a person's history with
sources and household JSON, ingest runs with their quarantine, quarantine correction and re-submission, and the
identity review queue. The JSON API (`registry/api.py`) and the pages (`registry/pages.py`) answer with these;
refusals are `cradle.errors`."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth import masking
from cradle.auth.actor import Actor
from cradle.errors import N_, Forbidden, Invalid, NotFound, OutOfScope
from cradle.registry import access, identity, quarantine
from cradle.registry import history as hist
from cradle.registry import models as m
from cradle.registry.exposure import audit_unmasked, shown_raw
from cradle.registry.household import build_household


def _scope(actor: Actor) -> str | None:
    return actor.scope[:6] if actor.scope else None


def visible_person(session: Session, actor: Actor, person_id: int, field: str = "person_id") -> m.Person:
    p = session.get(m.Person, person_id)
    if not access.sees_person(session, actor, p):
        raise NotFound(
            field, N_("Person does not exist or is outside your jurisdiction: %(person)s"), person=person_id
        )
    return p


def shown_person(session: Session, actor: Actor, p: m.Person) -> dict:
    region = hist.current_hukou(session, p.id) or p.region
    shown = masking.show_person(
        session,
        actor,
        subject=f"registry:person:{p.id}",
        region=region,
        id_number=p.id_number,
        purpose="registry",
    )
    return {
        "id": p.id,
        "id_number": shown["id_number"],
        "masked": shown["masked"],
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date.isoformat(),
        "hukou": region,
        "merged_into_id": p.merged_into_id,
    }


def find_persons(
    session: Session,
    actor: Actor,
    *,
    id_number: str | None = None,
    name: str | None = None,
    birth_date: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict]:
    if not (id_number or name or birth_date):
        raise Invalid(
            "id_number", N_("Give at least an ID number, a name or a date of birth"), code="missing"
        )
    found = hist.search(
        session,
        id_number=id_number,
        name=name,
        birth_date=birth_date,
        region=_scope(actor),
        limit=limit,
        offset=offset,
    )
    return [shown_person(session, actor, p) for p in found if access.sees_person(session, actor, p)]


def person_history(session: Session, actor: Actor, person_id: int) -> dict:
    p = visible_person(session, actor, person_id)
    return {"person": shown_person(session, actor, p), **hist.history(session, p.id)}


def household(session: Session, actor: Actor, person_id: int, on: dt.date) -> dict:
    """The catalogue's household JSON for the person, each member's ID number shown as the actor may see it."""
    p = visible_person(session, actor, person_id)
    if not p.id_number:
        raise Invalid(
            "person_id",
            N_("This person has no ID number: confirm the identity match first"),
            code="no_id_number",
        )
    data = build_household(session, p.id_number, on)
    for member in data["members"]:
        if member.get("id_number"):
            member["id_number"] = masking.show_person(
                session,
                actor,
                subject=f"registry:household:{p.id}:{member.get('id', '')}",
                region=member.get("hukou"),
                id_number=member["id_number"],
                purpose="registry household",
            )["id_number"]
    return data


def run_dict(r: m.IngestRun) -> dict:
    return {
        "id": r.id,
        "dept": r.dept,
        "kind": r.kind,
        "file": r.file_name,
        "status": r.status,
        "region": r.region,
        "started_at": r.started_at.isoformat() if r.started_at else None,
        "finished_at": r.finished_at.isoformat() if r.finished_at else None,
        "rows_read": r.rows_read,
        "accepted": r.accepted,
        "merged": r.merged,
        "duplicates": r.duplicates,
        "quarantined": r.quarantined,
        "queued": r.queued,
        "reasons": r.reasons,
        "error": r.error,
    }


def runs(
    session: Session, actor: Actor, dept: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict]:
    """Ingest runs overlapping the actor's scope, newest first."""
    q = select(m.IngestRun).where(access.run_filter(actor)).order_by(m.IngestRun.id.desc())
    if dept:
        q = q.where(m.IngestRun.dept == dept)
    found = [r for r in session.execute(q.limit(limit).offset(offset)).scalars() if access.sees_run(actor, r)]
    return [run_dict(r) for r in found]


def _quarantine_list(session: Session, actor: Actor, rows: list[m.QuarantineRow], purpose: str) -> list[dict]:
    rows = [q for q in rows if access.sees_row(actor, q)]
    unmasked = [q for q in rows if masking.may_unmask(actor, access.row_scope(q))]
    audit_unmasked(session, actor, unmasked, purpose)
    return [_quarantine_dict(actor, q) for q in rows]


def _quarantine_dict(actor: Actor, q: m.QuarantineRow) -> dict:
    return {
        "id": q.id,
        "run_id": q.run_id,
        "dept": q.dept,
        "file": q.file_name,
        "row_no": q.row_no,
        "region": q.region,
        "town": q.town,
        "field": q.field,
        "reason": q.reason,
        "message": q.message,
        "status": q.status,
        "raw": shown_raw(actor, q, q.raw),
        "corrected": shown_raw(actor, q, q.corrected),
        "resolved_run_id": q.resolved_run_id,
    }


def run_with_rows(session: Session, actor: Actor, run_id: int, limit: int = 100, offset: int = 0) -> dict:
    """One run with its quarantined rows inside the actor's scope."""
    r = session.get(m.IngestRun, run_id)
    if r is None or not access.sees_run(actor, r):
        raise NotFound(
            "run_id", N_("Import run does not exist or is outside your jurisdiction: %(run)s"), run=run_id
        )
    rows = quarantine.list_rows(
        session,
        run_id=run_id,
        status="all",
        limit=limit,
        offset=offset,
        where=access.quarantine_filter(actor),
    )
    return {"run": run_dict(r), "quarantine": _quarantine_list(session, actor, rows, "registry run")}


def stored_persons(session: Session, dept: str, record_nos: list[str]) -> dict[str, int]:
    """The persons of rows already stored under these record numbers of the department."""
    return dict(
        session.execute(
            select(m.SourceRecord.record_no, m.SourceRecord.person_id).where(
                m.SourceRecord.dept == dept, m.SourceRecord.record_no.in_(record_nos)
            )
        ).all()
    )


def quarantined(
    session: Session,
    actor: Actor,
    *,
    run_id: int | None = None,
    dept: str | None = None,
    reason: str | None = None,
    status: str = "open",
    limit: int = 100,
    offset: int = 0,
) -> dict:
    """Quarantined rows inside the actor's scope, and how many there are in all."""
    where = access.quarantine_filter(actor)
    rows = quarantine.list_rows(
        session,
        run_id=run_id,
        dept=dept,
        reason=reason,
        status=status,
        limit=limit,
        offset=offset,
        where=where,
    )
    total = quarantine.count_rows(
        session, run_id=run_id, dept=dept, reason=reason, status=status, where=where
    )
    return {"total": total, "rows": _quarantine_list(session, actor, rows, "registry quarantine")}


def quarantine_csv(
    session: Session,
    actor: Actor,
    *,
    run_id: int | None = None,
    dept: str | None = None,
    status: str = "open",
) -> bytes:
    """The quarantined rows inside the actor's scope as CSV (ID numbers masked unless the role handles cases;
    an unmasked export is audited)."""
    unmasked: list[m.QuarantineRow] = []

    def values(q: m.QuarantineRow) -> dict | None:
        if not access.sees_row(actor, q):
            return None
        if masking.may_unmask(actor, access.row_scope(q)):
            unmasked.append(q)
        return shown_raw(actor, q, {**q.raw, **(q.corrected or {})})

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "quarantine.csv"
        quarantine.export_csv(
            session,
            path,
            run_id=run_id,
            dept=dept,
            status=status,
            where=access.quarantine_filter(actor),
            values=values,
        )
        data = path.read_bytes()
    audit_unmasked(session, actor, unmasked, "registry quarantine.csv")
    return data


def quarantine_row(session: Session, actor: Actor, row_id: int) -> dict:
    """One quarantined row inside the actor's scope, with the person stored under its record number (if any)."""
    q = session.get(m.QuarantineRow, row_id)
    if q is None or not access.sees_row(actor, q):
        raise NotFound(
            "row_id",
            N_("Quarantined row does not exist or is outside your jurisdiction: %(row)s"),
            row=row_id,
        )
    row = _quarantine_list(session, actor, [q], "registry quarantine row")[0]
    record_no = (q.corrected or {}).get("record_no") or q.raw.get("record_no")
    person = stored_persons(session, q.dept, [record_no]).get(record_no) if record_no else None
    return {**row, "person_id": person}


def _writable_rows(session: Session, actor: Actor, ids: list[int], field: str) -> list[m.QuarantineRow]:
    rows = []
    for i, row_id in enumerate(ids):
        q = session.get(m.QuarantineRow, row_id)
        name = field if field == "row_id" else f"{field}[{i}]"
        if q is None or not access.sees_row(actor, q):
            raise NotFound(
                name,
                N_("Quarantined row does not exist or is outside your jurisdiction: %(row)s"),
                row=row_id,
            )
        if not access.may_write_rows(actor, q.dept):
            raise Forbidden(
                name,
                N_("Your role cannot correct %(dept)s quarantined rows: %(row)s"),
                code="forbidden_role",
                dept=q.dept,
                row=row_id,
            )
        rows.append(q)
    return rows


def correct(session: Session, actor: Actor, row_id: int, changes: dict[str, str | None]) -> dict:
    """Stores a correction beside the row as read."""
    _writable_rows(session, actor, [row_id], "row_id")
    region = changes.get("hukou_region") or changes.get("region")
    if region and not actor.can_see(region):
        raise OutOfScope("changes.region", N_("%(region)s is outside your jurisdiction"), region=region)
    row = quarantine.correct(session, row_id, changes)
    return _quarantine_list(session, actor, [row], "registry quarantine correction")[0]


def resubmit(session: Session, actor: Actor, ids: list[int], engine: Engine) -> list[dict]:
    """Runs the corrected rows through ingest again (on connections of its own: the session is committed
    first)."""
    _writable_rows(session, actor, ids, "ids")
    session.commit()
    return [s.as_dict() for s in quarantine.resubmit(ids, engine=engine)]


def dismiss(session: Session, actor: Actor, ids: list[int], reason: str) -> int:
    """Closes quarantined rows without storing them, with the reason in the audit log."""
    if not ids:
        raise Invalid("ids", N_("Choose at least one row"), code="missing")
    if not reason.strip():
        raise Invalid("reason", N_("Give a reason"), code="missing")
    rows = _writable_rows(session, actor, ids, "ids")
    quarantine.dismiss(session, ids)
    for region in sorted({r.region or "unknown" for r in rows}):
        audit.record(
            session,
            actor,
            "dismiss_quarantined",
            f"registry:quarantine:{region}",
            {"rows": [r.id for r in rows if (r.region or "unknown") == region], "reason": reason.strip()},
        )
    return len(rows)


def pending(session: Session, actor: Actor, limit: int = 50, offset: int = 0) -> list[dict]:
    """Candidate matches inside the actor's scope waiting for an official."""
    out = []
    region = hist.scope_prefix(actor.scope[:6]) if actor.scope else None
    for c in identity.pending(session, limit, offset, region=region):
        a, b = session.get(m.Person, c.person_id), session.get(m.Person, c.candidate_id)
        if access.sees_person(session, actor, a) and access.sees_person(session, actor, b):
            out.append(
                {
                    "id": c.id,
                    "basis": c.basis,
                    "record": shown_person(session, actor, a),
                    "candidate": shown_person(session, actor, b),
                }
            )
    return out


def decided(session: Session, actor: Actor, kind: str, ref: int) -> dict | None:
    """The two persons of a match just decided (`kind` "candidate") or a merge just split ("merge"), as the
    page's confirmation line names them; None when either is outside the actor's scope or the id is unknown."""
    if kind == "candidate":
        row = session.get(m.MatchCandidate, ref)
        ids = (row.person_id, row.candidate_id) if row else None
    else:
        row = session.get(m.MergeAudit, ref)
        ids = (row.merged_id, row.survivor_id) if row else None
    if ids is None:
        return None
    persons = [session.get(m.Person, pid) for pid in ids]
    if not all(p is not None and access.sees_person(session, actor, p) for p in persons):
        return None
    return {
        "first": shown_person(session, actor, persons[0]),
        "second": shown_person(session, actor, persons[1]),
    }


def _may_decide(actor: Actor, field: str) -> None:
    if not access.may_decide_identity(actor):
        raise Forbidden(
            field,
            N_(
                "Only town and county officials and the departments handling a case can confirm or split merges"
            ),
            code="forbidden_role",
        )


def decide(session: Session, actor: Actor, candidate_id: int, *, confirm: bool, reason: str = "") -> dict:
    """Confirms (merges) or rejects a candidate match."""
    _may_decide(actor, "candidate_id")
    c = session.get(m.MatchCandidate, candidate_id)
    if c is None:
        raise NotFound(
            "candidate_id", N_("Pending match does not exist: %(candidate)s"), candidate=candidate_id
        )
    for pid in (c.person_id, c.candidate_id):
        if not access.sees_person(session, actor, session.get(m.Person, pid)):
            raise NotFound(
                "candidate_id",
                N_("Pending match does not exist or is outside your jurisdiction: %(candidate)s"),
                candidate=candidate_id,
            )
    c = identity.decide(session, candidate_id, confirm=confirm, actor=actor.ref, reason=reason)
    return {"id": c.id, "status": c.status, "merge_id": c.merge_id}


def split(session: Session, actor: Actor, merge_id: int, reason: str) -> dict:
    """Reverses a merge."""
    _may_decide(actor, "merge_id")
    merge = session.get(m.MergeAudit, merge_id)
    if merge is None or not all(
        access.sees_person(session, actor, session.get(m.Person, pid))
        for pid in (merge.survivor_id, merge.merged_id)
    ):
        raise NotFound(
            "merge_id",
            N_("Merge record does not exist or is outside your jurisdiction: %(merge)s"),
            merge=merge_id,
        )
    a = identity.split(session, merge_id, actor=actor.ref, reason=reason)
    return {"id": a.id, "action": a.action, "reverses_id": a.reverses_id}


def merges(session: Session, actor: Actor, limit: int = 50) -> list[dict]:
    """Merges not undone whose two persons lie inside the actor's scope, newest first: what may be split."""
    undone = select(m.MergeAudit.reverses_id).where(m.MergeAudit.reverses_id.is_not(None))
    q = (
        select(m.MergeAudit)
        .where(m.MergeAudit.action == "merge", m.MergeAudit.id.not_in(undone))
        .order_by(m.MergeAudit.id.desc())
    )
    out = []
    for a in session.execute(q.execution_options(yield_per=200)).scalars():  # until `limit` are in scope
        merged, survivor = session.get(m.Person, a.merged_id), session.get(m.Person, a.survivor_id)
        if access.sees_person(session, actor, merged) and access.sees_person(session, actor, survivor):
            out.append(
                {
                    "id": a.id,
                    "merged": shown_person(session, actor, merged),
                    "survivor": shown_person(session, actor, survivor),
                    "actor": a.actor,
                    "reason": a.reason,
                    "at": a.at.isoformat() if a.at else None,
                }
            )
        if len(out) == limit:
            break
    return out
