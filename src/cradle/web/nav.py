"""Site navigation for the three audiences. An entry shows only once some router serves its path, so pages that
other domains have not added yet never appear as dead links."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from starlette.routing import Match

from cradle.errors import N_


@dataclass(frozen=True)
class Link:
    path: str
    label: str


# (audience label, links); a domain adds its page here when it adds the route.
AUDIENCES: list[tuple[str, list[Link]]] = [
    (
        N_("Public"),
        [
            Link("/", N_("Benefit calculator")),
            Link("/programs", N_("Programs")),
            Link("/documents", N_("Policy documents")),
            Link("/monitoring", N_("Monitoring")),
            Link("/home", N_("My home")),
        ],
    ),
    (
        N_("Citizens"),
        [
            Link("/services", N_("Online services")),
            Link("/applications", N_("My applications")),
            Link("/childcare", N_("Find childcare")),
            Link("/auth/register", N_("Register")),
            Link("/auth/account", N_("My account")),
        ],
    ),
    (
        N_("Staff"),
        [
            Link("/whatif", N_("What-if")),
            Link("/staff", N_("Workbench")),
            Link("/childcare/official", N_("Childcare filings")),
            Link("/registry", N_("Population registry")),
            Link("/payments", N_("Payments")),
            Link("/auth/admin/accounts", N_("Accounts")),
            Link("/admin/jobs", N_("Scheduled jobs")),
            Link("/params", N_("Parameter desk")),
        ],
    ),
]


@dataclass(frozen=True)
class NavGroup:
    label: str
    links: list[tuple[Link, bool]]  # (link, is the current page)


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


def navigation(app: FastAPI, current: str) -> list[NavGroup]:
    groups = []
    for label, links in AUDIENCES:
        shown = [(link, link.path == current) for link in links if is_served(app, link.path)]
        if shown:
            groups.append(NavGroup(label, shown))
    return groups
