"""Single-year period life tables, vectorised over any leading axes (region, sex).

Definitions follow Preston, Heuveline & Guillot, *Demography: Measuring and Modeling Population Processes*
(2001), ch. 3, and the UN World Population Prospects methodology (UN DESA, *WPP 2022: Methodology of the
United Nations population estimates and projections*, 2022, ch. I.B):

- ``m_x``  central death rate at age x (deaths / person-years lived), the input;
- ``a_x``  average years lived in [x, x+1) by those who die there: 0.5 above age 0; for age 0 the
  Andreev & Kingkade (2015) formula in m_0 (the one the Human Mortality Database and WPP use);
- ``q_x = m_x / (1 + (1 - a_x) m_x)`` probability of dying between x and x+1; 1 for the open group;
- ``l_x`` survivors at exact age x (radix l_0 = 1), ``d_x = l_x q_x``;
- ``L_x = l_{x+1} + a_x d_x`` person-years lived in [x, x+1); open group ``L_ω+ = l_ω / m_ω+``;
- ``T_x = Σ_{y≥x} L_y``, ``e_x = T_x / l_x``.

The last index of every array is age 0, 1, …, ω, with ω (100 by default) the open group ω+.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEMALE, MALE = 0, 1


def a0_andreev_kingkade(m0: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """Andreev & Kingkade (2015), *Demographic Research* 33(13), Table 3, ``a_0`` from ``m_0``.

    ``sex`` is 0 (female) or 1 (male), broadcast against ``m0``.
    """
    m0 = np.asarray(m0, dtype=float)
    male = np.where(
        m0 < 0.02300, 0.14929 - 1.99545 * m0, np.where(m0 < 0.08307, 0.02832 + 3.26201 * m0, 0.29915)
    )
    female = np.where(
        m0 < 0.01724, 0.14903 - 2.05527 * m0, np.where(m0 < 0.06891, 0.04667 + 3.88089 * m0, 0.31411)
    )
    return np.where(np.asarray(sex) == MALE, male, female)


@dataclass(frozen=True)
class LifeTable:
    """Columns of a period life table; every array has age as its last axis."""

    mx: np.ndarray
    ax: np.ndarray
    qx: np.ndarray
    lx: np.ndarray
    dx: np.ndarray
    Lx: np.ndarray
    Tx: np.ndarray

    @property
    def ex(self) -> np.ndarray:
        return self.Tx / self.lx

    @property
    def e0(self) -> np.ndarray:
        return self.Tx[..., 0]


def life_table(mx: np.ndarray, a0: np.ndarray | float | None = None, sex_axis_values=None) -> LifeTable:
    """Build life tables from central death rates ``mx`` (last axis = age, last age open).

    ``a0`` overrides the age-0 separation factor; otherwise it comes from Andreev & Kingkade, using
    ``sex_axis_values`` (an array broadcast against ``mx[..., 0]``: 0 female, 1 male; default: the
    second-to-last axis of ``mx`` is sex, female first).
    """
    mx = np.asarray(mx, dtype=float)
    if mx.shape[-1] < 2:
        raise ValueError("mx: need at least one closed age and the open age group")
    if np.any(mx < 0) or not np.all(np.isfinite(mx)):
        raise ValueError("mx: death rates must be finite and non-negative")
    if np.any(mx[..., -1] <= 0):
        raise ValueError("mx: the open age group needs a positive death rate")
    ax = np.full(mx.shape, 0.5)
    if a0 is None:
        if sex_axis_values is None:
            if mx.ndim < 2 or mx.shape[-2] != 2:
                raise ValueError("mx: give a0 or a sex axis (second-to-last, length 2)")
            shape = [1] * (mx.ndim - 1)
            shape[-1] = 2
            sex_axis_values = np.arange(2).reshape(shape)
        a0 = a0_andreev_kingkade(mx[..., 0], sex_axis_values)
    ax[..., 0] = a0
    qx = mx / (1.0 + (1.0 - ax) * mx)
    qx = np.minimum(qx, 1.0)
    qx[..., -1] = 1.0
    survive = np.cumprod(1.0 - qx[..., :-1], axis=-1)
    lx = np.concatenate([np.ones(mx.shape[:-1] + (1,)), survive], axis=-1)
    dx = lx * qx
    Lx = np.empty_like(lx)
    Lx[..., :-1] = lx[..., 1:] + ax[..., :-1] * dx[..., :-1]
    Lx[..., -1] = lx[..., -1] / mx[..., -1]
    Tx = np.flip(np.cumsum(np.flip(Lx, axis=-1), axis=-1), axis=-1)
    return LifeTable(mx=mx, ax=ax, qx=qx, lx=lx, dx=dx, Lx=Lx, Tx=Tx)


def survivorship(table: LifeTable) -> tuple[np.ndarray, np.ndarray]:
    """Projection survivorship ratios (PHG §6.2; WPP methodology, cohort-component projection).

    Returns ``(S, s_birth)``:

    - ``S[..., x]`` for x = 0 … ω-1 carries those aged x at the start of a year to age x+1 at its end:
      ``S_x = L_{x+1} / L_x`` for x < ω-1, and ``S_{ω-1} = T_ω / T_{ω-1}`` for the last closed age and
      the open group together (PHG: ``N_{ω+}(t+1) = [N_{ω-1}(t) + N_{ω+}(t)] · T_ω / T_{ω-1}``);
    - ``s_birth = L_0 / l_0``: the share of a year's births alive at its end.
    """
    L, T = table.Lx, table.Tx
    S = np.empty(L.shape[:-1] + (L.shape[-1] - 1,))
    S[..., :-1] = L[..., 1:-1] / L[..., :-2]
    S[..., -1] = T[..., -1] / T[..., -2]
    return S, L[..., 0] / table.lx[..., 0]
