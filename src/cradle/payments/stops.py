"""Stopping payments when the beneficiary dies or moves out of the county: the county (or its finance desk)
records it with the date, from the page, the API or `cradle payments stop`. Declining is the family's own action
on the application, and the end of the period is applied by the daily job, so neither is offered here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.errors import N_, Forbidden, Invalid
from cradle.payments import entitlements
from cradle.payments.models import Entitlement
from cradle.services import validate as v
from cradle.services.catalogue import PROGRAMS
from cradle.services.offices import office

REASONS = ("death", "moved_away")
EARLIEST = dt.date(2000, 1, 1)


def stop_for(session: Session, actor: Actor, data: dict) -> list[Entitlement]:
    """Refused (nothing changed) for another role, a bad field, or a beneficiary with nothing being paid here."""
    if office(actor) not in ("county", "finance"):
        raise Forbidden("actor.role", N_("Only county staff can stop a benefit"))
    beneficiary = v.id_number(data, "beneficiary_id_number")
    reason = data.get("reason")
    if reason not in REASONS:
        raise Invalid("reason", N_("Stop reason should be death or moved_away"))
    effective = v.date(data, "effective", earliest=EARLIEST, latest=dt.date.today())
    program = data.get("program") or None
    if program is not None and program not in PROGRAMS:
        raise Invalid("program", N_("Unknown programme %(program)s"), program=program)
    return entitlements.stop(session, actor, program, beneficiary, reason, effective)
