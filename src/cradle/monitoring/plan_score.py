"""The plan's 考核 scorecard: for each unit (the tasks it leads) and each chapter of the plan, how many items fell
due, how many were accepted and how many of those on time, how many await review, were returned or are overdue.
The score is the share of the items due that were accepted on time. Exported to Excel and printed in the annual
report (the items due in the report's year)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from cradle.errors import N_, translate
from cradle.monitoring import units
from cradle.monitoring.plan import STATES, DueItem, TaskStatus


@dataclass
class Score:
    key: str  # department code, or the chapter's title
    tasks: int = 0
    supported: int = 0  # tasks it supports (units only)
    due: int = 0
    accepted: int = 0
    on_time: int = 0
    submitted: int = 0
    returned: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """Accepted on time ÷ due, in percent; None when nothing fell due."""
        return round(self.on_time / self.due * 100, 1) if self.due else None

    def count(self, item: DueItem, today: dt.date) -> None:
        self.due += 1
        self.accepted += item.state == "accepted"
        self.on_time += item.on_time
        self.submitted += item.state == "submitted"
        self.returned += item.state == "returned"
        self.overdue += item.overdue(today)


def _due(rows: list[TaskStatus], today: dt.date, year: int | None):
    for r in rows:
        yield r, [i for i in r.items if i.due <= today and (year is None or i.due.year == year)]


def by_unit(rows: list[TaskStatus], today: dt.date, year: int | None = None) -> list[Score]:
    """One score per unit that leads or supports a task, those with the most items due first."""
    scores: dict[str, Score] = {}
    for r, items in _due(rows, today, year):
        for code in r.task.lead:
            s = scores.setdefault(code, Score(code))
            s.tasks += 1
            for i in items:
                s.count(i, today)
        for code in r.task.support:
            if code != units.ANY:
                scores.setdefault(code, Score(code)).supported += 1
    return sorted(scores.values(), key=lambda s: (-s.due, -s.tasks, s.key))


def by_chapter(rows: list[TaskStatus], today: dt.date, year: int | None = None) -> list[Score]:
    """One score per chapter (the measures' section), in the plan's order."""
    scores: dict[str, Score] = {}
    for r, items in _due(rows, today, year):
        s = scores.setdefault(r.task.measure.section, Score(r.task.measure.section))
        s.tasks += 1
        for i in items:
            s.count(i, today)
    return list(scores.values())


HEADINGS = [
    N_("Tasks led"),
    N_("Tasks supported"),
    N_("Items due"),
    N_("Accepted"),
    N_("Accepted on time"),
    N_("Awaiting review"),
    N_("Returned"),
    N_("Overdue"),
    N_("On-time rate"),
]


def _row(s: Score) -> list:
    return [s.tasks, s.supported, s.due, s.accepted, s.on_time, s.submitted, s.returned, s.overdue, s.rate]


def workbook(code: str, rows: list[TaskStatus], today: dt.date, locale: str = "zh") -> bytes:
    """The scorecard by unit and by chapter, and every item due, as an Excel workbook in ``locale``."""

    def say(message: str, **params) -> str:
        return translate(message, params, locale)

    wb = Workbook()
    ws = wb.active
    ws.title = say(N_("By unit"))
    ws.append([say(N_("Unit")), *[say(h) for h in HEADINGS]])
    for s in by_unit(rows, today):
        ws.append([units.office(s.key, code, locale), *_row(s)])
    chapters = wb.create_sheet(say(N_("By chapter")))
    chapters.append([say(N_("Chapter")), *[say(h) for h in HEADINGS if h != N_("Tasks supported")]])
    for s in by_chapter(rows, today):
        r = _row(s)
        chapters.append([s.key, r[0], *r[2:]])
    items = wb.create_sheet(say(N_("Items")))
    items.append(
        [
            say(h)
            for h in (
                N_("Clause"),
                N_("Task"),
                N_("Lead unit"),
                N_("Reporting period"),
                N_("Deadline"),
                N_("State"),
                N_("Overdue"),
            )
        ]
    )
    for r in rows:
        for i in r.items:
            items.append(
                [
                    r.task.measure.clause,
                    r.task.task.title,
                    "、".join(units.office(c, code, locale) for c in r.task.lead),
                    i.period,
                    i.due,
                    say(STATES[i.state]),
                    say(N_("Yes")) if i.overdue(today) else "",
                ]
            )
    for sheet in (ws, chapters, items):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
