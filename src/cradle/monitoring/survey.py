"""Stratified 1% household sample (淄博 二（一）3 “开展年度1%人口抽样调查”) and its estimates.

Design: strata (e.g. county × urban/rural), simple random sampling of households without replacement in
each stratum, ``n_h = max(2, round(f · N_h))`` (at least two so that a variance can be estimated; all of
a stratum smaller than that). Design weight ``w = N_h / n_h``. Estimators (Cochran, *Sampling Techniques*,
3rd ed., 1977, §5.2–5.3):

- total ``Ŷ = Σ_h N_h ȳ_h``; ``Var(Ŷ) = Σ_h N_h² (1 − n_h/N_h) s_h² / n_h``;
- mean per household ``Ŷ / N``; a ratio (e.g. births per 1000 persons) by linearisation (§6.11);
- confidence interval ``estimate ± z · SE`` (normal approximation; z = 1.96 for 95%).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cradle.errors import N_, Invalid


@dataclass(frozen=True)
class Sample:
    index: np.ndarray  # positions of the sampled households in the frame
    stratum: np.ndarray  # stratum of each sampled household
    weight: np.ndarray  # N_h / n_h
    N_h: dict  # frame size by stratum
    n_h: dict  # sample size by stratum


def draw(strata: np.ndarray, fraction: float = 0.01, seed: int | None = None) -> Sample:
    """Stratified random sample of the frame whose households are in ``strata`` (one label each)."""
    if not 0 < fraction <= 1:
        raise Invalid("fraction", N_("The sampling fraction must be above 0 and at most 1"))
    strata = np.asarray(strata)
    if strata.size == 0:
        raise Invalid("region", N_("The frame is empty: no household to sample"))
    rng = np.random.default_rng(seed)
    idx, lab, wts, N_h, n_h = [], [], [], {}, {}
    for h in np.unique(strata):
        members = np.flatnonzero(strata == h)
        N = len(members)
        n = min(N, max(2, round(fraction * N)))
        chosen = np.sort(rng.choice(members, size=n, replace=False))
        idx.append(chosen)
        lab += [h] * n
        wts.append(np.full(n, N / n))
        N_h[h], n_h[h] = N, n
    return Sample(np.concatenate(idx), np.array(lab), np.concatenate(wts), N_h, n_h)


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    low: float
    high: float


def _ci(value: float, var: float, z: float) -> Estimate:
    se = float(np.sqrt(max(var, 0.0)))
    return Estimate(float(value), se, float(value - z * se), float(value + z * se))


def total(sample: Sample, y: np.ndarray, z: float = 1.96) -> Estimate:
    """Estimated population total of ``y`` (one value per sampled household, in sample order)."""
    y = np.asarray(y, dtype=float)
    if y.shape != sample.index.shape:
        raise ValueError(
            f"y: {y.shape[0] if y.ndim else 0} values for {sample.index.size} sampled households"
        )
    est, var = 0.0, 0.0
    for h, N in sample.N_h.items():
        yh = y[sample.stratum == h]
        n = sample.n_h[h]
        est += N * yh.mean()
        if n > 1:
            var += N**2 * (1 - n / N) * yh.var(ddof=1) / n
    return _ci(est, var, z)


def ratio(sample: Sample, y: np.ndarray, x: np.ndarray, scale: float = 1.0, z: float = 1.96) -> Estimate:
    """Estimated ratio of totals ``Y/X × scale`` (e.g. births per 1000 persons), linearised variance."""
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    Y, X = total(sample, y).value, total(sample, x).value
    if X == 0:
        raise ValueError("x: the estimated denominator total is zero")
    R = Y / X
    v = total(sample, (y - R * x) / X).se ** 2
    return _ci(R * scale, v * scale**2, z)
