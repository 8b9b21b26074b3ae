"""How pages name who acted. Audit entries and step histories keep an actor as a reference
("town:account:7@370303001", "dept_clerk:account:4@370303/jiaoyu", "citizen:370303**********02:刘芳"); a page
shows the office or the person as people say it ("张店区 乡镇专干", "张店区教育局", "刘芳"), never an account
number or a bare code. A reference this module cannot read is shown as it is."""

from __future__ import annotations

import re

from cradle import regions
from cradle.auth import roles
from cradle.errors import N_
from cradle.web.i18n import translations

# role:id@region[/dept] (cradle.auth.actor.Actor.ref and cradle.services.offices.ref; the id may hold ":")
_REF = re.compile(r"^(?P<role>[a-z_]+):(?P<id>[^@]*)@(?P<region>[0-9]*|cn)(?:/(?P<dept>[a-z_]+))?$")
_CITIZEN = re.compile(r"^citizen:[^:]*:(?P<name>.*)$")

# The officer of each level, said after the place ("张店区 区县经办人"); the services domain's role names too.
OFFICERS = {
    roles.VILLAGE: N_("village officer"),
    roles.TOWN: N_("town officer"),
    "town": N_("town officer"),
    roles.COUNTY: N_("county officer"),
    "county": N_("county officer"),
    roles.CITY: N_("city officer"),
    "city": N_("city officer"),
    roles.PROVINCE: N_("province officer"),
    roles.OPERATOR: roles.ROLE_LABELS[roles.OPERATOR],
    "operator": roles.ROLE_LABELS[roles.OPERATOR],
    roles.AUDITOR: roles.ROLE_LABELS[roles.AUDITOR],
    roles.ADMIN: roles.ROLE_LABELS[roles.ADMIN],
}
# A department's office, said after the place without a space in Chinese ("张店区教育局").
BUREAUS = {
    "gongan": N_("Public Security Bureau"),
    "weijian": N_("Health Commission"),
    "yibao": N_("Medical Insurance Bureau"),
    "renshe": N_("Human Resources and Social Security Bureau"),
    "minzheng": N_("Civil Affairs Bureau"),
    "jiaoyu": N_("Education Bureau"),
    "tongji": N_("Statistics Bureau"),
    "caizheng": N_("Finance Bureau"),
}
# Actors that are not a person: the platform's own jobs and the command line.
MACHINES = {"system": N_("System"), "cli": N_("System"), "seed": N_("System"), "demo": N_("System")}


def _place(code: str, locale: str) -> str:
    """The region an office belongs to; a town (9-digit code, no name in GB/T 2260) by its county."""
    county = code[:6]
    return regions.local_name(county, locale) if regions.exists(county) else ""


def actor_name(ref: str | None, locale: str) -> str:
    """The office or person behind an actor reference, in the page's language ("" for none)."""
    if not ref:
        return ""
    t = translations(locale)
    citizen = _CITIZEN.match(ref)
    if citizen:
        return citizen["name"] or t.gettext(roles.ROLE_LABELS[roles.CITIZEN])
    if ref in MACHINES:
        return t.gettext(MACHINES[ref])
    if ref in OFFICERS:  # a bare role, as seed data and older steps record it
        return t.gettext(OFFICERS[ref])
    found = _REF.match(ref)
    if found is None:
        return ref
    role, dept, place = found["role"], found["dept"], _place(found["region"], locale)
    if role == "finance":
        dept = "caizheng"
    if dept:
        bureau = BUREAUS.get(dept) or roles.DEPARTMENTS.get(dept)
        if bureau:
            office = t.gettext(bureau)
            return t.gettext("%(place)s %(bureau)s") % {"place": place, "bureau": office} if place else office
    if role in MACHINES:
        return t.gettext(MACHINES[role])
    officer = OFFICERS.get(role) or roles.ROLE_LABELS.get(role)
    if officer is None:
        return ref
    office = t.gettext(officer)
    return t.gettext("%(place)s %(office)s") % {"place": place, "office": office} if place else office
