"""The health domain's scheduled job (registered in cradle.jobs.registry): the nightly 妇幼 sync, the same work
as `cradle health sync`, then the indicators' kept counts of this year and last counted again from the records
(`cradle health rebuild-aggregates`: this year's are counted on the new day). Its counts are the run's record (no
personal data)."""

from __future__ import annotations

from cradle.health import aggregates
from cradle.health import sync as health_sync
from cradle.jobs.registry import JobContext


def sync(ctx: JobContext) -> dict:
    with ctx.session() as s:
        done = health_sync.run(s, ctx.today)
    with ctx.session() as s:
        counted = aggregates.rebuild(s, years=[ctx.today.year - 1, ctx.today.year], today=ctx.today)
    return done | {"counted_counties": counted["counties"], "counted_years": counted["years"]}
