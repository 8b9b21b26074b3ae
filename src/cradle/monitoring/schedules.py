"""Default demographic schedules for when the registry holds too little history.

All of these are *approximate*, national-level, and stated here so that a projection made from them can
say what it assumed. They are shaped after the 2020 (seventh) national census of China as published
(国家统计局《2020年第七次全国人口普查主要数据》 and 《中国人口普查年鉴-2020》); the figures are rounded
from those tables, not copied cell by cell, and must not be quoted as census values:

- fertility: TFR 1.30 (census 2020); the age pattern of the census's five-year ASFRs
  (per 1000 women: 15–19 6.1, 20–24 55.2, 25–29 99.0, 30–34 70.1, 35–39 30.2, 40–44 7.5, 45–49 1.7),
  each single year taking its group's rate, rescaled to TFR 1.30;
- sex ratio at birth 111.3 males per 100 females (census 2020);
- mortality: infant mortality 5.4‰ (national 2020 health statistics); m_x = 0.0003 at 1–4, and a
  Gompertz–Makeham curve ``m_x = 0.0002 + a·exp(0.095·x)`` from age 5, with ``a`` solved so that life
  expectancy at birth is 75.4 (male) and 80.9 (female) (census 2020 life tables, rounded);
- age structure: the census's five-year age shares (0–4 5.4%, 5–9 6.4%, 10–14 6.1%, 15–19 5.2%,
  20–24 5.3%, 25–29 6.6%, 30–34 8.8%, 35–39 6.9%, 40–44 6.7%, 45–49 8.2%, 50–54 8.7%, 55–59 7.2%,
  60–64 5.2%, 65–69 5.1%, 70–74 3.6%, 75–79 2.2%, 80–84 1.4%, 85+ 1.0%), spread evenly within a group
  (85+ declining by a fifth a year to 100+), with a male share of 0.53 under 20, 0.512 at 20–59,
  0.495 at 60–79 and 0.43 from 80.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cradle.monitoring.lifetable import life_table

OMEGA = 100
AGES = OMEGA + 1
DEFAULT_TFR = 1.30
DEFAULT_SRB = 1.113
DEFAULT_IMR = 0.0054
DEFAULT_E0 = {"F": 80.9, "M": 75.4}

_ASFR_5Y = {15: 6.07, 20: 55.18, 25: 98.96, 30: 70.09, 35: 30.19, 40: 7.47, 45: 1.65}
_AGE_SHARES_5Y = [
    5.43,
    6.43,
    6.09,
    5.23,
    5.33,
    6.58,
    8.79,
    6.94,
    6.71,
    8.24,
    8.66,
    7.15,
    5.19,
    5.11,
    3.55,
    2.21,
    1.43,
    0.96,
]


def default_asfr(tfr: float = DEFAULT_TFR) -> np.ndarray:
    """Single-year ASFR (per woman per year), ages 0 … 100, summing to ``tfr``."""
    f = np.zeros(AGES)
    for start, rate in _ASFR_5Y.items():
        f[start : start + 5] = rate / 1000.0
    return f * (tfr / f.sum())


def _mx(a: float, imr: float) -> np.ndarray:
    ages = np.arange(AGES, dtype=float)
    m = 0.0002 + a * np.exp(0.095 * ages)
    m[0] = imr / (1 - 0.9 * imr)  # q0 → m0 with a0 ≈ 0.1 (Andreev–Kingkade range for low mortality)
    m[1:5] = 0.0003
    m[OMEGA] = 0.0002 + a * np.exp(0.095 * (OMEGA + 2))  # open group: the curve ~2 years into it
    return m


def _solve_a(e0: float, sex: int, imr: float) -> float:
    lo, hi = 1e-7, 1e-3
    for _ in range(80):
        mid = (lo * hi) ** 0.5
        value = float(life_table(_mx(mid, imr), sex_axis_values=np.array(sex)).e0)
        lo, hi = (mid, hi) if value > e0 else (lo, mid)
    return (lo * hi) ** 0.5


@lru_cache(maxsize=16)
def default_mx(
    e0_female: float = DEFAULT_E0["F"], e0_male: float = DEFAULT_E0["M"], imr: float = DEFAULT_IMR
) -> np.ndarray:
    """Central death rates ``[sex, age]`` (female first) with the stated life expectancies."""
    out = np.stack([_mx(_solve_a(e0_female, 0, imr), imr), _mx(_solve_a(e0_male, 1, imr), imr)])
    out.setflags(write=False)
    return out


def default_age_structure() -> np.ndarray:
    """Shares ``[sex, age]`` summing to 1."""
    shares = np.zeros(AGES)
    for g, share in enumerate(_AGE_SHARES_5Y[:-1]):
        shares[5 * g : 5 * g + 5] = share / 5
    tail = 0.8 ** np.arange(AGES - 85)
    shares[85:] = _AGE_SHARES_5Y[-1] * tail / tail.sum()
    male = np.where(np.arange(AGES) < 20, 0.53, 0.512)
    male[60:80] = 0.495
    male[80:] = 0.43
    out = np.stack([shares * (1 - male), shares * male])
    return out / out.sum()


def default_base(totals: np.ndarray) -> np.ndarray:
    """Base populations ``[region, sex, age]`` for the given regional totals."""
    totals = np.asarray(totals, dtype=float)
    return totals[:, None, None] * default_age_structure()[None]


def tfr(asfr: np.ndarray) -> np.ndarray:
    """Total fertility rate: the sum of single-year ASFRs over age (last axis)."""
    return np.asarray(asfr).sum(axis=-1)
