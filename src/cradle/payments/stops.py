"""Stopping payments when the beneficiary dies or moves out of the county: the county (or its finance desk)
records it with the date, from the page, the API or `cradle payments stop`. Declining is the family's own action
on the application, and the end of the period is applied by the daily job, so neither is offered here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.payments import entitlements
from cradle.payments.models import Entitlement
from cradle.services import validate as v
from cradle.services.actors import Actor
from cradle.services.catalogue import PROGRAMS
from cradle.services.errors import Forbidden, Invalid

REASONS = ("death", "moved_away")
EARLIEST = dt.date(2000, 1, 1)


def stop_for(session: Session, actor: Actor, data: dict) -> list[Entitlement]:
    """Refused (nothing changed) for another role, a bad field, or a beneficiary with nothing being paid here."""
    if actor.role not in ("county", "finance"):
        raise Forbidden("actor.role", "只有县区工作人员可以停发待遇")
    beneficiary = v.id_number(data, "beneficiary_id_number")
    reason = data.get("reason")
    if reason not in REASONS:
        raise Invalid("reason", "停发原因应为 death（死亡）或 moved_away（迁出本县区）")
    effective = v.date(data, "effective", earliest=EARLIEST, latest=dt.date.today())
    program = data.get("program") or None
    if program is not None and program not in PROGRAMS:
        raise Invalid("program", f"未知项目 {program}")
    return entitlements.stop(session, actor, program, beneficiary, reason, effective)
