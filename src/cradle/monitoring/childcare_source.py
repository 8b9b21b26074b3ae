"""托位 per 1000 population and the 普惠 share, computed where the platform holds the 托育 register.

Places are the registered 托位 of every class of the facilities filed (备案) and open on the day the data are
read as of (as `cradle.childcare.capacity` counts them); the population is the registry's residents alive that day
where the registry places anybody in the region, else the 2020 census figure `cradle.childcare.population` gives
(the stored source says which). The register holds a region's data once a facility there has been registered.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from cradle import regions
from cradle.childcare.facilities import list_facilities, total_slots
from cradle.childcare.models import Facility
from cradle.childcare.population import from_census
from cradle.monitoring.compute import holds as registry_holds
from cradle.monitoring.compute import registry_arrays
from cradle.monitoring.sources import Computation, Context, Result

SOURCE = "托育机构备案库；常住人口取自全员人口数据库（无登记人口时取2020年普查）"


def _within(code: str, region: str) -> bool:
    return code == region or (regions.exists(code) and regions.is_within(code, region))


def holds(ctx: Context, code: str, year: int) -> bool:
    found = ctx.once(
        "childcare.regions", lambda: set(ctx.session.scalars(select(Facility.region_code).distinct()))
    )
    return any(_within(c, code) for c in found)


def _places(ctx: Context, code: str) -> tuple[int, int]:
    """(places, inclusive places) of the filed facilities open on the day, within ``code``."""
    facilities = ctx.once(
        "childcare.filed", lambda: list_facilities(ctx.session, filed_only=True, on=ctx.as_of)
    )
    inside = [f for f in facilities if _within(f.region_code, code)]
    return sum(total_slots(f) for f in inside), sum(total_slots(f) for f in inside if f.inclusive)


def residents(ctx: Context, code: str) -> int | None:
    """The region's residents on the day: the registry's count where it places anybody there, else the census."""
    if registry_holds(ctx, code, ctx.as_of.year):
        a = registry_arrays(ctx)
        day = np.datetime64(ctx.as_of, "D")
        alive = (a["p_birth"] <= day) & (np.isnat(a["p_death"]) | (a["p_death"] > day))
        inside = np.array([_within(c, code) for c in a["p_region"]], dtype=bool)
        return int((alive & inside).sum())
    return from_census(code).value


def places_per_1000(ctx: Context, code: str, year: int) -> Result:
    places, _ = _places(ctx, code)
    population = residents(ctx, code)
    if not population:
        return None
    return places / population * 1000, float(places), float(population)


def inclusive_share(ctx: Context, code: str, year: int) -> Result:
    places, inclusive = _places(ctx, code)
    if not places:
        return None
    return inclusive / places * 100, float(inclusive), float(places)


COMPUTATIONS = [
    Computation("childcare_places_per_1000", SOURCE, places_per_1000, holds, "childcare"),
    Computation("inclusive_places_share", SOURCE, inclusive_share, holds, "childcare"),
]
