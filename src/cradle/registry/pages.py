"""Pages of the population data hub for officials (/registry): person search (ID numbers masked unless the role
handles cases in that region; unmasked views audited), a person's history with the source of every fact, and
ingest runs with their quarantined rows. The same scope and masking as the JSON API (`cradle.registry.browse`);
a record outside the scope is the error page (404), from the app's one handler."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from cradle.auth.actor import Actor
from cradle.auth.deps import PageActor
from cradle.registry import access, browse
from cradle.registry.validation import REASON_MESSAGES
from cradle.web.session import RequestSession
from cradle.web.templating import render

router = APIRouter(prefix="/registry", include_in_schema=False)
ID_LIKE = re.compile(r"^\d{6}[\dXx*]{9,12}$")
Reader = Annotated[Actor, Depends(PageActor(*access.READERS))]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Id = Annotated[int, Path(ge=1, le=2**62)]


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


@router.get("")
def index(request: Request, db: RequestSession, actor: Reader) -> Response:
    runs = browse.runs(db, actor, limit=20)
    queue = browse.pending(db, actor, limit=20)
    return render(
        request,
        "registry/index.html",
        runs=runs,
        queue=queue,
        q="",
        may_upload=actor.role in access.UPLOADERS,
    )


@router.get("/persons")
def persons(
    request: Request, db: RequestSession, actor: Reader, q: str = "", birth_date: str = "", offset: Offset = 0
) -> Response:
    q, error, found = q.strip(), None, []
    born = None
    if birth_date:
        try:
            born = dt.date.fromisoformat(birth_date)
        except ValueError:
            error = ("birth_date", birth_date)
    if (q or born) and not error:
        by_id = bool(ID_LIKE.match(q))
        found = browse.find_persons(
            db,
            actor,
            id_number=q if by_id else None,
            name=None if by_id else (q or None),
            birth_date=born,
            limit=50,
            offset=offset,
        )
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
def person(request: Request, db: RequestSession, person_id: Id, actor: Reader) -> Response:
    data = browse.person_history(db, actor, person_id)
    for fact in data["facts"]:
        fact["source"]["file_name"] = _file_name(fact["source"]["file"])
    return render(
        request, "registry/person.html", p=data["person"], facts=data["facts"], merges=data["merges"]
    )


@router.get("/runs/{run_id}")
def run(request: Request, db: RequestSession, run_id: Id, actor: Reader, offset: Offset = 0) -> Response:
    data = browse.run_with_rows(db, actor, run_id, limit=200, offset=offset)
    r = data["run"]
    r["file_name"] = _file_name(r["file"])
    nos = [q["raw"].get("record_no") for q in data["quarantine"] if q["raw"].get("record_no")]
    # rows already stored under the same record number point at their person
    persons = browse.stored_persons(db, r["dept"], nos) if nos else {}
    return render(
        request,
        "registry/run.html",
        run=r,
        rows=data["quarantine"],
        persons=persons,
        offset=offset,
        reasons=REASON_MESSAGES,
    )
