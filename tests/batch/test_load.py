"""Population.from_frames: the integer-id path (array searches) and the text-id path (joins) build the same
population from the same tables."""

import numpy as np
import polars as pl
import pytest

from cradle.policy.population import Population

ID_COLUMNS = {
    "households": ["household_id"],
    "persons": ["household_id", "person_id"],
    "births": ["household_id", "child_id"],
}


def _same(a: Population, b: Population) -> None:
    for name in ("persons", "households", "births"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.keys() == y.keys()
        for k in x:
            u, v = (z.view(np.int64) if z.dtype.kind == "M" else z for z in (x[k], y[k]))  # NaT == NaT
            assert u.dtype == v.dtype and np.array_equal(u, v, equal_nan=u.dtype.kind == "f"), (name, k)
    assert (a.person_ids.astype(str) == b.person_ids.astype(str)).all()
    assert (a.household_ids.astype(str) == b.household_ids.astype(str)).all()


def _as_text(frames):
    return [
        t.with_columns(pl.col(c).cast(pl.String) for c in ID_COLUMNS[name])
        for name, t in zip(ID_COLUMNS, frames, strict=True)
    ]


def test_integer_and_text_ids_give_the_same_population(zibo_frames):
    f = zibo_frames
    # shuffled rows, so neither table order nor sortedness is assumed
    frames = [t.sample(fraction=1.0, shuffle=True, seed=3) for t in (f.households, f.persons, f.births)]
    by_int = Population.from_frames(*frames)
    assert by_int.person_ids.dtype.kind == "i"  # the integer path was taken
    by_text = Population.from_frames(*_as_text(frames))
    assert by_text.person_ids.dtype == object
    assert (by_int.births["child"] >= 0).all() and (by_int.births["mother"] >= 0).any()
    _same(by_int, by_text)


@pytest.mark.parametrize("text", [False, True])
def test_a_missing_household_is_named(zibo_frames, text):
    f = zibo_frames
    frames = [f.households.head(10), f.persons, f.births]
    with pytest.raises(ValueError, match="persons: household_id not in households"):
        Population.from_frames(*(_as_text(frames) if text else frames))
