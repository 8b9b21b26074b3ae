"""The payments domain's scheduled job (registered in cradle.jobs.registry): the payment cycle.

A monthly entitlement is paid for a month once the month is over (cradle.payments.periods: it must still run on
the first day of the next), so the cycle run in month M generates each county's batch of M-1 for every monthly
program; a yearly program's batch of the year before (the January run makes it, later runs find it made); and a
one-off program's batch of whatever is approved and unpaid. A batch already made (by hand, or by an earlier
run) is counted and left alone; a batch that would hold nothing is not made. Exporting the bank file stays the
finance office's step.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select

from cradle.auth.actor import SYSTEM
from cradle.errors import Conflict
from cradle.jobs.registry import JobContext
from cradle.payments import batches
from cradle.payments.models import Entitlement
from cradle.payments.periods import bounds


def period_for(frequency: str, today: dt.date) -> str:
    """The period a cycle run on `today` pays."""
    if frequency == "monthly":
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        return f"{last_month:%Y-%m}"
    if frequency == "yearly":
        return str(today.year - 1)
    return "once"


def _payable(session, program: str, county: str, period: str, frequency: str) -> int:
    """Entitlements a batch of `period` would pay: the selection of batches.generate's insert. Asked first, so
    no empty batch is made (and audited) only to be undone."""
    _first, after = bounds(period, frequency)
    e = Entitlement
    where = [
        e.program == program,
        e.county == county,
        e.frequency == frequency,
        e.start < after,
        or_(e.end.is_(None), e.end >= after),
        or_(e.stop_date.is_(None), e.stop_date >= after),
    ]
    if frequency == "once":
        where.append(e.status == "active")
    return session.execute(select(func.count()).select_from(e).where(*where)).scalar_one()


def cycle(ctx: JobContext) -> dict:
    counts = {"generated": 0, "payments": 0, "already": 0, "empty": 0}
    with ctx.session() as s:
        pairs = s.execute(
            select(Entitlement.program, Entitlement.county)
            .distinct()
            .order_by(Entitlement.program, Entitlement.county)
        ).all()
    for program, county in pairs:
        frequency = batches.frequency_of(program)
        period = period_for(frequency, ctx.today)
        try:
            with ctx.session() as s:
                if not _payable(s, program, county, period, frequency):
                    counts["empty"] += 1
                    continue
                batch = batches.generate(s, SYSTEM, program, period, county)
                counts["generated"] += 1
                counts["payments"] += batch.count
        except Conflict:
            counts["already"] += 1
    return counts
