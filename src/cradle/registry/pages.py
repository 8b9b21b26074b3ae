"""Pages of the population data hub for officials (/registry): person search (ID numbers masked unless the role
handles cases in that region; unmasked views audited), a person's history with the source of every fact, and
ingest runs with their quarantined rows. The same scope and masking as the JSON API, which they call."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from cradle.auth.deps import current_actor, require
from cradle.db import RequestSession
from cradle.registry import access, api
from cradle.registry import models as m
from cradle.web.templating import render

router = APIRouter(prefix="/registry", include_in_schema=False)
ID_LIKE = re.compile(r"^\d{6}[\dXx*]{9,12}$")


def _reader(request: Request):
    """Anonymous visitors go to the sign-in page and come back; other roles than officials are refused."""
    actor = current_actor(request)
    if not actor.authenticated and not getattr(request.state, "csrf_failed", False):
        return RedirectResponse(f"/auth/login?next={quote(request.url.path)}", status_code=303)
    return require(*access.READERS)(request)


def _not_found(request: Request, exc: HTTPException) -> Response:
    return render(
        request,
        "error.html",
        status_code=exc.status_code,
        status=exc.status_code,
        errors=exc.detail["errors"],
    )


@router.get("")
def index(request: Request, db: RequestSession, actor=Depends(_reader)) -> Response:
    if isinstance(actor, Response):
        return actor
    runs = api.runs(db, actor, limit=20)["runs"]
    queue = api.pending(db, actor, limit=20)["pending"]
    return render(request, "registry/index.html", runs=runs, queue=queue, q="")


@router.get("/persons")
def persons(
    request: Request,
    db: RequestSession,
    actor=Depends(_reader),
    q: str = "",
    birth_date: str = "",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    if isinstance(actor, Response):
        return actor
    q, error, found = q.strip(), None, []
    born = None
    if birth_date:
        try:
            born = dt.date.fromisoformat(birth_date)
        except ValueError:
            error = ("birth_date", birth_date)
    if (q or born) and not error:
        by_id = bool(ID_LIKE.match(q))
        found = api.persons(
            db,
            actor,
            id_number=q if by_id else None,
            name=None if by_id else (q or None),
            birth_date=born,
            limit=50,
            offset=offset,
        )["persons"]
    return render(
        request,
        "registry/persons.html",
        q=q,
        birth_date=birth_date,
        persons=found,
        error=error,
        searched=bool(q or born),
        offset=offset,
    )


@router.get("/persons/{person_id}")
def person(request: Request, db: RequestSession, person_id: api.Id, actor=Depends(_reader)) -> Response:
    if isinstance(actor, Response):
        return actor
    try:
        data = api.person(person_id, db, actor)
    except HTTPException as exc:
        return _not_found(request, exc)
    for fact in data["facts"]:
        fact["source"]["file_name"] = fact["source"]["file"].replace("\\", "/").rsplit("/", 1)[-1]
    return render(
        request, "registry/person.html", p=data["person"], facts=data["facts"], merges=data["merges"]
    )


@router.get("/runs/{run_id}")
def run(
    request: Request,
    db: RequestSession,
    run_id: api.Id,
    actor=Depends(_reader),
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    if isinstance(actor, Response):
        return actor
    try:
        data = api.run(run_id, db, actor, limit=200, offset=offset)
    except HTTPException as exc:
        return _not_found(request, exc)
    r = data["run"]
    r["file_name"] = r["file"].replace("\\", "/").rsplit("/", 1)[-1]
    persons = {}
    if data["quarantine"]:  # rows already stored under the same record number point at their person
        nos = [q["raw"].get("record_no") for q in data["quarantine"] if q["raw"].get("record_no")]
        persons = dict(
            db.execute(
                select(m.SourceRecord.record_no, m.SourceRecord.person_id).where(
                    m.SourceRecord.dept == r["dept"], m.SourceRecord.record_no.in_(nos)
                )
            ).all()
        )
    return render(
        request, "registry/run.html", run=r, rows=data["quarantine"], persons=persons, offset=offset
    )
