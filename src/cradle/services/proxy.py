"""亲情代办 (绍兴): a family member files for someone with that person's recorded consent.

`principal()` answers, for every citizen-facing action, on whose behalf it is done: the actor themselves, or the
grantor of a valid consent held by the actor. The audit entry then names both (actor = the proxy,
on_behalf_of = the grantor).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth.actor import Actor
from cradle.errors import N_, Forbidden, Invalid, NotFound
from cradle.idcard import mask
from cradle.services import validate as v
from cradle.services.models import Consent
from cradle.services.offices import office, ref

RELATIONS = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild", "other_relative")
SCOPES = ("registration", "bundle", "application", "appeal")


def grant(session: Session, actor: Actor, data: dict) -> Consent:
    """The grantor records consent for a named family member (scope: some or all services)."""
    if office(actor) != "citizen":
        raise Forbidden("actor.role", N_("Only the person themselves can authorise someone to act for them"))
    proxy_id = v.id_number(data, "proxy_id_number")
    if proxy_id == actor.id_number:
        raise Invalid("proxy_id_number", N_("You cannot authorise yourself"))
    proxy_name = v.text(data, "proxy_name")
    relation = v.text(data, "relation", max_len=16)
    if relation not in RELATIONS:
        raise Invalid(
            "relation", N_("The relationship should be one of %(choices)s"), choices=", ".join(RELATIONS)
        )
    scope = data.get("scope") or "*"
    if scope != "*":
        parts = [p.strip() for p in (scope if isinstance(scope, list) else str(scope).split(","))]
        bad = [p for p in parts if p not in SCOPES]
        if bad or not parts:
            raise Invalid("scope", N_("The scope should be * or %(choices)s"), choices=", ".join(SCOPES))
        scope = ",".join(parts)
    today = dt.date.today()
    valid_until = v.date(data, "valid_until", earliest=today, latest=today + dt.timedelta(days=3 * 366))
    evidence = v.text(data, "evidence", max_len=200)
    row = Consent(
        grantor_id_number=actor.id_number,
        grantor_name=actor.name or "",
        proxy_id_number=proxy_id,
        proxy_name=proxy_name,
        relation=relation,
        scope=scope,
        valid_until=valid_until,
        evidence=evidence,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "consent.grant",
        f"consent:{row.id}",
        {
            "proxy": mask(proxy_id),
            "proxy_name": proxy_name,
            "relation": relation,
            "scope": scope,
            "valid_until": valid_until,
        },
    )
    return row


def revoke(session: Session, actor: Actor, consent_id: int) -> Consent:
    row = session.get(Consent, consent_id)
    if row is None or office(actor) != "citizen" or row.grantor_id_number != actor.id_number:
        raise NotFound("consent_id", N_("No such authorisation"))
    if row.revoked_at is None:
        row.revoked_at = v.now()
        audit.record(session, ref(actor), "consent.revoke", f"consent:{row.id}", {})
    return row


def active_consent(
    session: Session, grantor: str, proxy: str, scope: str, on: dt.date | None = None
) -> Consent | None:
    on = on or dt.date.today()
    rows = session.execute(
        select(Consent).where(
            Consent.grantor_id_number == grantor,
            Consent.proxy_id_number == proxy,
            Consent.revoked_at.is_(None),
            Consent.valid_until >= on,
        )
    ).scalars()
    return next((c for c in rows if c.scope == "*" or scope in c.scope.split(",")), None)


def principal(
    session: Session, actor: Actor, for_id_number: str | None, scope: str
) -> tuple[str, str | None]:
    """(the person acted for, the audit's on_behalf_of) — or Forbidden when the actor may not act for them."""
    name = office(actor)
    if name == "system":
        if not for_id_number:
            raise Invalid("for_id_number", N_("Acting through the system needs the person concerned"))
        return for_id_number, f"citizen:{mask(for_id_number)}"
    if name != "citizen":
        raise Forbidden("actor.role", N_("Staff cannot apply as citizens"))
    if not for_id_number or for_id_number == actor.id_number:
        return actor.id_number, None
    consent = active_consent(session, for_id_number, actor.id_number, scope)
    if consent is None:
        raise Forbidden(
            "for_id_number", N_("No valid authorisation from the person concerned: cannot act for them")
        )
    return for_id_number, f"citizen:{mask(for_id_number)}:{consent.grantor_name}"


def consents_of(session: Session, id_number: str) -> list[Consent]:
    return list(
        session.execute(
            select(Consent)
            .where((Consent.grantor_id_number == id_number) | (Consent.proxy_id_number == id_number))
            .order_by(Consent.id.desc())
        ).scalars()
    )
