import datetime as dt

import numpy as np
import polars as pl
import pytest

from cradle import regions
from cradle.batch.synth import generate
from cradle.errors import Invalid
from cradle.policy.population import CARE, RELATION, Population

from .conftest import ON


def test_layout_reads_into_population(zibo_frames):
    f = zibo_frames
    pop = Population.from_frames(f.households, f.persons, f.births)
    assert pop.n_persons == f.persons.height >= 6000
    assert pop.n_households == f.households.height
    assert (pop.births["child"] >= 0).all() and (pop.births["mother"] >= 0).all()


def test_every_county_and_realistic_shares(zibo_frames):
    f = zibo_frames
    counties = {int(r.code) for r in regions.descendants("370300", "county")}
    assert set(f.households["jurisdiction"].unique()) == counties
    age = (np.datetime64(ON) - f.persons["birth_date"].to_numpy().astype("datetime64[D]")).astype(
        int
    ) / 365.25
    under3 = (age < 3).mean()
    assert 0.01 < under3 < 0.06
    children = f.persons.filter(pl.col("relation") == RELATION["child"])
    assert 0.2 < children.height / f.persons.height < 0.35
    assert f.births.height == int((age < 3).sum())
    nursery = f.persons.filter(pl.col("care_type") == CARE["nursery"]).height
    assert 0 < nursery < (age < 3).sum()
    # a child is never born before the mother is 12 (the household validator's rule)
    p = f.persons.with_columns(pl.col("birth_date").cast(pl.Int64).alias("d"))
    mothers = p.filter(pl.col("relation") == RELATION["mother"]).select("household_id", m="d")
    kids = p.filter(pl.col("relation") == RELATION["child"]).join(mothers, on="household_id")
    assert (kids["d"] - kids["m"]).min() >= 12 * 365


def test_seeded_and_sorted_by_county():
    a = generate("140100", 3000, 5, dt.date(2026, 1, 1))
    b = generate("140100", 3000, 5, dt.date(2026, 1, 1))
    assert a.persons.equals(b.persons) and a.households.equals(b.households)
    assert a.households["jurisdiction"].is_sorted()


def test_unknown_region_names_the_field():
    with pytest.raises(Invalid, match="region: unknown region code 999999"):
        generate("999999", 10, 1, ON)


def test_family_planning_couples_deaths_and_moves():
    """Older only-child and rural two-daughter parents of the ages the rules ask for, 失独 and disabled-child
    families, and deaths and hukou moves during the year before the as-of date."""
    f = generate("370300", 30000, 3, ON)
    p = f.persons.join(f.households, on="household_id")
    today = np.datetime64(ON, "D")
    parents = p.filter(pl.col("relation").is_in([RELATION["mother"], RELATION["father"]]))
    age = (today - parents["birth_date"].to_numpy().astype("datetime64[D]")).astype(int) / 365.25
    only = parents["only_child_certificate"].to_numpy()
    two = parents["rural_two_daughters"].to_numpy()
    assert (only & (age >= 60)).sum() > 300 and (two & (age >= 60)).sum() > 30
    rural_two = parents.filter(pl.col("rural_two_daughters") & (pl.col("hukou_type") == 1))
    assert rural_two.height > 30
    households = f.households
    bereaved = households.filter(pl.col("special_family") == 1).height
    disabled = households.filter(pl.col("special_family") == 2).height
    assert 0.001 < bereaved / households.height < 0.02 and 0.001 < disabled / households.height < 0.02
    # 失独: the only child is dead, with its date; disabled children carry a grade
    kids = p.filter((pl.col("relation") == RELATION["child"]) & (pl.col("special_family") == 1))
    assert kids.filter(pl.col("deceased") & pl.col("death_date").is_not_null()).height > 0
    graded = p.filter((pl.col("special_family") == 2) & (pl.col("disability_grade") > 0))
    assert set(graded["disability_grade"]) <= {1, 2, 3, 4} and graded.height > 0
    # deaths in the year: dated, within the last 365 days, never before birth
    died = parents.filter(pl.col("death_date") > pl.lit(ON) - pl.duration(days=366))
    assert died.height > 50 and died["deceased"].all()
    assert (died["death_date"] <= ON).all() and (died["death_date"] > died["birth_date"]).all()
    # moves: some parents' hukou is now outside the province
    assert parents.filter((pl.col("hukou") // 10000) != 37).height > 10
    # every household still reads into the engine's population
    pop = Population.from_frames(f.households, f.persons, f.births)
    assert pop.n_households == households.height
