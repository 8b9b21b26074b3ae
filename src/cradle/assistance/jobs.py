"""The assistance domain's scheduled job (registered in cradle.jobs.registry): reminders for special families
overdue for a visit at their county's interval."""

from __future__ import annotations

from cradle.assistance import families
from cradle.jobs.registry import JobContext


def visit_reminders(ctx: JobContext) -> dict:
    with ctx.session() as s:
        return families.remind(s, ctx.today)
