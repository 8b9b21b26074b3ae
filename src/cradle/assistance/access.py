"""Who may act on a county's cycle: the level named, inside its own area. Village (村/社区) officials check their
own village's people, post their part of the list and record objections to it, seeing nothing of other villages;
town officials (乡镇/街道) open the 公示, decide objections and review; the county approves and pays with its
finance desk; the city confirms; the province files. A hospital's account (the health worker of one 医疗机构)
asks the priority question alone (`families.has_priority`)."""

from __future__ import annotations

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.scope import in_scope
from cradle.errors import N_, Forbidden, OutOfScope
from cradle.services.offices import office

LEVELS = {
    "village": (roles.VILLAGE,),
    "town": (roles.TOWN,),
    "county": (roles.COUNTY,),
    "city": (roles.CITY,),
    "province": (roles.PROVINCE,),
}


def level_of(actor: Actor, county: str) -> str | None:
    """The level `actor` acts at for `county`, or None when the county is outside its area."""
    if office(actor) == "system":
        return "system"
    if office(actor) == "finance" and actor.county == county:
        return "finance"
    for level, allowed in LEVELS.items():
        if (
            actor.role in allowed
            and actor.region
            and in_scope(county, actor.region[:6] if level in ("village", "town") else actor.region)
        ):
            return level
    return None


def require(actor: Actor, county: str, *levels: str) -> str:
    level = level_of(actor, county)
    if level is None:
        if actor.role in (r for rs in LEVELS.values() for r in rs) or office(actor) == "finance":
            raise Forbidden("region", N_("%(region)s is outside your scope."), region=county)
        raise Forbidden("actor.role", N_("Your role may not do this."))
    if level not in levels and level != "system":
        raise Forbidden(
            "actor.role",
            N_("This step is for %(levels)s; you act at the %(level)s level"),
            levels="/".join(levels),
            level=level,
        )
    return level


def may_read(actor: Actor, county: str) -> bool:
    return level_of(actor, county) is not None or (
        actor.role in (roles.AUDITOR, roles.ADMIN) and actor.can_see(county)
    )


def village_of(actor: Actor, county: str) -> str | None:
    """The one village whose people `actor` sees and acts on, or None when it sees the whole county's list."""
    return actor.village if level_of(actor, county) == "village" else None


def require_village(actor: Actor, county: str, village: str | None, field: str) -> None:
    """Refuses a village official a person of another village (or of none yet), naming `field`."""
    mine = village_of(actor, county)
    if mine is not None and village != mine:
        raise OutOfScope(field, N_("This person is not on your village's list"))
