"""Inspections (督导检查), findings with corrective deadlines, follow-ups, quality grades and credit records.

A finding is open until a follow-up resolves it; an open finding past its deadline is overdue and flags the
facility. The grade is the latest 质量评估; the credit status is red or black while a record is in force.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.childcare import places
from cradle.childcare.facilities import check_scope, get_facility
from cradle.childcare.models import CreditRecord, Facility, Finding, FollowUp, Inspection, QualityGrade
from cradle.childcare.validate import (
    MISSING,
    NOT_A_LIST,
    NOT_AN_OBJECT,
    ONE_OF,
    UNKNOWN_FIELD,
    _Collector,
    _text,
    choices,
    parse_date,
)
from cradle.childcare.vocab import (
    CREDIT_LISTS,
    GRADES,
    INSPECTION_KINDS,
    INSPECTION_RESULTS,
    NOT_ASSESSED,
    SEVERITIES,
    chinese,
)
from cradle.errors import N_, Invalid, NotFound

INSPECTION_FIELDS = {"visited_on", "kind", "inspector", "result", "summary", "findings"}
FINDING_FIELDS = {"item", "description", "severity", "deadline"}


def _choice(c: _Collector, value, path: str, options: dict) -> str | None:
    if value not in options:
        c.add(path, ONE_OF, choices=choices(options))
        return None
    return value


def record_inspection(
    session: Session, facility_id: int, data: dict, scope: str | None = None, recorded_by: str | None = None
) -> Inspection:
    facility = get_facility(session, facility_id, scope)
    if not isinstance(data, dict):
        raise Invalid("$", NOT_AN_OBJECT)
    c = _Collector()
    for key in sorted(set(data) - INSPECTION_FIELDS):
        c.add(key, UNKNOWN_FIELD)
    visited = parse_date(c, data.get("visited_on"), "visited_on", True)
    kind = _choice(c, data.get("kind", "routine"), "kind", INSPECTION_KINDS)
    inspector = _text(c, data, "inspector", "inspector", 100, True)
    result = _choice(c, data.get("result"), "result", INSPECTION_RESULTS)
    summary = _text(c, data, "summary", "summary", 2000, False)
    findings = data.get("findings") or []
    if not isinstance(findings, list):
        c.add("findings", NOT_A_LIST)
        findings = []
    parsed = []
    for i, row in enumerate(findings):
        path = f"findings[{i}]"
        if not isinstance(row, dict):
            c.add(path, NOT_AN_OBJECT)
            continue
        for key in sorted(set(row) - FINDING_FIELDS):
            c.add(f"{path}.{key}", UNKNOWN_FIELD)
        item = _text(c, row, "item", f"{path}.item", 32, True)
        desc = _text(c, row, "description", f"{path}.description", 2000, True)
        severity = _choice(c, row.get("severity", "minor"), f"{path}.severity", SEVERITIES)
        deadline = parse_date(c, row.get("deadline"), f"{path}.deadline", True)
        if visited and deadline and deadline < visited:
            c.add(f"{path}.deadline", N_("The correction deadline is before the inspection date"))
        parsed.append({"item": item, "description": desc, "severity": severity, "deadline": deadline})
    if result == "corrections" and not findings:
        c.add("findings", N_("Corrections required: list the findings and their deadlines"))
    if result == "passed" and findings:
        c.add("result", N_("With findings to correct the result cannot be passed"))
    if c.problems:
        raise c.problems[0]
    inspection = Inspection(
        facility_id=facility.id,
        visited_on=visited,
        kind=kind,
        inspector=inspector,
        result=result,
        summary=summary,
        recorded_by=recorded_by,
    )
    inspection.findings = [Finding(facility_id=facility.id, **p) for p in parsed]
    session.add(inspection)
    session.flush()
    return inspection


def record_followup(
    session: Session, finding_id: int, data: dict, scope: str | None = None, recorded_by: str | None = None
) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(None, N_("Inspection finding %(key)s does not exist"), key=finding_id)
    if not isinstance(data, dict):
        raise Invalid("$", NOT_AN_OBJECT)
    check_scope(session.get(Facility, finding.facility_id).region_code, scope)
    c = _Collector()
    visited = parse_date(c, data.get("visited_on"), "visited_on", True)
    inspector = _text(c, data, "inspector", "inspector", 100, True)
    note = _text(c, data, "note", "note", 2000, False)
    resolved = data.get("resolved")
    if not isinstance(resolved, bool):
        c.add("resolved", N_("Should be true or false"))
    new_deadline = parse_date(c, data.get("new_deadline"), "new_deadline", False)
    if c.problems:
        raise c.problems[0]
    if finding.resolved_on is not None:
        raise Invalid("finding_id", N_("The problem was corrected on %(date)s"), date=finding.resolved_on)
    inspection = session.get(Inspection, finding.inspection_id)
    if visited < inspection.visited_on:
        raise Invalid(
            "visited_on",
            N_("Follow-up date is before the inspection date %(date)s"),
            date=inspection.visited_on,
        )
    if not resolved and new_deadline is not None and new_deadline < visited:
        raise Invalid("new_deadline", N_("The new correction deadline is before the follow-up date"))
    finding.followups.append(
        FollowUp(
            visited_on=visited, resolved=resolved, note=note, inspector=inspector, recorded_by=recorded_by
        )
    )
    if resolved:
        finding.resolved_on = visited
    elif new_deadline is not None:
        finding.deadline = new_deadline
    session.flush()
    return finding


def open_findings(session: Session, facility_id: int) -> list[Finding]:
    return list(
        session.scalars(
            select(Finding)
            .where(Finding.facility_id == facility_id, Finding.resolved_on.is_(None))
            .order_by(Finding.deadline)
        )
    )


def overdue(session: Session, on: dt.date, scope: str | None = None) -> list[dict]:
    """Facilities with corrections past their deadline on `on`, with the overdue findings."""
    rows = session.execute(
        select(Finding, Facility)
        .join(Facility, Facility.id == Finding.facility_id)
        .where(Finding.resolved_on.is_(None), Finding.deadline < on)
        .order_by(Facility.region_code, Facility.id, Finding.deadline)
    ).all()
    out: dict[int, dict] = {}
    for finding, facility in rows:
        if not places.is_within(facility.region_code, scope):
            continue
        entry = out.setdefault(
            facility.id,
            {
                "facility_id": facility.id,
                "name": facility.name,
                "region_code": facility.region_code,
                "findings": [],
            },
        )
        entry["findings"].append({**finding_dict(finding), "days_overdue": (on - finding.deadline).days})
    return list(out.values())


def set_grade(
    session: Session,
    facility_id: int,
    grade: str,
    assessed_on: dt.date | str,
    assessor: str,
    note: str | None = None,
    scope: str | None = None,
    recorded_by: str | None = None,
) -> QualityGrade:
    facility = get_facility(session, facility_id, scope)
    c = _Collector()
    _choice(c, grade, "grade", GRADES)
    day = parse_date(c, assessed_on, "assessed_on", True)
    if not (assessor or "").strip():
        c.add("assessor", MISSING)
    if c.problems:
        raise c.problems[0]
    row = QualityGrade(
        facility_id=facility.id,
        grade=grade,
        assessed_on=day,
        assessor=assessor.strip(),
        note=note,
        recorded_by=recorded_by,
    )
    session.add(row)
    session.flush()
    return row


def current_grade(session: Session, facility_id: int) -> QualityGrade | None:
    return session.scalar(
        select(QualityGrade)
        .where(QualityGrade.facility_id == facility_id)
        .order_by(QualityGrade.assessed_on.desc(), QualityGrade.id.desc())
        .limit(1)
    )


def add_credit_record(
    session: Session, facility_id: int, data: dict, scope: str | None = None, recorded_by: str | None = None
) -> CreditRecord:
    facility = get_facility(session, facility_id, scope)
    c = _Collector()
    list_type = _choice(c, data.get("list_type"), "list_type", CREDIT_LISTS)
    reason = _text(c, data, "reason", "reason", 2000, True)
    ref = _text(c, data, "decision_ref", "decision_ref", 100, False)
    start = parse_date(c, data.get("start_on"), "start_on", True)
    end = parse_date(c, data.get("end_on"), "end_on", False)
    if start and end and end < start:
        c.add("end_on", N_("The end date is before the start date"))
    if c.problems:
        raise c.problems[0]
    row = CreditRecord(
        facility_id=facility.id,
        list_type=list_type,
        reason=reason,
        decision_ref=ref,
        start_on=start,
        end_on=end,
        recorded_by=recorded_by,
    )
    session.add(row)
    session.flush()
    return row


def credit_status(session: Session, facility_id: int, on: dt.date) -> str | None:
    """ "black" when a black-list record is in force (it outranks red), "red", or None."""
    rows = session.scalars(
        select(CreditRecord).where(CreditRecord.facility_id == facility_id, CreditRecord.start_on <= on)
    )
    lists = {r.list_type for r in rows if r.end_on is None or r.end_on >= on}
    return "black" if "black" in lists else ("red" if "red" in lists else None)


def finding_dict(f: Finding) -> dict:
    return {
        "id": f.id,
        "inspection_id": f.inspection_id,
        "item": f.item,
        "description": f.description,
        "severity": f.severity,
        "severity_label": chinese(SEVERITIES[f.severity]),
        "deadline": f.deadline.isoformat() if f.deadline else None,
        "resolved_on": f.resolved_on.isoformat() if f.resolved_on else None,
    }


def inspections_of(session: Session, facility_id: int, scope: str | None = None) -> list[dict]:
    get_facility(session, facility_id, scope)
    rows = session.scalars(
        select(Inspection)
        .where(Inspection.facility_id == facility_id)
        .order_by(Inspection.visited_on.desc(), Inspection.id.desc())
    )
    return [
        {
            "id": i.id,
            "visited_on": i.visited_on.isoformat(),
            "kind": i.kind,
            "kind_label": chinese(INSPECTION_KINDS[i.kind]),
            "inspector": i.inspector,
            "result": i.result,
            "result_label": chinese(INSPECTION_RESULTS[i.result]),
            "summary": i.summary,
            "recorded_by": i.recorded_by,
            "findings": [finding_dict(f) for f in i.findings],
        }
        for i in rows
    ]


def quality_summary(session: Session, facility_id: int, on: dt.date) -> dict:
    """What the public page shows: grade, credit list, last inspection result, open and overdue findings."""
    grade = current_grade(session, facility_id)
    last = session.scalar(
        select(Inspection)
        .where(Inspection.facility_id == facility_id)
        .order_by(Inspection.visited_on.desc(), Inspection.id.desc())
        .limit(1)
    )
    pending = open_findings(session, facility_id)
    late = [f for f in pending if f.deadline is not None and f.deadline < on]
    credit = credit_status(session, facility_id, on)
    return {
        "grade": grade.grade if grade else None,
        "grade_label": chinese(GRADES[grade.grade] if grade else NOT_ASSESSED),
        "credit": credit,
        "credit_label": chinese(CREDIT_LISTS[credit]) if credit else "",
        "last_inspection": (
            {
                "visited_on": last.visited_on.isoformat(),
                "result": last.result,
                "result_label": chinese(INSPECTION_RESULTS[last.result]),
            }
            if last
            else None
        ),
        "open_findings": len(pending),
        "overdue_findings": len(late),
        "flagged": bool(late),
    }
