"""Demographic shapes the synthetic population follows.

- Age: the 2020 (seventh) census national population by five-year age group (millions, 第七次全国人口普查
  公报/年鉴 rounded), rescaled per province so the 0–14, 15–59 and 60+ shares match that province's census
  bulletin. Transcribed figures, to be checked against the bulletins before they are shown as statistics.
- Fertility: 2020 census age-specific fertility rates (births per 1000 women, five-year groups), national.
- Birth order of recent births: roughly 45% first, 43% second, 12% third or later (2020 census).
Region totals come from /work/shared/reference/census2020_resident_population.csv (cities); a county gets a
share of its city by the number of counties (documented rule: equal split).
"""

from __future__ import annotations

import numpy as np

AGE_GROUPS_MILLIONS = [
    77.9,
    90.2,
    85.3,
    72.7,
    74.9,
    91.8,
    124.1,
    99.0,
    93.0,
    114.2,
    121.2,
    101.4,
    73.4,
    74.0,
    49.6,
    31.0,
    20.4,
    15.8,
]  # 0-4, 5-9, …, 80-84, 85+

# Province → (0–14, 15–59, 60+) shares, seventh census provincial bulletins.
BROAD_SHARES = {
    "44": (0.1885, 0.6880, 0.1235),  # 广东
    "33": (0.1345, 0.6786, 0.1870),  # 浙江
    "62": (0.1940, 0.6357, 0.1703),  # 甘肃
    "37": (0.1878, 0.6032, 0.2090),  # 山东
    "14": (0.1635, 0.6472, 0.1892),  # 山西
}
NATIONAL_SHARES = (0.1795, 0.6335, 0.1870)

ASFR_PER_1000 = {15: 6.0, 20: 55.0, 25: 98.0, 30: 72.0, 35: 30.0, 40: 8.0, 45: 2.0}
TWIN_RATE = 0.012
SEX_RATIO_AT_BIRTH = 1.11  # boys per girl, 2020 census


def single_year_age_weights(province: str) -> np.ndarray:
    """Weights for ages 0..100: five-year groups spread evenly, 85+ decaying, bands rescaled to the province."""
    w = np.zeros(101)
    for g, m in enumerate(AGE_GROUPS_MILLIONS[:-1]):
        w[g * 5 : (g + 1) * 5] = m / 5
    tail = np.exp(-np.arange(16) / 4.0)
    w[85:101] = AGE_GROUPS_MILLIONS[-1] * tail / tail.sum()
    target = BROAD_SHARES.get(province[:2], NATIONAL_SHARES)
    bands = [(0, 15), (15, 60), (60, 101)]
    total = w.sum()
    for (lo, hi), share in zip(bands, target, strict=True):
        w[lo:hi] *= share * total / w[lo:hi].sum()
    return w / w.sum()


def asfr(age: np.ndarray) -> np.ndarray:
    """Births per woman per year at `age` (0 outside 15–49)."""
    out = np.zeros(age.shape, dtype=float)
    for lo, rate in ASFR_PER_1000.items():
        out[(age >= lo) & (age < lo + 5)] = rate / 1000
    return out
