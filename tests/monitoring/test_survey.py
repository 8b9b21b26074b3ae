"""Stratified sample: sizes, weights, and estimators checked by hand and by coverage."""

from __future__ import annotations

import numpy as np
import pytest

from cradle.errors import Invalid
from cradle.monitoring import survey


def test_sizes_and_weights():
    strata = np.array(["a"] * 1000 + ["b"] * 250 + ["c"] * 3)
    s = survey.draw(strata, 0.01, seed=1)
    assert s.n_h == {"a": 10, "b": 2, "c": 2}
    assert s.weight[s.stratum == "a"] == pytest.approx(100.0)
    assert s.weight.sum() == pytest.approx(1253)
    assert len(set(s.index)) == s.index.size and all(strata[s.index] == s.stratum)


def test_total_by_hand():
    # stratum a: N=4, sample y = 1, 3 → N·ȳ = 8, s² = 2, var = 16·(1−2/4)·2/2 = 8
    # stratum b: N=2, sample y = 5, 5 (all) → 10, var 0
    s = survey.Sample(
        np.array([0, 1, 4, 5]),
        np.array(["a", "a", "b", "b"]),
        np.array([2, 2, 1, 1.0]),
        {"a": 4, "b": 2},
        {"a": 2, "b": 2},
    )
    est = survey.total(s, np.array([1, 3, 5, 5]))
    assert est.value == pytest.approx(18) and est.se == pytest.approx(np.sqrt(8))
    assert est.low == pytest.approx(18 - 1.96 * np.sqrt(8))


def test_confidence_intervals_cover_the_truth():
    rng = np.random.default_rng(7)
    strata = rng.integers(0, 5, 20_000)
    size = rng.poisson(2 + strata, 20_000) + 1  # persons per household
    births = rng.binomial(size, 0.01)
    truth = births.sum() / size.sum() * 1000
    hits = 0
    for seed in range(100):
        s = survey.draw(strata, 0.01, seed=seed)
        e = survey.ratio(s, births[s.index], size[s.index], scale=1000)
        hits += e.low <= truth <= e.high
    assert 88 <= hits <= 100  # nominal 95%


def test_bad_input():
    with pytest.raises(Invalid, match="fraction"):
        survey.draw(np.array([1, 2]), 0)
    s = survey.draw(np.array(["a"] * 10), 0.5, seed=0)
    with pytest.raises(ValueError, match="y"):
        survey.total(s, np.ones(3))
