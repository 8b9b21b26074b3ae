import numpy as np
import polars as pl
import pytest

from cradle.batch.load import population
from cradle.policy.population import Population


def _same(a: Population, b: Population) -> None:
    for name in ("persons", "households", "births"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.keys() == y.keys()
        for k in x:
            u, v = (z.view(np.int64) if z.dtype.kind == "M" else z for z in (x[k], y[k]))  # NaT == NaT
            assert u.dtype == v.dtype and np.array_equal(u, v, equal_nan=u.dtype.kind == "f"), (name, k)
    assert (a.person_ids.astype(str) == b.person_ids.astype(str)).all()
    assert (a.household_ids.astype(str) == b.household_ids.astype(str)).all()


def test_same_as_from_frames(zibo_frames):
    f = zibo_frames
    # shuffled rows, so neither table order nor sortedness is assumed
    h, p, b = (t.sample(fraction=1.0, shuffle=True, seed=3) for t in (f.households, f.persons, f.births))
    _same(population(h, p, b), Population.from_frames(h, p, b))


def test_text_ids_fall_back_and_missing_household_is_named(zibo_frames):
    f = zibo_frames
    text = [t.with_columns(pl.col("household_id").cast(pl.String)) for t in (f.households, f.persons, f.births)]
    assert population(*text).n_persons == f.persons.height
    with pytest.raises(ValueError, match="persons: household_id not in households"):
        population(f.households.head(10), f.persons, f.births)
