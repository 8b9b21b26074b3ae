"""A facility's supervision history on one page: every filing step, inspection, follow-up, quality grade,
credit-list record and subsidy decision, newest first, each with who recorded it (an actor reference the page
names as people say it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare.facilities import get_facility
from cradle.childcare.models import (
    CreditRecord,
    Filing,
    Finding,
    FollowUp,
    Inspection,
    QualityGrade,
    SubsidyApplication,
)


def facility_history(session: Session, facility_id: int, scope: str | None = None) -> list[dict]:
    """The facility's events as {"on", "kind", "actor", ...}; a facility outside `scope` is refused."""
    facility = get_facility(session, facility_id, scope)
    events: list[dict] = []
    filings = session.scalars(select(Filing).where(Filing.facility_id == facility.id))
    for f in filings:
        for e in f.events:
            events.append(
                {
                    "on": e.at.isoformat(timespec="minutes"),
                    "kind": "filing",
                    "actor": e.actor,
                    "action": e.action,
                    "from": e.from_status,
                    "to": e.to_status,
                    "note": e.note,
                }
            )
    for i in session.scalars(select(Inspection).where(Inspection.facility_id == facility.id)):
        events.append(
            {
                "on": i.visited_on.isoformat(),
                "kind": "inspection",
                "actor": i.recorded_by,
                "inspection_kind": i.kind,
                "result": i.result,
                "inspector": i.inspector,
                "summary": i.summary,
                "findings": len(i.findings),
            }
        )
    followups = session.execute(
        select(FollowUp, Finding)
        .join(Finding, FollowUp.finding_id == Finding.id)
        .where(Finding.facility_id == facility.id)
    )
    for u, finding in followups:
        events.append(
            {
                "on": u.visited_on.isoformat(),
                "kind": "followup",
                "actor": u.recorded_by,
                "finding": finding.description,
                "resolved": u.resolved,
                "inspector": u.inspector,
                "note": u.note,
            }
        )
    for g in session.scalars(select(QualityGrade).where(QualityGrade.facility_id == facility.id)):
        events.append(
            {
                "on": g.assessed_on.isoformat(),
                "kind": "grade",
                "actor": g.recorded_by,
                "grade": g.grade,
                "assessor": g.assessor,
                "note": g.note,
            }
        )
    for r in session.scalars(select(CreditRecord).where(CreditRecord.facility_id == facility.id)):
        events.append(
            {
                "on": r.start_on.isoformat(),
                "kind": "credit",
                "actor": r.recorded_by,
                "list_type": r.list_type,
                "reason": r.reason,
                "decision_ref": r.decision_ref,
                "end_on": r.end_on.isoformat() if r.end_on else None,
            }
        )
    for a in session.scalars(select(SubsidyApplication).where(SubsidyApplication.facility_id == facility.id)):
        events.append(
            {
                "on": (a.decided_on or a.applied_on).isoformat(),
                "kind": "subsidy",
                "actor": None,
                "program": a.program,
                "status": a.status,
                "amount": a.amount,
            }
        )
    return sorted(events, key=lambda e: e["on"], reverse=True)
