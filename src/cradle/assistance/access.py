"""Who may act on a county's cycle: the level named, inside its own area. Village (村/社区) officials check their
own village's people, post their part of the list and record objections to it, seeing nothing of other villages;
town officials (乡镇/街道) see and act on their own town's people alone (the list and its counts, the villages'
notices and the objections of their town, the account check, objections, adding a person, the town's review of
its own part), nothing of other towns; the county finds the candidates, opens the 公示 (its dates hold for every
town and village), approves and pays with its finance desk; the city confirms; the province files. A hospital's
account (the health worker of one 医疗机构) asks the priority question alone (`families.has_priority`).

A listed person without a town yet (the registry's candidates name none) is the county's alone: no town sees
them until the county assigns their town (the account check's `town` or `village`, or a manual addition), and a
town cannot claim them; carried over from last year, a person keeps last year's town."""

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


def town_of(actor: Actor, county: str) -> str | None:
    """The one town whose people `actor` sees and acts on, or None when it sees more (a village: less)."""
    return actor.town if level_of(actor, county) == "town" else None


def area(actor: Actor, county: str) -> dict[str, str | None]:
    """The part of the county's list `actor` sees, as the list functions take it: `village=` and `town=`."""
    return {"village": village_of(actor, county), "town": town_of(actor, county)}


def require_village(actor: Actor, county: str, village: str | None, field: str) -> None:
    """Refuses a village official a person of another village (or of none yet), naming `field`."""
    mine = village_of(actor, county)
    if mine is not None and village != mine:
        raise OutOfScope(field, N_("This person is not on your village's list"))


def require_part(actor: Actor, county: str, town: str | None, village: str | None, field: str) -> None:
    """Refuses a village official a person of another village, a town official one of another town (or of none
    yet: the county's), naming `field`."""
    require_village(actor, county, village, field)
    mine = town_of(actor, county)
    if mine is not None and town != mine:
        raise OutOfScope(field, N_("This person is not on your town's list"))
