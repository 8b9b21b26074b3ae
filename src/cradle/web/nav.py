"""Site navigation that fits the person: each entry names who can use it, so a visitor sees the public pages and
how to register, a citizen their own services, and an official only the desks their role opens (nothing of the
staff side reaches the public); the header links to the signed-in account. An entry shows only once some router serves its path, so pages that other
domains have not added yet never appear as dead links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.routing import Match

from cradle.auth import roles
from cradle.errors import N_

if TYPE_CHECKING:  # cradle.auth's modules take N_ from here
    from cradle.auth.actor import Actor

EVERYONE = "everyone"
VISITOR = "visitor"  # not signed in


@dataclass(frozen=True)
class Link:
    path: str  # "{facility_id}" is filled from the actor (an operator's own facility)
    label: str
    roles: tuple[str, ...] = (EVERYONE,)  # auth roles, or EVERYONE / VISITOR
    depts: tuple[str, ...] = ()  # department clerks of these departments may use it too

    def fits(self, actor: Actor) -> bool:
        if EVERYONE in self.roles:
            return True
        if not actor.authenticated:
            return VISITOR in self.roles
        if actor.role in self.roles:
            return True
        return actor.role == roles.DEPT and actor.dept in self.depts

    def path_for(self, actor: Actor) -> str | None:
        if "{facility_id}" not in self.path:
            return self.path
        return self.path.format(facility_id=actor.facility_id) if actor.facility_id is not None else None


# Who each desk admits; the pages' own guards decide (these only keep the menu to what they would admit):
# services' staff pages (cradle.services.offices: town and county offices, the 出生一件事 departments and 财政),
# the childcare pages (cradle.childcare.deps: officials, 卫健 and 教育, auditors), the registry's readers
# (cradle.registry.access), payments (county offices and 财政), the parameter desk.
STAFF_DESK = (roles.TOWN, roles.COUNTY)
STAFF_DESK_DEPTS = ("weijian", "gongan", "yibao", "renshe", "caizheng")
CHILDCARE_DESK = (roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE, roles.AUDITOR, roles.ADMIN)
CHILDCARE_DEPTS = ("weijian", "jiaoyu")
REGISTRY_DESK = (*roles.OFFICIALS, roles.AUDITOR, roles.ADMIN)
PARAMS_DESK = (roles.COUNTY, roles.CITY, roles.PROVINCE)  # the officials who decide a parameter (params.desk)
# 妇幼 doctors and the officials over them, 卫健 among the departments (cradle.health.access)
HEALTH_DESK = (roles.HEALTH, roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE, roles.AUDITOR, roles.ADMIN)
# the officials of one county's assistance list (cradle.assistance.pages: the own county's year; a village's part)
ASSISTANCE_DESK = (roles.VILLAGE, roles.TOWN, roles.COUNTY)
WHATIF_DESK = (
    roles.COUNTY,
    roles.CITY,
    roles.PROVINCE,
    roles.DEPT,
    roles.AUDITOR,
    roles.ADMIN,
)  # monitoring.access

# (audience label, links); a domain adds its page here when it adds the route.
AUDIENCES: list[tuple[str, list[Link]]] = [
    (
        N_("Public"),
        [
            Link("/", N_("Benefit calculator")),
            Link("/programs", N_("Programs")),
            Link("/documents", N_("Policy documents")),
            Link("/monitoring", N_("Monitoring")),
            Link("/childcare", N_("Find childcare")),
            Link("/home", N_("My home")),
        ],
    ),
    (
        N_("Citizens"),
        [
            Link("/services", N_("Online services"), (VISITOR, roles.CITIZEN)),
            Link("/applications", N_("My applications"), (roles.CITIZEN,)),
            Link("/health/my", N_("My free health checks"), (roles.CITIZEN,)),
            Link("/auth/register", N_("Register"), (VISITOR,)),
        ],
    ),
    (
        N_("Staff"),
        [
            Link("/whatif", N_("What-if"), WHATIF_DESK),
            Link("/staff", N_("Workbench"), STAFF_DESK, STAFF_DESK_DEPTS),
            Link("/childcare/official", N_("Childcare supervision"), CHILDCARE_DESK, CHILDCARE_DEPTS),
            Link("/childcare/operator/{facility_id}", N_("My facility"), (roles.OPERATOR,)),
            Link("/registry", N_("Population registry"), REGISTRY_DESK),
            Link("/payments", N_("Payments"), (roles.COUNTY,), ("caizheng",)),
            Link("/health", N_("Maternal and child health"), HEALTH_DESK, ("weijian",)),
            Link("/assistance", N_("Family-planning family assistance"), ASSISTANCE_DESK),
            Link("/assistance/priority", N_("Special-family priority"), (roles.HEALTH,)),
            Link("/auth/admin/accounts", N_("Accounts"), (roles.ADMIN,)),
            Link("/admin/jobs", N_("Scheduled jobs"), (roles.ADMIN,)),
            Link("/params", N_("Parameter desk"), PARAMS_DESK),
        ],
    ),
]


def fits(path: str, actor: Actor) -> bool:
    """Whether the menu would offer `path` to `actor` (a path the menu does not list: yes)."""
    found = [link for _label, links in AUDIENCES for link in links if link.path == path]
    return all(link.fits(actor) for link in found)


@dataclass(frozen=True)
class NavGroup:
    label: str
    links: list[tuple[Link, bool]]  # (link with its path filled in, is the current page)


def is_served(app: FastAPI, path: str) -> bool:
    """Whether some route answers GET `path` (asked through Starlette's public `matches`, which also sees
    routes inside included routers)."""
    scope = {
        "type": "http",
        "path": path,
        "method": "GET",
        "root_path": "",
        "headers": [],
        "query_string": b"",
    }
    return any(route.matches(scope)[0] is Match.FULL for route in app.routes)


def navigation(app: FastAPI, current: str, actor: Actor) -> list[NavGroup]:
    """The menu for `actor`: the entries their role can use, grouped by audience, empty groups left out."""
    groups = []
    for label, links in AUDIENCES:
        shown = []
        for link in links:
            path = link.path_for(actor)
            if path is not None and link.fits(actor) and is_served(app, path):
                shown.append((Link(path, link.label, link.roles, link.depts), path == current))
        if shown:
            groups.append(NavGroup(label, shown))
    return groups
