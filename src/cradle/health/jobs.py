"""The health domain's scheduled job (registered in cradle.jobs.registry): the nightly 妇幼 sync, the same work
as `cradle health sync`. Its counts are the run's record (no personal data)."""

from __future__ import annotations

from cradle.health import sync as health_sync
from cradle.jobs.registry import JobContext


def sync(ctx: JobContext) -> dict:
    with ctx.session() as s:
        return health_sync.run(s, ctx.today)
