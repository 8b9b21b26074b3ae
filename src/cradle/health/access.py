"""Who sees which 妇幼 records, and the audit of every read.

- A health worker (`roles.HEALTH`) belongs to one institution (`Account.institution_id`) and sees the women and
  children that institution has a record of (it filed, visited, assessed, delivered, screened, reported or was
  referred the pregnancy), with their names and full ID numbers: she handles them.
- Officials (town, county, city, province, the 卫健 department), auditors and administrators see counts, and lists
  with names and ID numbers masked, of the records counted in their region (a town official: her town's).
- The county (county officials and the county 卫健 department) reviews deaths, keeps the 约谈通报 list and the
  生育咨询指导 follow-ups; towns do their own follow-ups.

Every read of a record (a page, an API answer, an export) appends one entry to the shared audit log.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, select, true, union
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.auth import roles
from cradle.errors import N_, Forbidden, NotFound, OutOfScope
from cradle.health.models import (
    Delivery,
    InfectionRecord,
    Institution,
    MaternalVisit,
    Pregnancy,
    Referral,
    Rescue,
    RiskAssessment,
    RiskCase,
)
from cradle.idcard import mask

WORKERS = (roles.HEALTH,)
OFFICIALS = (roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.AUDITOR, roles.ADMIN)
READERS = (*WORKERS, *OFFICIALS)
REVIEWERS = (roles.COUNTY, roles.DEPT)  # a county's 卫健: death reviews, 约谈
GUIDES = (roles.TOWN, roles.COUNTY)  # 生育咨询指导 follow-ups


def is_worker(actor) -> bool:
    return actor.role in WORKERS


def institution_of(session: Session, actor) -> Institution:
    """The health worker's institution (refused for anyone else, or an account whose institution is gone)."""
    if not is_worker(actor):
        raise Forbidden(None, N_("Your role may not do this."), code="forbidden_role")
    found = session.get(Institution, actor.institution_id) if actor.institution_id else None
    if found is None:
        raise Forbidden("institution_id", N_("Your account names no institution."), code="no_institution")
    return found


def official_scope(actor) -> str | None:
    """The region an official sees ("cn" for national accounts); refused for roles outside OFFICIALS."""
    if actor.role not in OFFICIALS:
        raise Forbidden(None, N_("Your role may not do this."), code="forbidden_role")
    if actor.role == roles.DEPT and actor.dept != "weijian":
        raise Forbidden(
            None, N_("Only the health commission's clerks see health records."), code="forbidden_dept"
        )
    if not actor.region:
        raise Forbidden(None, N_("Your account names no region."), code="no_region")
    return actor.region


def counties_within(code: str) -> list[str]:
    """The county-level codes a region holds (itself for a county; a town's county)."""
    if code == regions.NATIONAL:
        return [r.code for r in regions.all_regions() if r.level == "county"]
    code = code[:6]
    if not regions.exists(code):
        return []
    if regions.get(code).level == "county":
        return [code]
    return [r.code for r in regions.descendants(code, "county")]


def region_filter(actor, region_col, town_col=None) -> ColumnElement[bool]:
    """SQL: the rows an official's scope holds, by the row's county (and town, for a town official)."""
    scope = official_scope(actor)
    if scope == regions.NATIONAL:
        return true()
    if len(scope) == 9:
        return town_col == scope if town_col is not None else false()
    return region_col.in_(counties_within(scope))


def sees_region(actor, region: str | None, town: str | None = None) -> bool:
    scope = official_scope(actor)
    if scope == regions.NATIONAL:
        return True
    if len(scope) == 9:
        return town == scope
    return region in counties_within(scope)


def check_region(actor, region: str | None, town: str | None = None, field: str = "region") -> None:
    if not sees_region(actor, region, town):
        raise OutOfScope(field, N_("%(region)s is outside your scope."), region=region or "")


def may_review(actor) -> bool:
    return (
        actor.role in REVIEWERS
        and (actor.role != roles.DEPT or actor.dept == "weijian")
        and bool(actor.county)
    )


def mask_name(name: str | None) -> str:
    """王小明 → 王** (the surname stays, so an official can still tell a list's rows apart by sight)."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def shown(actor, name: str, id_number: str | None) -> dict:
    """A person's name and ID number as `actor` may see them in a list: in full for health workers (whose lists
    hold only their own institution's women and children), masked for everyone else."""
    if is_worker(actor):
        return {"name": name, "id_number": id_number or "", "masked": False}
    return {"name": mask_name(name), "id_number": mask(id_number), "masked": True}


def read(session: Session, actor, subject: str, detail: dict | None = None) -> None:
    """Record one read of a record (or of a list or an export: `subject` says which)."""
    audit.record(session, actor, "health.read", subject, detail or {})


def not_found(field: str, value) -> NotFound:
    return NotFound(field, N_("No such record: %(value)s"), value=str(value))


def institution_by_code(session: Session, code: str) -> Institution | None:
    return session.scalar(select(Institution).where(Institution.code == code))


def held_by(code: str):
    """SQL: the handbook numbers an institution holds a record of (filed, visited, assessed, delivered, tested,
    managed as a case, referred to it, rescued)."""
    return union(
        select(Pregnancy.pregnancy_no).where(Pregnancy.institution_code == code),
        select(MaternalVisit.pregnancy_no).where(MaternalVisit.institution_code == code),
        select(RiskAssessment.pregnancy_no).where(RiskAssessment.institution_code == code),
        select(Delivery.pregnancy_no).where(Delivery.institution_code == code),
        select(InfectionRecord.pregnancy_no).where(InfectionRecord.institution_code == code),
        select(RiskCase.pregnancy_no).where(RiskCase.institution_code == code),
        select(RiskCase.pregnancy_no)
        .join(Referral, Referral.case_id == RiskCase.id)
        .where(Referral.to_institution_code == code),
        select(Rescue.pregnancy_no).where(Rescue.institution_code == code),
    )


def holds(session: Session, code: str, pregnancy_no: str) -> bool:
    held = held_by(code).subquery()
    return session.scalar(select(func.count()).select_from(held).where(held.c[0] == pregnancy_no)) > 0
