"""The desk's parameters and proposals as the CLI, the API and the pages show them."""

from __future__ import annotations

import datetime as dt

from cradle.auth.actor import Actor
from cradle.params import desk
from cradle.params.models import Proposal
from cradle.policy import published
from cradle.policy.packs import load_packs


def parameter_rows(actor: Actor | None, on: dt.date) -> list[dict]:
    """Every parameter (those `actor` decides, when given) with the value in force on `on` and its provenance;
    a county official sees their county's own value of a parameter set per county."""
    published.refresh()
    mine = set(desk.parameters_for(actor)) if actor is not None else None
    out = []
    for pack in load_packs():
        for name, prm in pack.parameters.items():
            if mine is not None and name not in mine:
                continue
            region = actor.county if actor is not None and prm.per_region else None
            entry = prm.entry(on, region) or prm.values[0]
            out.append(
                {
                    "name": name,
                    "description": prm.description,
                    "unit": prm.unit,
                    "region": region,
                    "value": desk.shown(entry.value) if entry.start <= on else None,
                    "shown": "—" if entry.value is None or entry.start > on else desk.shown(entry.value),
                    "start": entry.start,
                    "title": published.title(entry.document),
                    "clause": entry.clause,
                    "provenance": published.provenance(name, entry),
                }
            )
    return out


def proposal_dict(p: Proposal) -> dict:
    return {
        "id": p.id,
        "parameter": p.parameter,
        "region": p.region or None,
        "scope": p.scope,
        "value": desk.stored_value(p),
        "unit": p.unit,
        "effective_from": p.effective_from,
        "effective_to": p.effective_to,
        "document": p.document_key,
        "title": published.title(p.document_key),
        "clause": p.clause,
        "note": p.note,
        "state": p.state,
        "proposed_by": p.proposed_by,
        "proposed_at": p.proposed_at,
        "decided_by": p.decided_by,
        "decided_at": p.decided_at,
        "reason": p.reason,
        "preview": p.preview,
    }
