"""Who may act on a county's cycle: the level named, inside its own area. Town officials (the 乡镇/街道 and, through
them, the village or community) check and post the list; the county approves and pays with its finance desk; the
city confirms; the province files."""

from __future__ import annotations

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.scope import in_scope
from cradle.errors import N_, Forbidden
from cradle.services.offices import office

LEVELS = {
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
            and in_scope(county, actor.region[:6] if level == "town" else actor.region)
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
