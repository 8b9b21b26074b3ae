"""A county's own figures for the assistance work: how long its 公示 runs and how often a special family is visited
(the defaults until it sets them)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.assistance import access
from cradle.assistance.models import Setting
from cradle.auth.actor import Actor
from cradle.errors import N_, Invalid
from cradle.services.offices import ref

DEFAULT_PUBLICITY_DAYS = 7  # 公示不少于7天 unless the county sets its own
DEFAULT_VISIT_DAYS = 30  # a monthly visit unless the county sets its own


def _county(county: str) -> str:
    if not (isinstance(county, str) and regions.exists(county) and regions.get(county).level == "county"):
        raise Invalid("region", N_("Should be a county-level region code"))
    return county


def setting(session: Session, county: str) -> Setting:
    row = session.get(Setting, county)
    return row or Setting(
        county=county,
        publicity_days=DEFAULT_PUBLICITY_DAYS,
        visit_interval_days=DEFAULT_VISIT_DAYS,
        set_by="default",
    )


def set_setting(session: Session, actor: Actor, county: str, publicity_days: int, visit_interval_days: int):
    access.require(actor, _county(county), "county")
    if not isinstance(publicity_days, int) or not 5 <= publicity_days <= 30:
        raise Invalid("publicity_days", N_("The public notice should run 5 to 30 days"))
    if not isinstance(visit_interval_days, int) or not 7 <= visit_interval_days <= 180:
        raise Invalid("visit_interval_days", N_("The visit interval should be 7 to 180 days"))
    row = session.get(Setting, county) or Setting(county=county)
    row.publicity_days, row.visit_interval_days, row.set_by = publicity_days, visit_interval_days, ref(actor)
    session.add(row)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.setting",
        f"asst_setting:{county}",
        {"publicity_days": publicity_days, "visit_interval_days": visit_interval_days},
    )
    return row
