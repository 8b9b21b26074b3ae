"""JSON API of the population data hub, for officials: person search (ID numbers masked unless the role handles
cases in that region; unmasked views are audited), a person's history with sources and household JSON, ingest
runs with their quarantine, quarantine correction and re-submission, and the identity review queue."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle.auth import masking
from cradle.auth.actor import Actor
from cradle.auth.deps import get_db, officials
from cradle.idcard import mask
from cradle.registry import history as hist
from cradle.registry import identity
from cradle.registry import models as m

router = APIRouter(prefix="/api/v1/registry", tags=["registry"])
Db = Annotated[Session, Depends(get_db)]
Official = Annotated[Actor, Depends(officials)]


def _error(status: int, field: str | None, code: str, message: str) -> HTTPException:
    return HTTPException(status, {"errors": [{"field": field, "code": code, "message": message}]})


def _scope(actor: Actor) -> str | None:
    return actor.scope[:6] if actor.scope else None


def _person_or_404(db: Session, actor: Actor, person_id: int) -> m.Person:
    p = db.get(m.Person, person_id)
    region = (hist.current_hukou(db, person_id) or (p.region if p else None)) if p else None
    if p is None or not actor.can_see(region):
        raise _error(404, "person_id", "not_found", f"人员不存在或不在您的管辖范围：{person_id}")
    return p


def _person_json(db: Session, actor: Actor, p: m.Person) -> dict:
    region = hist.current_hukou(db, p.id) or p.region
    shown = masking.show_person(db, actor, subject=f"registry:person:{p.id}", region=region,
                                id_number=p.id_number, purpose="registry")
    return {"id": p.id, "id_number": shown["id_number"], "masked": shown["masked"], "name": p.name, "sex": p.sex,
            "birth_date": p.birth_date.isoformat(), "hukou": region, "merged_into_id": p.merged_into_id}


@router.get("/persons", summary="Search persons")
def persons(db: Db, actor: Official, id_number: str | None = None, name: str | None = None,
            birth_date: dt.date | None = None, limit: int = Query(50, le=500), offset: int = 0) -> dict:
    if not (id_number or name or birth_date):
        raise _error(422, "id_number", "missing", "请至少提供身份证号码、姓名或出生日期之一")
    found = hist.search(db, id_number=id_number, name=name, birth_date=birth_date, region=_scope(actor),
                        limit=limit, offset=offset)
    return {"persons": [_person_json(db, actor, p) for p in found]}


@router.get("/persons/{person_id}", summary="A person with the history of every fact and its source")
def person(person_id: int, db: Db, actor: Official) -> dict:
    p = _person_or_404(db, actor, person_id)
    return {"person": _person_json(db, actor, p), **hist.history(db, p.id)}


@router.get("/persons/{person_id}/household", summary="The catalogue's household JSON for this person")
def household(person_id: int, db: Db, actor: Official, on: dt.date | None = None) -> dict:
    from cradle.registry.household import HouseholdError, build_household

    p = _person_or_404(db, actor, person_id)
    if not p.id_number:
        raise _error(422, "person_id", "no_id_number", "该人员没有身份证号码，请先确认身份匹配")
    try:
        data = build_household(db, p.id_number, on or dt.date.today())
    except HouseholdError as exc:
        raise _error(422, "person_id", "household", str(exc)) from None
    for member in data["members"]:
        if member.get("id_number") and not masking.may_unmask(actor, member.get("hukou")):
            member["id_number"] = mask(member["id_number"])
    return data


@router.get("/runs", summary="Ingest runs, newest first")
def runs(db: Db, actor: Official, dept: str | None = None, limit: int = Query(50, le=500), offset: int = 0) -> dict:
    q = select(m.IngestRun).order_by(m.IngestRun.id.desc()).limit(limit).offset(offset)
    if dept:
        q = q.where(m.IngestRun.dept == dept)
    return {"runs": [_run_json(r) for r in db.execute(q).scalars()]}


def _run_json(r: m.IngestRun) -> dict:
    return {"id": r.id, "dept": r.dept, "kind": r.kind, "file": r.file_name, "status": r.status,
            "started_at": r.started_at.isoformat() if r.started_at else None,
            "finished_at": r.finished_at.isoformat() if r.finished_at else None, "rows_read": r.rows_read,
            "accepted": r.accepted, "merged": r.merged, "duplicates": r.duplicates, "quarantined": r.quarantined,
            "queued": r.queued, "reasons": r.reasons, "error": r.error}


def _quarantine_json(db: Session, actor: Actor, q: m.QuarantineRow) -> dict:
    raw = dict(q.raw)
    region = raw.get("hukou_region") or raw.get("region") or (raw.get("id_number") or "")[:6]
    if not masking.may_unmask(actor, region):
        raw = {k: (mask(v) if k.endswith("id_number") else v) for k, v in raw.items()}
    return {"id": q.id, "run_id": q.run_id, "dept": q.dept, "file": q.file_name, "row_no": q.row_no,
            "field": q.field, "reason": q.reason, "message": q.message, "status": q.status, "raw": raw,
            "corrected": q.corrected, "resolved_run_id": q.resolved_run_id}


@router.get("/runs/{run_id}", summary="One run with its quarantined rows")
def run(run_id: int, db: Db, actor: Official, limit: int = Query(100, le=1000), offset: int = 0) -> dict:
    from cradle.registry.quarantine import list_rows

    r = db.get(m.IngestRun, run_id)
    if r is None:
        raise _error(404, "run_id", "not_found", f"导入批次不存在：{run_id}")
    rows = list_rows(db, run_id=run_id, status="all", limit=limit, offset=offset)
    return {"run": _run_json(r), "quarantine": [_quarantine_json(db, actor, q) for q in rows]}


@router.get("/quarantine", summary="Quarantined rows")
def quarantine(db: Db, actor: Official, run_id: int | None = None, dept: str | None = None,
               reason: str | None = None, status: str = "open", limit: int = Query(100, le=1000),
               offset: int = 0) -> dict:
    from cradle.registry.quarantine import list_rows

    rows = list_rows(db, run_id=run_id, dept=dept, reason=reason, status=status, limit=limit, offset=offset)
    total = db.execute(select(func.count()).select_from(m.QuarantineRow).where(m.QuarantineRow.status == status)
                       if status != "all" else select(func.count()).select_from(m.QuarantineRow)).scalar_one()
    return {"total": total, "rows": [_quarantine_json(db, actor, q) for q in rows]}


@router.get("/quarantine.csv", summary="Export quarantined rows as CSV")
def quarantine_csv(db: Db, actor: Official, run_id: int | None = None, dept: str | None = None,
                   status: str = "open") -> StreamingResponse:
    import tempfile
    from pathlib import Path

    from cradle.registry.quarantine import export_csv

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "quarantine.csv"
        export_csv(db, path, run_id=run_id, dept=dept, status=status)
        data = path.read_bytes()
    return StreamingResponse(io.BytesIO(data), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": "attachment; filename=quarantine.csv"})


@router.post("/quarantine/{row_id}/correct", summary="Store a correction beside the row as read")
def correct(row_id: int, db: Db, actor: Official, changes: dict[str, str | None] = Body(..., embed=True)) -> dict:
    from cradle.registry.quarantine import QuarantineError
    from cradle.registry.quarantine import correct as do_correct

    try:
        row = do_correct(db, row_id, changes)
    except QuarantineError as exc:
        raise _error(422, "changes", "invalid", str(exc)) from None
    return _quarantine_json(db, actor, row)


@router.post("/quarantine/resubmit", summary="Run corrected rows through ingest again")
def resubmit(db: Db, actor: Official, ids: list[int] = Body(..., embed=True)) -> dict:
    from cradle.registry.quarantine import QuarantineError
    from cradle.registry.quarantine import resubmit as do_resubmit

    db.commit()  # the re-submission runs on its own connection
    try:
        results = do_resubmit(ids, engine=db.get_bind())
    except QuarantineError as exc:
        raise _error(422, "ids", "invalid", str(exc)) from None
    return {"runs": [s.as_dict() for s in results]}


@router.get("/identity/pending", summary="Candidate matches waiting for an official")
def pending(db: Db, actor: Official, limit: int = Query(50, le=500), offset: int = 0) -> dict:
    out = []
    for c in identity.pending(db, limit, offset):
        a, b = db.get(m.Person, c.person_id), db.get(m.Person, c.candidate_id)
        out.append({"id": c.id, "basis": c.basis, "record": _person_json(db, actor, a),
                    "candidate": _person_json(db, actor, b)})
    return {"pending": out}


@router.post("/identity/candidates/{candidate_id}/decide", summary="Confirm (merge) or reject a candidate match")
def decide(candidate_id: int, db: Db, actor: Official, confirm: bool = Body(...), reason: str = Body("")) -> dict:
    try:
        c = identity.decide(db, candidate_id, confirm=confirm, actor=actor.ref, reason=reason)
    except identity.IdentityError as exc:
        raise _error(422, "candidate_id", "invalid", str(exc)) from None
    return {"id": c.id, "status": c.status, "merge_id": c.merge_id}


@router.post("/identity/merges/{merge_id}/split", summary="Reverse a merge")
def split(merge_id: int, db: Db, actor: Official, reason: str = Body(..., embed=True)) -> dict:
    try:
        a = identity.split(db, merge_id, actor=actor.ref, reason=reason)
    except identity.IdentityError as exc:
        raise _error(422, "merge_id", "invalid", str(exc)) from None
    return {"id": a.id, "action": a.action, "reverses_id": a.reverses_id}
