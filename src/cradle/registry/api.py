"""JSON API of the population data hub, for officials: person search (ID numbers masked unless the role handles
cases in that region; unmasked views are audited), a person's history with sources and household JSON, ingest
runs with their quarantine, quarantine correction and re-submission, and the identity review queue."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth import masking
from cradle.auth.actor import Actor
from cradle.auth.deps import require
from cradle.db import RequestSession
from cradle.registry import access, identity
from cradle.registry import history as hist
from cradle.registry import models as m
from cradle.registry.exposure import audit_unmasked, shown_raw

router = APIRouter(prefix="/api/v1/registry", tags=["registry"])
Official = Annotated[Actor, Depends(require(*access.READERS))]
Writer = Annotated[Actor, Depends(require(*access.WRITERS))]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Id = Annotated[int, Path(ge=1, le=2**62)]


def _error(status: int, field: str | None, code: str, message: str) -> HTTPException:
    return HTTPException(status, {"errors": [{"field": field, "code": code, "message": message}]})


def _scope(actor: Actor) -> str | None:
    return actor.scope[:6] if actor.scope else None


def _person_or_404(db: Session, actor: Actor, person_id: int, field: str = "person_id") -> m.Person:
    p = db.get(m.Person, person_id)
    if not access.sees_person(db, actor, p):
        raise _error(404, field, "not_found", f"人员不存在或不在您的管辖范围：{person_id}")
    return p


def _person_json(db: Session, actor: Actor, p: m.Person) -> dict:
    region = hist.current_hukou(db, p.id) or p.region
    shown = masking.show_person(
        db, actor, subject=f"registry:person:{p.id}", region=region, id_number=p.id_number, purpose="registry"
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


@router.get("/persons", summary="Search persons")
def persons(
    db: RequestSession,
    actor: Official,
    id_number: str | None = None,
    name: str | None = None,
    birth_date: dt.date | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
) -> dict:
    if not (id_number or name or birth_date):
        raise _error(422, "id_number", "missing", "请至少提供身份证号码、姓名或出生日期之一")
    found = hist.search(
        db,
        id_number=id_number,
        name=name,
        birth_date=birth_date,
        region=_scope(actor),
        limit=limit,
        offset=offset,
    )
    return {"persons": [_person_json(db, actor, p) for p in found if access.sees_person(db, actor, p)]}


@router.get("/persons/{person_id}", summary="A person with the history of every fact and its source")
def person(person_id: Id, db: RequestSession, actor: Official) -> dict:
    p = _person_or_404(db, actor, person_id)
    return {"person": _person_json(db, actor, p), **hist.history(db, p.id)}


@router.get("/persons/{person_id}/household", summary="The catalogue's household JSON for this person")
def household(person_id: Id, db: RequestSession, actor: Official, on: dt.date | None = None) -> dict:
    from cradle.registry.household import HouseholdError, build_household

    p = _person_or_404(db, actor, person_id)
    if not p.id_number:
        raise _error(422, "person_id", "no_id_number", "该人员没有身份证号码，请先确认身份匹配")
    try:
        data = build_household(db, p.id_number, on or dt.date.today())
    except HouseholdError as exc:
        raise _error(422, "person_id", "household", str(exc)) from None
    for member in data["members"]:
        if member.get("id_number"):
            member["id_number"] = masking.show_person(
                db,
                actor,
                subject=f"registry:household:{p.id}:{member.get('id', '')}",
                region=member.get("hukou"),
                id_number=member["id_number"],
                purpose="registry household",
            )["id_number"]
    return data


@router.get("/runs", summary="Ingest runs overlapping your scope, newest first")
def runs(
    db: RequestSession,
    actor: Official,
    dept: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
) -> dict:
    q = select(m.IngestRun).where(access.run_filter(actor)).order_by(m.IngestRun.id.desc())
    if dept:
        q = q.where(m.IngestRun.dept == dept)
    found = [r for r in db.execute(q.limit(limit).offset(offset)).scalars() if access.sees_run(actor, r)]
    return {"runs": [_run_json(r) for r in found]}


def _run_json(r: m.IngestRun) -> dict:
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


def _quarantine_list(db: Session, actor: Actor, rows: list[m.QuarantineRow], purpose: str) -> list[dict]:
    rows = [q for q in rows if access.sees_row(actor, q)]
    unmasked = [q for q in rows if masking.may_unmask(actor, access.row_scope(q))]
    audit_unmasked(db, actor, unmasked, purpose)
    return [_quarantine_json(actor, q) for q in rows]


def _quarantine_json(actor: Actor, q: m.QuarantineRow) -> dict:
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


def _run_or_404(db: Session, actor: Actor, run_id: int) -> m.IngestRun:
    r = db.get(m.IngestRun, run_id)
    if r is None or not access.sees_run(actor, r):
        raise _error(404, "run_id", "not_found", f"导入批次不存在或不在您的管辖范围：{run_id}")
    return r


@router.get("/runs/{run_id}", summary="One run with its quarantined rows inside your scope")
def run(
    run_id: Id,
    db: RequestSession,
    actor: Official,
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
) -> dict:
    from cradle.registry.quarantine import list_rows

    r = _run_or_404(db, actor, run_id)
    rows = list_rows(
        db, run_id=run_id, status="all", limit=limit, offset=offset, where=access.quarantine_filter(actor)
    )
    return {"run": _run_json(r), "quarantine": _quarantine_list(db, actor, rows, "registry run")}


@router.get("/quarantine", summary="Quarantined rows inside your scope")
def quarantine(
    db: RequestSession,
    actor: Official,
    run_id: int | None = None,
    dept: str | None = None,
    reason: str | None = None,
    status: str = "open",
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
) -> dict:
    from cradle.registry.quarantine import count_rows, list_rows

    where = access.quarantine_filter(actor)
    rows = list_rows(
        db, run_id=run_id, dept=dept, reason=reason, status=status, limit=limit, offset=offset, where=where
    )
    total = count_rows(db, run_id=run_id, dept=dept, reason=reason, status=status, where=where)
    return {"total": total, "rows": _quarantine_list(db, actor, rows, "registry quarantine")}


@router.get(
    "/quarantine.csv",
    summary="Export quarantined rows inside your scope as CSV (ID numbers masked "
    "unless your role handles cases; unmasked exports are audited)",
)
def quarantine_csv(
    db: RequestSession,
    actor: Official,
    run_id: int | None = None,
    dept: str | None = None,
    status: str = "open",
) -> StreamingResponse:
    import pathlib
    import tempfile

    from cradle.registry.quarantine import export_csv

    unmasked: list[m.QuarantineRow] = []

    def values(q: m.QuarantineRow) -> dict | None:
        if not access.sees_row(actor, q):
            return None
        if masking.may_unmask(actor, access.row_scope(q)):
            unmasked.append(q)
        return shown_raw(actor, q, {**q.raw, **(q.corrected or {})})

    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "quarantine.csv"
        export_csv(
            db,
            path,
            run_id=run_id,
            dept=dept,
            status=status,
            where=access.quarantine_filter(actor),
            values=values,
        )
        data = path.read_bytes()
    audit_unmasked(db, actor, unmasked, "registry quarantine.csv")
    return StreamingResponse(
        io.BytesIO(data),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=quarantine.csv"},
    )


def _writable_rows(db: Session, actor: Actor, ids: list[int], field: str) -> list[m.QuarantineRow]:
    rows = []
    for i, row_id in enumerate(ids):
        q = db.get(m.QuarantineRow, row_id)
        name = field if field == "row_id" else f"{field}[{i}]"
        if q is None or not access.sees_row(actor, q):
            raise _error(404, name, "not_found", f"隔离记录不存在或不在您的管辖范围：{row_id}")
        if not access.may_write_rows(actor, q.dept):
            raise _error(403, name, "forbidden_role", f"您的角色不能更正 {q.dept} 的隔离记录：{row_id}")
        rows.append(q)
    return rows


@router.post("/quarantine/{row_id}/correct", summary="Store a correction beside the row as read")
def correct(
    row_id: Id, db: RequestSession, actor: Writer, changes: dict[str, str | None] = Body(..., embed=True)
) -> dict:
    from cradle.registry.quarantine import QuarantineError
    from cradle.registry.quarantine import correct as do_correct

    _writable_rows(db, actor, [row_id], "row_id")
    region = changes.get("hukou_region") or changes.get("region")
    if region and not actor.can_see(region):
        raise _error(403, "changes.region", "out_of_scope", f"{region} 不在您的管辖范围")
    try:
        row = do_correct(db, row_id, changes)
    except QuarantineError as exc:
        raise _error(422, "changes", "invalid", str(exc)) from None
    return _quarantine_list(db, actor, [row], "registry quarantine correction")[0]


@router.post("/quarantine/resubmit", summary="Run corrected rows through ingest again")
def resubmit(db: RequestSession, actor: Writer, ids: list[int] = Body(..., embed=True, min_length=1)) -> dict:
    from cradle.registry.quarantine import QuarantineError
    from cradle.registry.quarantine import resubmit as do_resubmit

    _writable_rows(db, actor, ids, "ids")
    db.commit()  # the re-submission runs on its own connection
    try:
        results = do_resubmit(ids, engine=db.get_bind())
    except QuarantineError as exc:
        raise _error(422, "ids", "invalid", str(exc)) from None
    return {"runs": [s.as_dict() for s in results]}


@router.get("/identity/pending", summary="Candidate matches inside your scope waiting for an official")
def pending(
    db: RequestSession, actor: Official, limit: int = Query(50, ge=1, le=500), offset: Offset = 0
) -> dict:
    out = []
    for c in identity.pending(
        db, limit, offset, region=hist.scope_prefix(actor.scope[:6]) if actor.scope else None
    ):
        a, b = db.get(m.Person, c.person_id), db.get(m.Person, c.candidate_id)
        if access.sees_person(db, actor, a) and access.sees_person(db, actor, b):
            out.append(
                {
                    "id": c.id,
                    "basis": c.basis,
                    "record": _person_json(db, actor, a),
                    "candidate": _person_json(db, actor, b),
                }
            )
    return {"pending": out}


def _may_decide(actor: Actor, field: str) -> None:
    if not access.may_decide_identity(actor):
        raise _error(403, field, "forbidden_role", "只有乡镇、县级官员和办理个案的部门可以确认或拆分人员合并")


@router.post(
    "/identity/candidates/{candidate_id}/decide", summary="Confirm (merge) or reject a candidate match"
)
def decide(
    candidate_id: Id, db: RequestSession, actor: Writer, confirm: bool = Body(...), reason: str = Body("")
) -> dict:
    _may_decide(actor, "candidate_id")
    c = db.get(m.MatchCandidate, candidate_id)
    if c is None:
        raise _error(404, "candidate_id", "not_found", f"待确认记录不存在：{candidate_id}")
    for pid in (c.person_id, c.candidate_id):
        if not access.sees_person(db, actor, db.get(m.Person, pid)):
            raise _error(
                404, "candidate_id", "not_found", f"待确认记录不存在或不在您的管辖范围：{candidate_id}"
            )
    try:
        c = identity.decide(db, candidate_id, confirm=confirm, actor=actor.ref, reason=reason)
    except identity.IdentityError as exc:
        raise _error(422, "candidate_id", "invalid", str(exc)) from None
    return {"id": c.id, "status": c.status, "merge_id": c.merge_id}


@router.post("/identity/merges/{merge_id}/split", summary="Reverse a merge")
def split(merge_id: Id, db: RequestSession, actor: Writer, reason: str = Body(..., embed=True)) -> dict:
    _may_decide(actor, "merge_id")
    merge = db.get(m.MergeAudit, merge_id)
    if merge is None or not all(
        access.sees_person(db, actor, db.get(m.Person, pid)) for pid in (merge.survivor_id, merge.merged_id)
    ):
        raise _error(404, "merge_id", "not_found", f"合并记录不存在或不在您的管辖范围：{merge_id}")
    try:
        a = identity.split(db, merge_id, actor=actor.ref, reason=reason)
    except identity.IdentityError as exc:
        raise _error(422, "merge_id", "invalid", str(exc)) from None
    return {"id": a.id, "action": a.action, "reverses_id": a.reverses_id}
