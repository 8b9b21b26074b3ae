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
