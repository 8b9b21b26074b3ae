"""`--source registry`: the three batch tables built from the population data hub.

Every person with a citizen ID whose hukou on the date lies in the region gives a household through the
registry's own household rules (`cradle.registry.household.household_of`, the basis of 免申即享); households
found from several members are kept once, and built once: who is in a person's household is found first
(`family_of`), and a family already built is not built again. The facts are loaded set-based, one query per
table and chunk of ids for the whole region (`cradle.batch.registry_region.RegionFacts`), not person by person.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import func, select

from cradle import gcpause, regions
from cradle.batch.registry_region import RegionFacts, read_rows, select_rows
from cradle.batch.synth import Frames
from cradle.db import session_scope
from cradle.errors import N_, Invalid
from cradle.policy.household import parse_household
from cradle.policy.population import (
    BIRTH_COLUMNS,
    HOUSEHOLD_COLUMNS,
    PERSON_COLUMNS,
    RELATION,
    Population,
    newborns,
)
from cradle.registry import models as m
from cradle.registry.household import family_of, household_of


def to_frames(households: list[dict], on: dt.date) -> Frames:
    """Catalogue household dicts as the batch layout (household ids 1…n, person ids `<household>:<member>`)."""
    pop = Population.from_households([parse_household(h, on) for h in households])
    hh_ids = np.arange(1, pop.n_households + 1, dtype=np.int64)
    pid = np.array(
        [f"{hh_ids[h]}:{m}" for h, m in zip(pop.persons["hh"], pop.person_ids, strict=True)], dtype=object
    )
    persons = {"household_id": hh_ids[pop.persons["hh"]], "person_id": pid}
    persons.update({k: pop.persons[k] for k in PERSON_COLUMNS if k != "hh"})
    # a row per newborn of each delivery, as the layout has them
    p, b = pop.persons, pop.births
    child, of = newborns(p["hh"], p["birth_date"], p["relation"] == RELATION["child"], b["hh"], b["date"])
    births = {"household_id": hh_ids[b["hh"][of]], "child_id": pid[child]}
    births.update({k: b[k][of] for k in BIRTH_COLUMNS if k not in ("hh", "child", "mother")})
    house = {"household_id": hh_ids, **{k: pop.households[k] for k in HOUSEHOLD_COLUMNS}}
    return Frames(pl.DataFrame(house), pl.DataFrame(persons), pl.DataFrame(births))


@gcpause.paused()  # a row each, alive until returned
def region_persons(session, region: str, on: dt.date) -> list:
    """Persons (unmerged, with a citizen ID) whose newest hukou event on the date places them in `region`, as
    read-only rows (`registry_region.shape`)."""
    # The newest events are looked for only among persons with some event in the region by the date (its index),
    # not among the whole registry's (a province's, for each county), and only the region's are read back: a
    # person is theirs when one of their newest events (all of one day are kept) places them there.
    codes = [region, *(r.code for r in regions.descendants(region))]
    ev = m.HukouEvent
    placed = select(ev.person_id).where(ev.region.in_(codes), ev.valid_from <= on)
    latest = (
        select(ev.person_id, func.max(ev.valid_from).label("d"))
        .where(ev.valid_from <= on, ev.person_id.in_(placed))
        .group_by(ev.person_id)
        .subquery()
    )
    rows = read_rows(
        session,
        m.Person,
        select_rows(m.Person)
        .select_from(ev)
        .join(latest, (latest.c.person_id == ev.person_id) & (latest.c.d == ev.valid_from))
        .join(m.Person, m.Person.id == ev.person_id)
        .where(
            ev.region.in_(codes),
            ev.event != "move_out",
            m.Person.id_number.is_not(None),
            m.Person.merged_into_id.is_(None),
        ),
    )
    return list({person.id: person for person in rows}.values())  # a person once (events of one day)


@gcpause.paused()  # a few million rows and dicts, alive until the households are built
def registry_households(session, region: str, on: dt.date) -> list[dict]:
    persons = region_persons(session, region, on)
    facts = RegionFacts(session, on, (p.id for p in persons), read=persons)
    seen, out = set(), []
    built: set[frozenset[int]] = set()  # the families whose household is in `out` or was kept out as a repeat
    for person in persons:
        try:
            family = family_of(facts, person)
            if family.persons in built:  # the same members, so a repeat (the first one found is kept)
                continue
            household = household_of(facts, person, family)
        except Invalid:  # no household on the date (not yet born, no known hukou): that person gives none
            continue
        built.add(family.persons)
        key = frozenset(
            mem.get("id_number") or f"{mem['name']}|{mem['birth_date']}" for mem in household["members"]
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(household)
    return out


def export_region(region: str, on: dt.date, directory: Path, url: str | None = None) -> Path:
    """Writes the region's households from the registry database into `directory` (the batch layout)."""
    if not regions.exists(region):
        raise Invalid("--region", N_("unknown region code %(region)s"), region=region)
    with gcpause.paused():  # the households and their validated forms, alive until the tables are built
        with session_scope(url) as session:
            households = registry_households(session, region, on)
        if not households:
            raise Invalid(
                "--source",
                N_("no households of %(region)s in the registry on %(date)s"),
                region=region,
                date=on,
            )
        frames = to_frames(households, on)
    return frames.write(directory)
