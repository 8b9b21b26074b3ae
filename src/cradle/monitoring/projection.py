"""Cohort-component population projection by single year of age and sex, all regions at once.

Arrays are ``[region, sex, age]`` with sex 0 = female, 1 = male and ages 0 … ω (ω+ open, ω = 100 by
default). One projection step is one calendar year, following Preston, Heuveline & Guillot (2001) ch. 6
and the UN WPP methodology (UN DESA 2022, ch. I.C "Population projections"):

1. **Survival.** Those aged x at the start of the year are aged x+1 at its end with probability
   ``S_x = L_{x+1}/L_x``; the last closed age and the open group are merged into the open group with
   ``T_ω/T_{ω-1}`` (see :func:`cradle.monitoring.lifetable.survivorship`).
2. **Migration.** Net migrants are given by age at the end of the year and are assumed to arrive evenly
   through it, so on average they are exposed to half the year's mortality: ``M_x · (1 + S^c_x) / 2`` with
   ``S^c_x`` the survivorship of the cohort ending at age x (``L_0/l_0`` for age 0).
3. **Births.** ``B = Σ_x f_x · (W_x(t) + W_x(t+1)) / 2``: age-specific fertility rates times the
   mid-period number of women, the average of women at the start and at the end of the year (PHG eq. 6.4
   with n = 1; WPP uses the same person-years approximation).
4. **Sex and infant survival.** Births are split with the sex ratio at birth (males per female):
   female share ``1 / (1 + SRB)``; the survivors to the end of the year are ``B_s · L_0/l_0`` (PHG eq. 6.5).

A negative count, possible only when net emigration exceeds the population, is set to zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cradle.monitoring.lifetable import FEMALE, MALE, LifeTable, survivorship


@dataclass(frozen=True)
class ProjectionResult:
    """``population[k]`` is the population at the start of ``years[k]`` (k = 0 is the base);
    ``births[k]`` are the births during ``years[k]`` by sex, ``[region, sex]``."""

    regions: tuple[str, ...]
    years: tuple[int, ...]
    population: np.ndarray  # [len(years), region, sex, age]
    births: np.ndarray  # [len(years) - 1, region, sex]

    def total(self) -> np.ndarray:
        """Total population ``[year, region]``."""
        return self.population.sum(axis=(2, 3))

    def under(self, age: int) -> np.ndarray:
        """Population below ``age`` (e.g. 3 for 0–2 year-olds), ``[year, region]``."""
        return self.population[..., :age].sum(axis=(2, 3))

    def births_total(self) -> np.ndarray:
        """Births ``[year, region]`` for ``years[:-1]``."""
        return self.births.sum(axis=2)

    def region_index(self, code: str) -> int:
        try:
            return self.regions.index(code)
        except ValueError:
            raise KeyError(f"region {code!r} is not in this projection") from None


def _broadcast(name: str, value, shape: tuple[int, ...]) -> np.ndarray:
    try:
        return np.broadcast_to(np.asarray(value, dtype=float), shape)
    except ValueError:
        raise ValueError(f"{name}: shape {np.shape(value)} does not fit {shape}") from None


def project_step(P, S, s_birth, asfr, srb, migration=None):
    """One year: ``P`` [R, 2, A] at the start → (population at the end, births [R, 2])."""
    A = P.shape[-1]
    new = np.empty_like(P)
    new[..., 0] = 0.0
    new[..., 1 : A - 1] = P[..., : A - 2] * S[..., : A - 2]
    new[..., A - 1] = (P[..., A - 2] + P[..., A - 1]) * S[..., A - 2]
    if migration is not None:
        cohort_s = np.concatenate([s_birth[..., None], S], axis=-1)
        new += migration * (1.0 + cohort_s) / 2.0
        np.maximum(new, 0.0, out=new)
    women_mid = (P[:, FEMALE, :] + new[:, FEMALE, :]) / 2.0
    births = np.einsum("ra,ra->r", asfr, women_mid)
    female_share = 1.0 / (1.0 + srb)
    by_sex = np.stack([births * female_share, births * (1.0 - female_share)], axis=1)
    new[..., 0] += by_sex * s_birth
    return new, by_sex


def project(
    base: np.ndarray,
    mortality: LifeTable,
    asfr: np.ndarray,
    srb: float | np.ndarray = 1.05,
    migration: np.ndarray | None = None,
    years: int = 30,
    start_year: int = 2025,
    regions: tuple[str, ...] | None = None,
) -> ProjectionResult:
    """Project ``base`` ``[region, sex, age]`` for ``years`` years.

    - ``mortality``: life tables broadcastable to ``[region, sex, age]`` (held constant);
    - ``asfr``: rates per woman per year, ``[region, age]`` or ``[age]`` (constant) or
      ``[years, region, age]`` (one schedule per projection year, for scenarios that move the TFR);
    - ``srb``: males per female at birth, scalar or ``[region]``;
    - ``migration``: net migrants per year by age at the end of the year, ``[region, sex, age]``
      (constant) or ``[years, region, sex, age]``; ``None`` for a closed population.
    """
    base = np.asarray(base, dtype=float)
    if base.ndim != 3 or base.shape[1] != 2:
        raise ValueError(f"base: expected [region, sex(2), age], got shape {base.shape}")
    if np.any(base < 0) or not np.all(np.isfinite(base)):
        raise ValueError("base: counts must be finite and non-negative")
    R, _, A = base.shape
    if years < 1:
        raise ValueError("years: must be at least 1")
    if regions is None:
        regions = tuple(str(i) for i in range(R))
    if len(regions) != R:
        raise ValueError(f"regions: {len(regions)} codes for {R} regions")
    S, s_birth = survivorship(mortality)
    S = _broadcast("mortality", S, (R, 2, A - 1))
    s_birth = _broadcast("mortality", s_birth, (R, 2))
    asfr = np.asarray(asfr, dtype=float)
    per_year_asfr = asfr.ndim == 3
    asfr = _broadcast("asfr", asfr, (years, R, A) if per_year_asfr else (R, A))
    if np.any(asfr < 0):
        raise ValueError("asfr: rates must be non-negative")
    srb = _broadcast("srb", srb, (R,))
    if np.any(srb <= 0):
        raise ValueError("srb: must be positive")
    per_year_mig = migration is not None and np.ndim(migration) == 4
    if migration is not None:
        migration = _broadcast("migration", migration, (years, R, 2, A) if per_year_mig else (R, 2, A))

    population = np.empty((years + 1, R, 2, A))
    births = np.empty((years, R, 2))
    population[0] = base
    for k in range(years):
        f = asfr[k] if per_year_asfr else asfr
        m = None if migration is None else (migration[k] if per_year_mig else migration)
        population[k + 1], births[k] = project_step(population[k], S, s_birth, f, srb, m)
    return ProjectionResult(
        regions=tuple(regions),
        years=tuple(range(start_year, start_year + years + 1)),
        population=population,
        births=births,
    )


__all__ = ["FEMALE", "MALE", "ProjectionResult", "project", "project_step"]
