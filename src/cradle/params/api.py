"""JSON API of the parameter desk under /api/v1/params, and POST /api/v1/documents (registering a document).
Thin routes over `desk`, `register` and `preview`; the same rules as the CLI and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cradle.auth.actor import Actor
from cradle.auth.deps import require
from cradle.params import desk, preview, views
from cradle.params.register import register
from cradle.params.schemas import (
    DecisionIn,
    DocumentIn,
    HistoryOut,
    ParametersOut,
    PreviewOut,
    ProposalIn,
    ProposalOut,
    ProposalsOut,
    RegisteredOut,
)
from cradle.web.session import RequestSession

router = APIRouter(prefix="/api/v1", tags=["params"])
Official = Annotated[Actor, Depends(require(*desk.DECIDING_ROLE.values()))]
SignedIn = Annotated[Actor, Depends(require())]


@router.get(
    "/params",
    summary="The parameters the caller decides, with the value in force",
    response_model=ParametersOut,
)
def list_parameters(actor: Official, on: dt.date | None = None) -> dict:
    return {"parameters": views.parameter_rows(actor, on or dt.date.today())}


@router.get(
    "/params/proposals", summary="Proposals of the caller's jurisdiction", response_model=ProposalsOut
)
def list_proposals(db: RequestSession, actor: Official, state: str | None = Query("proposed")) -> dict:
    return {"proposals": [views.proposal_dict(p) for p in desk.proposals(db, actor, state or None)]}


@router.post(
    "/params/proposals", summary="Propose a dated value", response_model=ProposalOut, status_code=201
)
def propose(body: ProposalIn, db: RequestSession, actor: Official) -> dict:
    data = body.model_dump()
    p = desk.propose(db, actor, data.pop("parameter"), **data)
    return views.proposal_dict(p)


@router.get("/params/proposals/{proposal_id}", response_model=ProposalOut)
def show_proposal(proposal_id: int, db: RequestSession, actor: Official) -> dict:
    return views.proposal_dict(desk.get(db, actor, proposal_id))


@router.get(
    "/params/proposals/{proposal_id}/preview",
    summary="Beneficiaries and cost by year, current and proposed",
    response_model=PreviewOut,
)
def cost_preview(proposal_id: int, db: RequestSession, actor: Official) -> dict:
    return preview.current(db, desk.get(db, actor, proposal_id))


@router.post(
    "/params/proposals/{proposal_id}/approve",
    summary="Approve (another official than the proposer): published at once",
    response_model=ProposalOut,
)
def approve(proposal_id: int, body: DecisionIn, db: RequestSession, actor: Official) -> dict:
    shown = preview.current(db, desk.decidable(db, actor, proposal_id))
    desk.approve(db, actor, proposal_id, shown, body.reason)
    return views.proposal_dict(desk.get(db, actor, proposal_id))


@router.post(
    "/params/proposals/{proposal_id}/return", summary="Return to the proposer", response_model=ProposalOut
)
def return_(proposal_id: int, body: DecisionIn, db: RequestSession, actor: Official) -> dict:
    return views.proposal_dict(desk.return_(db, actor, proposal_id, body.reason))


@router.get("/params/{name}", summary="A parameter's whole dated history", response_model=HistoryOut)
def history(name: str, actor: SignedIn, region: str | None = None) -> dict:
    return {"parameter": name, "region": region, "history": desk.history(name, region)}


@router.post(
    "/documents",
    summary="Register a policy document with its text and clauses",
    response_model=RegisteredOut,
    status_code=201,
)
def register_document(body: DocumentIn, db: RequestSession, actor: Official) -> dict:
    data = body.model_dump()
    data["clauses"] = {k: {n: v for n, v in c.items() if v} for k, c in data["clauses"].items()}
    doc = register(db, actor, **data)
    return {"document": doc.key, "title": doc.title, "doc_number": doc.doc_number}
