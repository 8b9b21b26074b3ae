"""Entitlements of a childcare facility (construction subsidies, awards), by the same engine and packs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cradle import regions
from cradle.errors import N_, Invalid, Problems
from cradle.policy import published
from cradle.policy.engine import ProgramResult, evaluate, period
from cradle.policy.explain import entitlement, not_applicable
from cradle.policy.household import pydantic_problems
from cradle.policy.packs import layer_parameter, packs_for
from cradle.policy.program import Ctx


class Facility(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    jurisdiction: Annotated[str, Field(pattern=r"^\d{6}$")]
    inclusive: bool = False  # 普惠
    registered: bool = False  # 备案
    inclusive_slots: Annotated[int, Field(ge=0, le=100_000)] = 0
    demonstration: bool = False  # designated a municipal demonstration facility


def parse_facility(data: dict) -> Facility:
    """A validated Facility, or `Problems` naming each bad field."""
    try:
        facility = Facility.model_validate(data)
    except ValidationError as exc:
        raise Problems(pydantic_problems(exc)) from None
    if not regions.exists(facility.jurisdiction):
        unknown = N_("Unknown region code %(region)s")
        raise Problems([Invalid("jurisdiction", unknown, code="unknown_code", region=facility.jurisdiction)])
    return facility


def calc_facility(data: dict | Facility, on: dt.date, explain: bool = False) -> dict:
    facility = data if isinstance(data, Facility) else parse_facility(data)
    published.refresh()
    cols = {
        "jurisdiction": np.array([int(facility.jurisdiction)]),
        "inclusive": np.array([facility.inclusive]),
        "registered": np.array([facility.registered]),
        "inclusive_slots": np.array([facility.inclusive_slots]),
        "demonstration": np.array([facility.demonstration]),
    }
    as_of = np.datetime64(on, "D")
    out = {"as_of": on.isoformat(), "jurisdiction": facility.jurisdiction, "entitlements": []}
    skipped = []
    for pack in packs_for(facility.jurisdiction):
        ctx = Ctx(
            {},
            {},
            {},
            as_of,
            pack.parameters,
            pack.id,
            facilities=cols,
            region=pack.region,
            layer=layer_parameter,
        )
        for prog in (p for p in pack.programs if p.entity == "facility"):
            ctx.uses = []
            rule, eligible, failed = evaluate(prog, ctx, explain)
            idx = np.flatnonzero(eligible)
            amount = None
            if rule.amount is not None:
                amount = np.broadcast_to(np.asarray(rule.amount, dtype=float), (1,))[idx]
            start, end = period(prog, rule, 1, idx)
            res = ProgramResult(
                prog, ctx, ctx.uses, rule, 1, idx, idx, np.full(len(idx), -1), amount, start, end, failed
            )
            if len(idx):
                out["entitlements"].append(entitlement(res, 0, np.array([], dtype=object)))
            elif explain:
                skipped.append(not_applicable(res))
    if explain:
        out["not_applicable"] = skipped
    return out
