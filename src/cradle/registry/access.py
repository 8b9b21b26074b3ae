"""Who may see and change what in the registry (docs/security.md): officials see persons, quarantined rows,
ingest runs and identity reviews of their region only; department clerks see their own department's feeds;
only roles that handle individual cases change anything; auditors read."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import Session

from cradle import regions
from cradle.auth import roles
from cradle.registry import history as hist
from cradle.registry import models as m

READERS = (*roles.OFFICIALS, roles.AUDITOR, roles.ADMIN)
# Correcting and re-submitting a department's rows: the case-handling officials, and that department's clerks.
WRITERS = (roles.TOWN, roles.COUNTY, roles.DEPT)
# Uploading a department's feed file: that department's clerks, and county officials for any department.
UPLOADERS = (roles.COUNTY, roles.DEPT)


def known(code) -> bool:
    return isinstance(code, str) and len(code) == 6 and regions.exists(code)


def row_region(raw: dict, file_region: str | None = None) -> str | None:
    """The region of a row as read: its region column; else the region its file covers (a county's file: that
    county), unless that is the whole country; else the prefix of an ID number in it."""
    for key in ("hukou_region", "region"):
        if known(raw.get(key)):
            return raw[key]
    if file_region and file_region != regions.NATIONAL:
        return file_region
    for key in ("id_number", *sorted(k for k in raw if k.endswith("id_number") and k != "id_number")):
        value = raw.get(key)
        if isinstance(value, str) and known(value[:6]):
            return value[:6]
    return None


def row_town(raw: dict, file_region: str | None = None) -> str | None:
    """The 乡镇/街道 a row names in its `town` column, kept only when it lies in the row's region (`row_region`;
    a town that does not is no scope: the row then stays with its county)."""
    town, region = raw.get("town"), row_region(raw, file_region)
    if isinstance(town, str) and len(town) == 9 and town.isdigit() and region and town[:6] == region:
        return town
    return None


def row_scope(row: m.QuarantineRow) -> str | None:
    """The narrowest region a quarantined row is known to belong to: its town, else its county (or wider)."""
    return row.town or row.region


def covering_region(codes: Iterable[str]) -> str | None:
    """The narrowest region holding all `codes` ("cn" when they lie in several provinces)."""
    common: list[str] | None = None
    for code in set(codes):
        if not known(code):
            continue
        chain = regions.ancestors(code)
        if common is None:
            common = chain
        else:
            n = 0
            while n < min(len(common), len(chain)) and common[n] == chain[n]:
                n += 1
            common = common[:n]
    if common is None:
        return None
    return common[-1] if common else regions.NATIONAL


def _prefix(actor) -> str | None:
    """The region prefix of the actor's scope; None for national scope."""
    return hist.scope_prefix(actor.scope[:6]) if actor.scope else None


def _department(actor) -> str | None:
    return actor.dept if actor.role == roles.DEPT else None


def quarantine_filter(actor) -> ColumnElement[bool]:
    """SQL condition: quarantined rows the actor may see (a prefilter; `sees_row` decides). A town official
    sees the rows naming that town; rows naming none stay with the county."""
    if actor.region is None:
        return false()
    if actor.town is not None:
        cond = m.QuarantineRow.town == actor.town
    else:
        cond = true() if actor.scope is None else m.QuarantineRow.region.like(f"{_prefix(actor)}%")
    dept = _department(actor)
    return cond & (m.QuarantineRow.dept == dept) if dept else cond


def sees_row(actor, row: m.QuarantineRow) -> bool:
    dept = _department(actor)
    return actor.can_see(row_scope(row)) and (dept is None or row.dept == dept)


def run_filter(actor) -> ColumnElement[bool]:
    """SQL condition: runs whose rows overlap the actor's scope (their quarantine is then filtered by row)."""
    if actor.region is None:
        return false()
    cond = true()
    if actor.scope is not None:
        county = actor.scope[:6]
        cond = or_(
            m.IngestRun.region.in_([regions.NATIONAL, *regions.ancestors(county)]),
            m.IngestRun.region.like(f"{_prefix(actor)}%"),
        )
    dept = _department(actor)
    return cond & (m.IngestRun.dept == dept) if dept else cond


def sees_run(actor, run: m.IngestRun) -> bool:
    dept = _department(actor)
    if actor.region is None or actor.role not in READERS or (dept and run.dept != dept):
        return False
    if actor.scope is None:  # national scope: every run, also one whose rows named no known region yet
        return True
    if run.region is None:
        return False
    return (
        run.region == regions.NATIONAL
        or run.region in regions.ancestors(actor.scope[:6])
        or actor.can_see(run.region)
    )


def person_region(session: Session, person: m.Person) -> str | None:
    return hist.current_hukou(session, person.id) or person.region


def sees_person(session: Session, actor, person: m.Person | None) -> bool:
    return person is not None and actor.can_see(person_region(session, person))


def may_write_rows(actor, dept: str) -> bool:
    """Correct or re-submit quarantined rows of `dept` (auditors never write; clerks only their own feed)."""
    if actor.role not in WRITERS:
        return False
    return actor.role != roles.DEPT or actor.dept == dept


def may_decide_identity(actor) -> bool:
    """Merge and split persons: town and county officials, clerks of the departments that handle cases."""
    return actor.role in roles.UNMASKED_ROLES or (
        actor.role == roles.DEPT and actor.dept in roles.UNMASKED_DEPARTMENTS
    )


def may_upload(actor, dept: str) -> bool:
    """Upload a feed file of `dept` (a clerk only their own department's)."""
    if actor.role not in UPLOADERS:
        return False
    return actor.role != roles.DEPT or actor.dept == dept
