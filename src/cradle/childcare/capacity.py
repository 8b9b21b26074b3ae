"""Capacity against the documents' targets: slots per 1000 population and the 普惠 share, by county, city
and province; slots a residential area must provide; the facilities that count toward "one public nursery
per county" and "one centre per city"; 绍兴's share of communities with a 托育驿站.

Only facilities with an accepted 备案 that are open on the day count. Slots are the registered 托位 of every
age group; inclusive slots are those of facilities marked 普惠.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.childcare import places
from cradle.childcare.facilities import check_scope, list_facilities, total_slots
from cradle.childcare.models import Facility
from cradle.childcare.population import population
from cradle.childcare.targets import applicable, required_slots
from cradle.childcare.vocab import PUBLIC_TYPES, chinese
from cradle.errors import N_, Invalid

COUNTED = N_("Filed childcare institutions in operation; places of every class type")


def _check_region(region: str) -> None:
    if not places.exists(region):
        raise Invalid("region", N_("%(region)s is not a valid region code"), region=region)


def _citation(entry: dict) -> dict:
    return {"document": entry["document"], "clause": entry["clause"], "text": entry["text"]}


def indicator(session: Session, region: str, facilities: list[Facility], on: dt.date) -> dict:
    """The row for one region from the filed, open facilities inside it."""
    inside = [f for f in facilities if places.is_within(f.region_code, region)]
    slots = sum(total_slots(f) for f in inside)
    inclusive = sum(total_slots(f) for f in inside if f.inclusive)
    pop = population(session, region, on)
    per_1000 = round(slots / pop.value * 1000, 2) if pop.value else None
    share = round(inclusive / slots, 4) if slots else None
    row = {
        "region": region,
        "name": places.name(region),
        "level": places.level(region),
        "facilities": len(inside),
        "slots": slots,
        "inclusive_slots": inclusive,
        "population": pop.as_dict(),
        "slots_per_1000": per_1000,
        "inclusive_share": share,
        "target": None,
        "meets_target": None,
    }
    found = applicable("slots", places.chain(region))
    if found:
        code, target = found
        row["target"] = {
            "jurisdiction": code,
            "jurisdiction_name": places.name(code),
            "slots_per_1000": target["per_1000"],
            "inclusive_share": target.get("inclusive_share"),
            "year": target["year"],
            **_citation(target),
        }
        if pop.value:
            row["slots_needed"] = required_slots(pop.value, target["per_1000"])
            row["shortfall"] = max(row["slots_needed"] - slots, 0)
        if per_1000 is not None:
            ok = per_1000 >= target["per_1000"]
            if target.get("inclusive_share") is not None:
                ok = ok and share is not None and share >= target["inclusive_share"]
            row["meets_target"] = ok
    return row


def capacity_report(session: Session, region: str, on: dt.date, scope: str | None = None) -> dict:
    """The region and each unit one level below it (counties of a city, cities of a province)."""
    _check_region(region)
    check_scope(region, scope)
    facilities = list_facilities(session, region=region, filed_only=True, on=on)
    lv = places.level(region)
    below = (
        places.cities_of(region) if lv == "province" else (places.counties_of(region) if lv == "city" else [])
    )
    return {
        "as_of": on.isoformat(),
        "region": indicator(session, region, facilities, on),
        "units": [indicator(session, code, facilities, on) for code in below],
        "community_sites_below_minimum": _small_sites(facilities),
        "counted": chinese(COUNTED),
    }


def _small_sites(facilities: list[Facility]) -> list[dict]:
    out = []
    for f in facilities:
        rule = applicable("community_site", places.chain(f.region_code))
        if rule and f.type == "community_station" and float(f.floor_area_m2) < rule[1]["min_m2"]:
            out.append(
                {
                    "facility_id": f.id,
                    "name": f.name,
                    "floor_area_m2": float(f.floor_area_m2),
                    "min_m2": rule[1]["min_m2"],
                    "document": rule[1]["document"],
                    "clause": rule[1]["clause"],
                }
            )
    return out


def residential_requirement(region: str, planned_population: int, existing: bool = False) -> dict:
    """托位 a residential area of `planned_population` residents must provide under the local rule."""
    _check_region(region)
    if (
        isinstance(planned_population, bool)
        or not isinstance(planned_population, int)
        or planned_population < 0
    ):
        raise Invalid("planned_population", N_("Should be a non-negative whole number"))
    found = applicable("residential", places.chain(region))
    if found is None:
        return {
            "region": region,
            "planned_population": planned_population,
            "required_slots": None,
            "note": "本地文件未规定新建居住区托位配建标准（仅要求与常住人口规模相适应）",
        }
    code, rule = found
    per_1000 = rule["existing_per_1000"] if existing else rule["new_per_1000"]
    return {
        "region": region,
        "planned_population": planned_population,
        "existing_area": existing,
        "per_1000": per_1000,
        "required_slots": required_slots(planned_population, per_1000),
        "jurisdiction": code,
        **_citation(rule),
    }


def coverage(session: Session, region: str, on: dt.date, scope: str | None = None) -> dict:
    """Which counties have their public nursery (and centre), which cities their comprehensive centre."""
    _check_region(region)
    check_scope(region, scope)
    facilities = list_facilities(session, region=region, filed_only=True, on=on)
    counties, cities = [], []
    for county in places.counties_of(region):
        found = applicable("coverage", places.chain(county))
        if not found:
            continue
        rule = found[1]
        here = [f for f in facilities if f.region_code == county]
        public = [
            f
            for f in here
            if f.type in PUBLIC_TYPES and (f.guidance_role or not rule["county_public_guidance"])
        ]
        entry = {
            "region": county,
            "name": places.name(county),
            "public_nurseries": [_ref(f) for f in public],
            "rule": _citation(rule),
        }
        ok = bool(public)
        if rule["county_centre"]:
            centres = [f for f in here if f.comprehensive_centre]
            entry["centres"] = [_ref(f) for f in centres]
            ok = ok and bool(centres)
        entry["meets"] = ok
        counties.append(entry)
    for city in places.cities_of(region):
        found = applicable("coverage", places.chain(city))
        if not found or not found[1]["city_centre"]:
            continue
        centres = [f for f in facilities if places.is_within(f.region_code, city) and f.comprehensive_centre]
        cities.append(
            {
                "region": city,
                "name": places.name(city),
                "centres": [_ref(f) for f in centres],
                "meets": bool(centres),
                "rule": _citation(found[1]),
            }
        )
    return {"as_of": on.isoformat(), "region": region, "counties": counties, "cities": cities}


def station_coverage(
    session: Session, region: str, communities_total: int, on: dt.date, scope: str | None = None
) -> dict:
    """绍兴: share of the region's urban communities that have a filed, open 托育驿站."""
    _check_region(region)
    check_scope(region, scope)
    if (
        isinstance(communities_total, bool)
        or not isinstance(communities_total, int)
        or communities_total <= 0
    ):
        raise Invalid(
            "communities_total", N_("The number of urban communities should be a positive whole number")
        )
    facilities = list_facilities(session, region=region, filed_only=True, on=on)
    with_station = sorted(
        {(f.region_code, f.community) for f in facilities if f.type == "community_station" and f.community}
    )
    if len(with_station) > communities_total:
        raise Invalid(
            "communities_total",
            N_("%(count)s communities already have a station, more than the number of communities"),
            count=len(with_station),
        )
    share = round(len(with_station) / communities_total, 4)
    found = applicable("stations", places.chain(region))
    out = {
        "region": region,
        "communities_total": communities_total,
        "communities_with_station": len(with_station),
        "share": share,
        "target": None,
        "meets": None,
    }
    if found:
        out["target"] = {"share": found[1]["share"], **_citation(found[1])}
        out["meets"] = share >= found[1]["share"]
    return out


def _ref(f: Facility) -> dict:
    return {"id": f.id, "name": f.name, "type": f.type}
