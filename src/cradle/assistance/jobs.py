"""The assistance domain's scheduled jobs (registered in cradle.jobs.registry): the new year's candidate lists,
and reminders for special families overdue for a visit at their county's interval."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cradle.assistance import cycle, families, programs, sources
from cradle.assistance.models import Cycle
from cradle.auth.actor import SYSTEM
from cradle.jobs.registry import JobContext


def visit_reminders(ctx: JobContext) -> dict:
    with ctx.session() as s:
        return families.remind(s, ctx.today)


def yearly_candidates(ctx: JobContext) -> dict:
    """Each county that ran last year's review gets this year's list found (免申即享: registry and applications,
    as `cradle assistance candidates`), each in its own transaction. A county whose list for the year exists is
    left alone: the villages' account checks on it are kept."""
    year, on = ctx.today.year, dt.date(ctx.today.year, 1, 1)
    with ctx.session() as s:
        last_year = set(s.execute(select(Cycle.county).where(Cycle.year == year - 1)).scalars())
        this_year = set(s.execute(select(Cycle.county).where(Cycle.year == year)).scalars())
    found = 0
    for county in sorted(last_year - this_year):
        with ctx.session() as s:
            households = sources.households(s, county, on)
            applications = sources.applications(s, {p.id for p in programs.for_county(county)}, county)
            cycle.find_candidates(s, SYSTEM, county, year, households, as_of=on, applications=applications)
        found += 1
    return {"counties": found, "already_listed": len(last_year & this_year)}
