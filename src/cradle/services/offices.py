"""The one Actor (`cradle.auth.actor`) as the services and payments know it: by office. A citizen acts for
herself; a town or county official, a department's desk (卫健, 公安, 医保, 人社) or the county's finance desk
(财政) acts for their office, and only within its county or town; the system runs scheduled jobs.

The services have always named an actor by office in what they store (`county:account:5@370303`, where the rest of
the app writes `county_official:account:5@370303`): step histories, audit entries, idempotency keys and the
`filed_by`/`created_by` columns keep that name, given by `ref`.
"""

from __future__ import annotations

from cradle.auth import roles
from cradle.auth.actor import SYSTEM, Actor
from cradle.errors import N_, Forbidden

OFFICES = ("citizen", "town", "county", "dept", "finance", "system")
DEPARTMENTS = ("weijian", "gongan", "yibao", "renshe")  # 卫健, 公安, 医保, 人社: the 出生一件事 desks
FINANCE_DEPARTMENT = "caizheng"  # 财政


def office(actor: Actor) -> str | None:
    """The office `actor` acts for, or None for roles the services have no office for (city and province
    officials, operators, auditors, administrators, other departments, anyone without a county)."""
    role = actor.role
    if role == roles.CITIZEN:
        return "citizen"
    if role == SYSTEM.role:
        return "system"
    if actor.county is None:
        return None
    if role == roles.TOWN:
        return "town"
    if role == roles.COUNTY:
        return "county"
    if role == roles.DEPT:
        if actor.dept == FINANCE_DEPARTMENT:
            return "finance"
        return "dept" if actor.dept in DEPARTMENTS else None
    return None


def ref(actor: Actor) -> str:
    """How the services' records and the audit log name the actor (ID numbers masked)."""
    name = office(actor)
    if name in (None, "citizen"):
        return actor.ref
    where = actor.town or actor.county or ""
    return f"{name}:{actor.id}@{where}" + (f"/{actor.dept}" if name == "dept" else "")


def can_see(actor: Actor, county: str, town: str | None) -> bool:
    """Whether a matter of `county` (and `town`, for a town office) lies in the actor's office's area."""
    name = office(actor)
    if name == "system":
        return True
    if name in ("county", "dept", "finance"):
        return actor.county == county
    if name == "town":
        return actor.county == county and actor.town == town
    return False


def require_office(actor: Actor, county: str, town: str | None, offices: tuple[str, ...]) -> None:
    """Refuses an actor of another office, or one whose area does not hold the matter."""
    name = office(actor)
    if name not in offices:
        raise Forbidden(
            "actor.role",
            N_("This action is for %(roles)s; your role is %(role)s"),
            roles="/".join(offices),
            role=name or actor.role,
        )
    if not can_see(actor, county, town):
        raise Forbidden("actor.scope", N_("The matter is outside your jurisdiction"))
