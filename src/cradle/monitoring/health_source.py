"""The 妇幼 indicators, computed where the platform holds the 妇幼 records (`cradle.health.indicators`), from the
counts kept per county and year (`cradle.health.aggregates`).

The records hold a region's indicator when they have what it counts there in the year (deliveries; for the
screenings and checks, records of that kind); all of a region's indicators are computed once per refresh. The
child mortalities are the registry's too: the 妇幼 death reports give them where the records hold, the registry's
births and deaths elsewhere (the stored source says which), so this module offers them and `compute` does not.
"""

from __future__ import annotations

from cradle.health import aggregates, indicators
from cradle.monitoring import compute as registry
from cradle.monitoring.sources import Computation, Context, Result

SOURCE = "妇幼健康记录 (cradle health records)"
# Offered here with the registry as the fall-back; `cradle.monitoring.compute` leaves them out of its list.
SHARED = registry.CHILD_MORTALITY


def _records(ctx: Context, code: str, year: int) -> dict:
    return ctx.once(("health", code, year), lambda: aggregates.compute(ctx.session, code, year, ctx.as_of))


def holds(ctx: Context, code: str, year: int, indicator_id: str) -> bool:
    return indicator_id in _records(ctx, code, year)


def _computation(indicator_id: str) -> Computation:
    def from_records(ctx: Context, code: str, year: int) -> Result:
        return _records(ctx, code, year).get(indicator_id)

    if indicator_id not in SHARED:
        return Computation(
            indicator_id, SOURCE, from_records, lambda c, r, y: holds(c, r, y, indicator_id), "health"
        )
    fallback = registry.registry_computation(indicator_id)

    def either(ctx: Context, code: str, year: int) -> Result:
        if holds(ctx, code, year, indicator_id):
            return from_records(ctx, code, year)
        return fallback.compute(ctx, code, year)

    return Computation(
        indicator_id,
        f"{SOURCE}；无妇幼记录时取{registry.SOURCE}",
        either,
        lambda c, r, y: holds(c, r, y, indicator_id) or fallback.holds(c, r, y),
        "health",
    )


COMPUTATIONS = [_computation(i) for i in indicators.DEFINITIONS]
