"""The plan and its 考核: every task of every measure binding a region, the due items its deadline and recurrence
create, and the units' reports on them, accepted or returned by the leading office.

Measures and their tasks are data, in the pack of the document that lists them (``cradle/packs/<id>/measures.yaml``,
clause-cited; ``cradle.policy.measures``). A task binds the document's region and every region below it (or only
those of the level it names, ``at: county``), and is carried out in each by that region's units: its 牵头 (lead)
and 配合 (support) departments (`cradle.monitoring.units`); where the document names no unit, the leading office
(卫健) leads. Its due items: one at its deadline, or one a year (quarter) from the plan's start for a recurring
task. A unit reports on an item of its own task (the department and region are its account's, never the
request's): progress, figures, evidence files, a date. The leading office of the region accepts the report or
returns it with a reason; a returned item is reported again. An item past its due date with no report accepted
or awaiting review is overdue: the unit's and the leading office's plan pages warn of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cradle import audit, regions
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.deps import check_scope
from cradle.errors import N_, Conflict, DomainError, Forbidden, IllegalTransition, Invalid, NotFound, Problems
from cradle.monitoring import units
from cradle.monitoring.models import PlanEvidence, PlanReport
from cradle.policy.measures import Measure, Task
from cradle.policy.packs import Pack, load_packs

# A due item's state, as the pages say it.
STATES = {
    "open": N_("Not reported"),
    "submitted": N_("Awaiting review"),
    "returned": N_("Returned"),
    "accepted": N_("Accepted"),
}
BASES = {
    "text": N_("Named in the document"),
    "duty": N_("By the departments' duties (the document names no unit)"),
    "assumed": N_("The document names no unit: the leading office leads"),
}
RECURRENCE = {None: N_("Once"), "annual": N_("Every year"), "quarterly": N_("Every quarter")}
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
MAX_EVIDENCE = 5 * 1024 * 1024
MAX_FILES = 5
MAX_FIGURES = 10
MAX_PROGRESS = 4000
REQUIRED = N_("This value is required")


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


@dataclass(frozen=True)
class PlanTask:
    """A task as carried out in one region: its units as department codes."""

    task: Task
    measure: Measure
    region: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    basis: str  # text | duty | assumed

    @property
    def id(self) -> str:
        return self.task.id

    def units(self) -> tuple[str, ...]:
        return self.lead + self.support

    def is_unit(self, department: str | None) -> bool:
        return department is not None and (department in self.units() or units.ANY in self.support)

    def periods(self, today: dt.date) -> list[tuple[str, dt.date]]:
        """(period, due date) of every item due up to the end of ``today``'s year (quarter)."""
        t = self.task
        if t.due is None:
            return []
        start = self.measure.starts or t.due
        if t.recurring == "annual":
            return [(str(y), _on(y, t.due)) for y in range(start.year, today.year + 1)]
        if t.recurring == "quarterly":
            out = []
            for q in range(
                start.year * 4 + (start.month - 1) // 3, today.year * 4 + (today.month - 1) // 3 + 1
            ):
                y, k = divmod(q, 4)
                out.append((f"{y}Q{k + 1}", _quarter_end(y, k + 1)))
            return out
        return [(str(t.due.year), t.due)]


def _on(year: int, day: dt.date) -> dt.date:
    return dt.date(year, day.month, min(day.day, 28) if day.month == 2 else day.day)


def _quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year, 12, 31) if quarter == 4 else dt.date(year, quarter * 3 + 1, 1) - dt.timedelta(days=1)


def _codes(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in (units.code_of(n) for n in names) if c is not None))


def _applies(task: Task, measure: Measure, code: str) -> bool:
    if task.at is None:
        return True
    return regions.get(code).level == task.at and code != measure.jurisdiction


def plan_task(task: Task, measure: Measure, code: str) -> PlanTask:
    lead, support = _codes(task.lead), _codes(task.support)
    basis = task.basis
    if units.ANY in lead:  # 市直各有关部门 first: the leading office coordinates, every department supports
        lead, support = tuple(c for c in lead if c != units.ANY), (units.ANY, *support)
    if not lead:
        lead, basis = (units.LEAD_OFFICE,), "assumed"
    support = tuple(c for c in support if c not in lead)
    return PlanTask(task, measure, code, lead, support, basis)


def tasks_for(code: str) -> list[PlanTask]:
    """Every task binding region ``code``, in the documents' order."""
    return [plan_task(t, m, code) for m in for_region(code) for t in m.tasks if _applies(t, m, code)]


def find_task(code: str, task_id: str) -> PlanTask:
    for t in tasks_for(code):
        if t.id == task_id:
            return t
    raise NotFound("task_id", N_("No task %(task)s in the plan of %(region)s"), task=task_id, region=code)


@dataclass
class DueItem:
    task: PlanTask
    period: str
    due: dt.date
    reports: list[PlanReport] = field(default_factory=list)  # oldest first

    @property
    def latest(self) -> PlanReport | None:
        return self.reports[-1] if self.reports else None

    @property
    def accepted(self) -> PlanReport | None:
        return next((r for r in self.reports if r.status == "accepted"), None)

    @property
    def state(self) -> str:
        if self.accepted is not None:
            return "accepted"
        return self.latest.status if self.latest is not None else "open"

    def overdue(self, today: dt.date) -> bool:
        return self.due < today and self.state in ("open", "returned")

    @property
    def on_time(self) -> bool:
        """Accepted, and first reported by its due date."""
        first = self.accepted
        return first is not None and min(r.reported_on for r in self.reports) <= self.due


@dataclass
class TaskStatus:
    task: PlanTask
    items: list[DueItem]

    def state(self, today: dt.date) -> str:
        """The task's state: overdue if any item is, else its latest due item's."""
        if any(i.overdue(today) for i in self.items):
            return "overdue"
        due = [i for i in self.items if i.due <= today] or self.items[:1]
        return due[-1].state if due else "open"


def board(session: Session, code: str, today: dt.date | None = None) -> list[TaskStatus]:
    """Every task binding ``code`` with its due items (up to ``today``'s period) and their reports there."""
    today = today or dt.date.today()
    tasks = tasks_for(code)
    reports: dict[tuple[str, str], list[PlanReport]] = {}
    stmt = (
        select(PlanReport)
        .where(PlanReport.region == code)
        .options(selectinload(PlanReport.evidence))
        .order_by(PlanReport.id)
    )
    for r in session.scalars(stmt):
        reports.setdefault((r.task_id, r.period), []).append(r)
    return [
        TaskStatus(t, [DueItem(t, p, due, reports.get((t.id, p), [])) for p, due in t.periods(today)])
        for t in tasks
    ]


def overdue_items(rows: list[TaskStatus], today: dt.date, department: str | None = None) -> list[DueItem]:
    """The overdue items, of the tasks one unit leads when ``department`` is given (it answers for them)."""
    return [
        i
        for r in rows
        for i in r.items
        if i.overdue(today) and (department is None or department in r.task.lead)
    ]


# --- reports -------------------------------------------------------------------------------------------------
def is_lead_office(actor: Actor, code: str) -> bool:
    return actor.role == roles.DEPT and actor.dept == units.LEAD_OFFICE and actor.region == code


def _reporter(actor: Actor, code: str, task: PlanTask) -> str:
    """The unit ``actor`` reports for: its account's department of region ``code``, one of the task's units."""
    if actor.role != roles.DEPT or not actor.dept:
        raise Forbidden(None, N_("Only a department's account reports on plan tasks"), code="not_a_unit")
    if actor.region != code:
        raise Forbidden(
            "region",
            N_("Your account reports for %(own)s, not %(region)s"),
            own=actor.region or "",
            region=code,
            code="other_region",
        )
    if not task.is_unit(actor.dept):
        raise Forbidden(
            "task_id",
            N_("%(office)s is not a unit of this task"),
            office=units.office(actor.dept, code),
            code="not_a_unit",
        )
    return actor.dept


def _figures(raw: list[dict] | None) -> list[dict]:
    """Figures as reported (label, value, unit), empty rows dropped; each bad one named."""
    out, problems = [], []
    for k, f in enumerate(raw or []):
        label = str(f.get("label") or "").strip()
        value = f.get("value")
        unit = str(f.get("unit") or "").strip()
        if not label and value in (None, ""):
            continue
        if not label or len(label) > 100:
            problems.append(Invalid(f"figures[{k}].label", N_("Name the figure (at most 100 characters)")))
        try:
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Invalid(f"figures[{k}].value", N_("Not a number: %(value)s"), value=repr(value)))
            continue
        if len(unit) > 20:
            problems.append(Invalid(f"figures[{k}].unit", N_("At most 20 characters")))
        out.append({"label": label, "value": number, "unit": unit})
    if len(out) > MAX_FIGURES:
        problems.append(Invalid("figures", N_("At most %(count)s figures"), count=MAX_FIGURES))
    if problems:
        raise Problems(problems)
    return out


def _files(files: list[tuple[str, str, bytes]]) -> list[tuple[str, str, bytes]]:
    problems: list[DomainError] = []
    if len(files) > MAX_FILES:
        problems.append(Invalid("files", N_("At most %(count)s files"), count=MAX_FILES))
    for k, (name, content_type, data) in enumerate(files):
        where = f"files[{k}]"
        if not name.strip() or len(name) > 200:
            problems.append(Invalid(where, N_("The file needs a name of at most 200 characters")))
        if content_type not in EVIDENCE_TYPES:
            problems.append(
                Invalid(where, N_("Evidence should be PDF, JPEG, PNG, Excel or Word: %(name)s"), name=name)
            )
        if not data:
            problems.append(Invalid(where, N_("The file is empty: %(name)s"), name=name))
        elif len(data) > MAX_EVIDENCE:
            problems.append(Invalid(where, N_("A file may not exceed 5 MB: %(name)s"), name=name))
    if problems:
        raise Problems(problems)
    return files


def submit(
    session: Session,
    actor: Actor,
    code: str,
    task_id: str,
    period: str,
    progress: str,
    reported_on: dt.date | None,
    figures: list[dict] | None = None,
    files: list[tuple[str, str, bytes]] | None = None,
    today: dt.date | None = None,
) -> PlanReport:
    """A unit's report on the item ``period`` of task ``task_id`` in region ``code``; every problem named."""
    today = today or dt.date.today()
    check_scope(actor, code)
    task = find_task(code, task_id)
    department = _reporter(actor, code, task)
    items = dict(task.periods(today))
    problems: list[DomainError] = []
    if period not in items:
        problems.append(Invalid("period", N_("No item of this task falls due in %(period)s"), period=period))
    progress = (progress or "").strip()
    if not progress:
        problems.append(Invalid("progress", REQUIRED))
    elif len(progress) > MAX_PROGRESS:
        problems.append(Invalid("progress", N_("At most %(count)s characters"), count=MAX_PROGRESS))
    if reported_on is None:
        problems.append(Invalid("reported_on", REQUIRED))
    elif reported_on > today:
        problems.append(
            Invalid("reported_on", N_("The source date is in the future: %(date)s"), date=reported_on)
        )
    try:
        figures = _figures(figures)
    except DomainError as exc:
        problems += exc.items()
    try:
        files = _files(files or [])
    except DomainError as exc:
        problems += exc.items()
    if problems:
        raise Problems(problems)
    earlier = session.scalars(
        select(PlanReport).where(
            PlanReport.region == code,
            PlanReport.task_id == task_id,
            PlanReport.period == period,
            PlanReport.department == department,
        )
    ).all()
    if any(r.status == "accepted" for r in earlier):
        raise Conflict("period", N_("Your report on %(period)s was accepted already"), period=period)
    if any(r.status == "submitted" for r in earlier):
        raise Conflict("period", N_("Your report on %(period)s awaits review"), period=period)
    row = PlanReport(
        task_id=task_id,
        region=code,
        period=period,
        department=department,
        progress=progress,
        figures=figures or None,
        reported_on=reported_on,
        status="submitted",
        account_id=actor.account_id,
        reported_by=actor.name,
    )
    session.add(row)
    session.flush()
    for name, content_type, data in files:
        session.add(
            PlanEvidence(
                report_id=row.id,
                name=name.strip(),
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                added_by=actor.ref,
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "plan.report",
        f"plan:{code}:{task_id}:{period}",
        {"report": row.id, "department": department, "files": [f[0] for f in files]},
    )
    return row


def get_report(session: Session, actor: Actor, code: str, report_id: int) -> PlanReport:
    check_scope(actor, code)
    row = session.get(PlanReport, report_id)
    if row is None or row.region != code:
        raise NotFound("report_id", N_("No report %(report)s in %(region)s"), report=report_id, region=code)
    return row


def review(
    session: Session, actor: Actor, code: str, report_id: int, action: str, reason: str = ""
) -> PlanReport:
    """The leading office accepts a report, or returns it with the reason."""
    row = get_report(session, actor, code, report_id)
    if not is_lead_office(actor, code):
        raise Forbidden(
            None,
            N_("Only %(office)s accepts or returns reports"),
            office=units.office(units.LEAD_OFFICE, code),
            code="not_lead_office",
        )
    if action not in ("accept", "return"):
        raise Invalid("action", N_("Should be one of %(choices)s"), choices="accept, return")
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise Invalid("reason", N_("Say why the report is returned"))
    if row.status != "submitted":
        raise IllegalTransition(
            "action", N_("The report is %(state)s already"), state=STATES[row.status], code="reviewed"
        )
    row.status = "accepted" if action == "accept" else "returned"
    row.reason = reason or None
    row.reviewed_by = actor.name
    row.reviewed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.flush()
    audit.record(
        session,
        actor,
        f"plan.report_{row.status}",
        f"plan:{code}:{row.task_id}:{row.period}",
        {"report": row.id, "reason": row.reason},
    )
    return row


def evidence_file(session: Session, actor: Actor, code: str, evidence_id: int) -> PlanEvidence:
    """One evidence file with its bytes; the read is audited."""
    check_scope(actor, code)
    row = session.get(PlanEvidence, evidence_id)
    if row is None or row.report.region != code:
        raise NotFound(
            "evidence_id", N_("No evidence file %(file)s in %(region)s"), file=evidence_id, region=code
        )
    audit.record(
        session,
        actor,
        "plan.evidence_read",
        f"plan:{code}:{row.report.task_id}:{row.report.period}",
        {"evidence": row.id, "name": row.name, "sha256": row.sha256},
    )
    return row
