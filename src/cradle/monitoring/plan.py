"""Plan tracker: every measure of every document, with its owners, and the departments' status updates.

Measures are data, in the pack of the document that lists them (``cradle/packs/<id>/measures.yaml``,
clause-cited; 白银's 责任单位 verbatim, see ``cradle.policy.measures``). A department updates
only the measures it owns (when the document names owners); the newest update per measure and region is
the current status; a measure past its due date and not done is overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import regions
from cradle.errors import N_, DomainError, Invalid, Problems
from cradle.monitoring.models import MeasureUpdate
from cradle.policy.measures import Measure
from cradle.policy.packs import Pack, load_packs

STATUSES = {
    "not_started": N_("Not started"),
    "in_progress": N_("Under way"),
    "done": N_("Done"),
    "blocked": N_("Blocked"),
}
REQUIRED = N_("This value is required")
# an owner that stands for every municipal department
ANY_MUNICIPAL = "市直各有关部门"


def measures() -> dict[str, Measure]:
    """Every pack's measures by id (ids are unique across packs: checked when the packs load)."""
    return _measures(load_packs())


@lru_cache(maxsize=1)
def _measures(packs: tuple[Pack, ...]) -> dict[str, Measure]:
    return {m.id: m for p in packs for m in p.measures}


def for_region(code: str) -> list[Measure]:
    """Measures of the documents that bind ``code`` (its own and its ancestors')."""
    above = set(regions.ancestors(code))
    return [m for m in measures().values() if m.jurisdiction in above]


def may_update(measure: Measure, department: str, region: str) -> bool:
    if not measure.owners:
        return True
    if department in measure.owners:
        return True
    if ANY_MUNICIPAL in measure.owners and department.startswith("市"):
        return True
    # a document may have every county's Party committee and government carry out every measure (白银 二、1)
    counties = measure.county_governments and regions.get(region).level == "county"
    return counties and department.endswith(("县委", "区委", "县政府", "区政府", "县人民政府", "区人民政府"))


def update(
    session: Session,
    measure_id: str,
    region: str,
    department: str,
    status: str,
    updated_by: str,
    progress: int | None = None,
    evidence: str | None = None,
    due_date: dt.date | None = None,
) -> MeasureUpdate:
    """Record a department's status report; raises the problems, each naming its field."""
    errors: list[DomainError] = []
    m = measures().get(measure_id)
    if m is None:
        raise Invalid("measure_id", N_("Unknown measure %(measure)s"), measure=repr(measure_id))
    if not regions.exists(region):
        errors.append(Invalid("region", N_("Unknown region %(region)s"), region=repr(region)))
    elif not (region == m.jurisdiction or regions.is_within(region, m.jurisdiction)):
        errors.append(
            Invalid(
                "region",
                N_("%(region)s is outside %(area)s (the document's area)"),
                region=region,
                area=regions.name(m.jurisdiction),
            )
        )
    if not department.strip():
        errors.append(Invalid("department", REQUIRED))
    elif not errors and not may_update(m, department, region):
        errors.append(
            Invalid(
                "department",
                N_("“%(department)s” is not a responsible unit of this measure: %(owners)s"),
                department=department,
                owners=m.owners_text or "、".join(m.owners),
            )
        )
    if status not in STATUSES:
        errors.append(
            Invalid(
                "status",
                N_("Should be %(choices)s: %(value)s"),
                choices="/".join(STATUSES),
                value=repr(status),
            )
        )
    if progress is None:
        progress = 100 if status == "done" else 0
    if not 0 <= progress <= 100:
        errors.append(Invalid("progress", N_("A percentage from 0 to 100: %(value)s"), value=progress))
    if status == "done" and not (evidence or "").strip():
        errors.append(Invalid("evidence", N_("A measure reported done needs evidence")))
    if not updated_by.strip():
        errors.append(Invalid("updated_by", REQUIRED))
    if errors:
        raise Problems(errors)
    row = MeasureUpdate(
        measure_id=measure_id,
        region=region,
        department=department,
        status=status,
        progress=progress,
        evidence=(evidence or "").strip() or None,
        due_date=due_date or m.due,
        updated_by=updated_by,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class MeasureStatus:
    measure: Measure
    region: str
    status: str
    progress: int
    evidence: str | None
    due: dt.date | None
    department: str | None
    updated_at: dt.datetime | None
    overdue: bool


def board(session: Session, region: str, today: dt.date | None = None) -> list[MeasureStatus]:
    """Current status of every measure binding ``region``, as reported for ``region``."""
    today = today or dt.date.today()
    ms = for_region(region)
    latest: dict[str, MeasureUpdate] = {}
    stmt = (
        select(MeasureUpdate)
        .where(MeasureUpdate.region == region, MeasureUpdate.measure_id.in_([m.id for m in ms]))
        .order_by(MeasureUpdate.id)
    )
    for row in session.scalars(stmt):
        latest[row.measure_id] = row
    out = []
    for m in ms:
        u = latest.get(m.id)
        status = u.status if u else "not_started"
        due = u.due_date if u and u.due_date else m.due
        out.append(
            MeasureStatus(
                m,
                region,
                status,
                u.progress if u else 0,
                u.evidence if u else None,
                due,
                u.department if u else None,
                u.recorded_at if u else None,
                overdue=due is not None and due < today and status != "done",
            )
        )
    return out
