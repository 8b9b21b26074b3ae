"""The parameter desk's work: an official of a jurisdiction proposes a dated value for one of its parameters, a
second official of the same jurisdiction approves it (after the cost preview) or returns it; approval publishes
it into the parameter's dated history (append-only) and bumps the desk's version, so every process's engine lays
it over the release's values (`cradle.policy.published`). Every step is audited.

Who decides a parameter: the officials of the jurisdiction that sets it, by role and exact region scope: a
county's own value (`region`, for a parameter its pack declares `by_region`) and a county pack's parameters are
the county officials', a city pack's the city officials', a province pack's the province officials'. The national
layer's figures change with a release.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.scope import level
from cradle.errors import N_, Conflict, Forbidden, IllegalTransition, Invalid, NotFound, OutOfScope
from cradle.params.models import Proposal, PublishedValue, Version, utcnow
from cradle.params.snapshot import parse_value
from cradle.policy import published
from cradle.policy.packs import Pack, all_parameters, load_packs
from cradle.policy.parameters import Parameter

DECIDING_ROLE = {"county": roles.COUNTY, "city": roles.CITY, "province": roles.PROVINCE}
_ISSUED = re.compile(r"issued (\d{4}-\d{2}-\d{2})")


def parameter(name: str, field: str = "parameter") -> tuple[Pack, Parameter]:
    found = all_parameters().get(name)
    if found is None:
        raise NotFound(
            field, N_("Unknown parameter %(parameter)s (see `cradle params list`)"), parameter=name
        )
    pack = next(p for p in load_packs() if name in p.parameters)
    return pack, found


def scope_of(name: str, region: str | None) -> str:
    """The jurisdiction whose officials decide `name` (for county `region`'s own value, when given)."""
    pack, prm = parameter(name)
    if region:
        if not prm.per_region:
            raise Invalid("region", N_("%(parameter)s has no per-county values"), parameter=name)
        if not regions.exists(region) or regions.get(region).level != "county":
            raise Invalid("region", N_("Unknown county code %(region)s"), region=region)
        if not regions.is_within(region, pack.region):
            raise Invalid(
                "region", N_("%(region)s is not served by %(parameter)s"), region=region, parameter=name
            )
        return region
    return pack.region


def may_decide(actor: Actor, scope: str) -> bool:
    if scope == regions.NATIONAL:
        return False
    return actor.role == DECIDING_ROLE.get(level(scope)) and actor.region == scope


def check_scope(actor: Actor, name: str, scope: str, field: str = "parameter") -> None:
    if not may_decide(actor, scope):
        raise OutOfScope(
            field,
            N_("%(parameter)s is decided by the officials of %(office)s"),
            parameter=name,
            office=office_name(scope),
        )


def office_name(scope: str | None) -> str:
    """The jurisdiction's name as the desk's records give it, e.g. 陆河县."""
    if not scope or scope == regions.NATIONAL:
        return "全国"
    return regions.get(scope[:6]).name


def parse(prm: Parameter, text: str, field: str = "value") -> float | dt.date:
    """A proposed value of the parameter's type: a date for a date parameter, else a number not below zero."""
    text = str(text).strip()
    if prm.is_date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise Invalid(field, N_("Expected a date YYYY-MM-DD, got %(value)s"), value=text) from None
    try:
        number = float(text)
    except ValueError:
        raise Invalid(field, N_("Expected a number, got %(value)s"), value=text) from None
    if not math.isfinite(number) or number < 0:
        raise Invalid(field, N_("Expected a number not below zero, got %(value)s"), value=text)
    return number


def issued_on(document_key: str) -> dt.date | None:
    info = published.document(document_key)
    if info is None:
        return None
    if info.issued:
        return info.issued
    m = _ISSUED.fullmatch(info.status)
    return dt.date.fromisoformat(m[1]) if m else None


def check_evidence(document_key: str, clause: str, effective_from: dt.date) -> None:
    info = published.document(document_key)
    if info is None:
        raise Invalid(
            "document", N_("Unknown document %(document)s (see GET /api/v1/documents)"), document=document_key
        )
    try:
        published.clause(document_key, clause)
    except KeyError:
        raise Invalid(
            "clause", N_("Clause %(clause)s of %(document)s not found"), clause=clause, document=info.title
        ) from None
    issued = issued_on(document_key)
    if issued and effective_from < issued:
        raise Invalid(
            "effective_from",
            N_("%(date)s is before the document was issued (%(issued)s)"),
            date=effective_from.isoformat(),
            issued=issued.isoformat(),
        )


def propose(
    session: Session,
    actor: Actor,
    name: str,
    *,
    value: str,
    unit: str,
    effective_from: dt.date,
    document: str,
    clause: str,
    effective_to: dt.date | None = None,
    region: str | None = None,
    note: str = "",
) -> Proposal:
    """A dated value proposed by `actor`; refused naming the field, nothing stored."""
    _, prm = parameter(name)
    scope = scope_of(name, region or None)
    check_scope(actor, name, scope)
    if unit != prm.unit:
        raise Invalid("unit", N_("%(parameter)s is in %(unit)s"), parameter=name, unit=prm.unit or "—")
    parsed = parse(prm, value)
    if effective_to is not None and effective_to < effective_from:
        raise Invalid("effective_to", N_("%(date)s is before the start"), date=effective_to.isoformat())
    check_evidence(document, clause, effective_from)
    pending = session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.parameter == name,
            Proposal.region == (region or ""),
            Proposal.effective_from == effective_from,
            Proposal.state == "proposed",
        )
    )
    if pending:
        raise Conflict(
            "effective_from",
            N_("A proposal for %(parameter)s from %(date)s is already waiting for approval"),
            parameter=name,
            date=effective_from.isoformat(),
        )
    p = Proposal(
        parameter=name,
        region=region or "",
        scope=scope,
        value=parsed.isoformat() if isinstance(parsed, dt.date) else f"{parsed:g}",
        unit=unit,
        effective_from=effective_from,
        effective_to=effective_to,
        document_key=document,
        clause=clause,
        note=note,
        state="proposed",
        proposed_by=actor.ref,
        proposer_account=actor.account_id,
        proposed_at=utcnow(),
        reason="",
    )
    session.add(p)
    session.flush()
    audit.record(session, actor, "params.propose", f"params:{p.id}", _detail(p))
    return p


def _detail(p: Proposal) -> dict:
    return {
        "parameter": p.parameter,
        "region": p.region,
        "value": p.value,
        "unit": p.unit,
        "effective_from": p.effective_from,
        "effective_to": p.effective_to,
        "document": p.document_key,
        "clause": p.clause,
    }


def get(session: Session, actor: Actor, proposal_id: int) -> Proposal:
    p = session.get(Proposal, proposal_id)
    if p is None or not may_decide(actor, p.scope):
        raise NotFound("proposal", N_("Proposal %(id)s not found"), id=proposal_id)
    return p


def decidable(session: Session, actor: Actor, proposal_id: int) -> Proposal:
    p = get(session, actor, proposal_id)
    if p.state != "proposed":
        raise IllegalTransition("proposal", N_("Proposal %(id)s has been decided already"), id=proposal_id)
    if p.proposer_account == actor.account_id:
        raise Forbidden(
            "proposal", N_("A proposal is approved or returned by another official than its proposer")
        )
    return p


def approve(
    session: Session, actor: Actor, proposal_id: int, preview: dict | None = None, reason: str = ""
) -> PublishedValue:
    """Publishes the proposal (four eyes); `preview` is the cost preview the approver saw, kept with it."""
    p = decidable(session, actor, proposal_id)
    document = published.document(p.document_key)
    p.state, p.decided_by, p.decider_account, p.decided_at = "approved", actor.ref, actor.account_id, utcnow()
    p.reason, p.preview = reason, preview
    row = PublishedValue(
        proposal_id=p.id,
        parameter=p.parameter,
        region=p.region,
        value=p.value,
        unit=p.unit,
        effective_from=p.effective_from,
        effective_to=p.effective_to,
        document_key=p.document_key,
        clause=p.clause,
        doc_number=document.doc_number if document else "",
        note=p.note,
        office=office_name(p.scope),
        proposed_by=p.proposed_by,
        approved_by=actor.ref,
        published_at=utcnow(),
    )
    session.add(row)
    bump(session)
    session.flush()
    audit.record(session, actor, "params.approve", f"params:{p.id}", {**_detail(p), "published": row.id})
    return row


def return_(session: Session, actor: Actor, proposal_id: int, reason: str) -> Proposal:
    """Sends the proposal back to its proposer with the reason; nothing is published."""
    if not reason.strip():
        raise Invalid("reason", N_("Say why the proposal is returned"))
    p = decidable(session, actor, proposal_id)
    p.state, p.decided_by, p.decider_account, p.decided_at = "returned", actor.ref, actor.account_id, utcnow()
    p.reason = reason.strip()
    session.flush()
    audit.record(session, actor, "params.return", f"params:{p.id}", {**_detail(p), "reason": p.reason})
    return p


def bump(session: Session) -> None:
    """The desk's version moves with this transaction; this process reads the change once it commits."""
    session.execute(update(Version).where(Version.id == 1).values(version=Version.version + 1))
    event.listen(session, "after_commit", lambda _s: published.invalidate(), once=True)


def proposals(session: Session, actor: Actor, state: str | None = "proposed") -> list[Proposal]:
    """The proposals of the jurisdiction `actor` decides for (all states when `state` is None)."""
    q = select(Proposal).where(Proposal.scope == (actor.region or "")).order_by(Proposal.id)
    if state:
        q = q.where(Proposal.state == state)
    return list(session.scalars(q)) if actor.role in DECIDING_ROLE.values() else []


def parameters_for(actor: Actor) -> list[str]:
    """The parameters `actor` decides (their own, or a county's own value in their county)."""
    out = []
    for pack in load_packs():
        for name, prm in pack.parameters.items():
            if may_decide(actor, pack.region) or (
                prm.per_region
                and actor.county
                and regions.is_within(actor.region, pack.region)
                and may_decide(actor, actor.region)
            ):
                out.append(name)
    return out


def history(name: str, region: str | None = None) -> list[dict]:
    """The parameter's whole dated history (a county's own, when given), oldest first, with provenance."""
    _, prm = parameter(name)
    published.refresh()
    values = prm.by_region.get(region, prm.values) if region else prm.values
    return [
        {**published.provenance(name, v), "value": shown(v.value), "unit": prm.unit, "note": v.note}
        for v in values
    ]


def shown(value):
    """A value as shown: whole numbers without ".0"."""
    if value is None or isinstance(value, dt.date):
        return value
    return int(value) if float(value).is_integer() else value


def stored_value(p: Proposal | PublishedValue):
    return shown(parse_value(p.value))
