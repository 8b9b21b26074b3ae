"""Projection inputs estimated from registry records (held as column arrays, see :class:`Records`).

Counties are small: a county of 100 000 people sees ~700 births and ~700 deaths a year, too few for a
stable single-year schedule. So rates are estimated by **indirect standardisation** (PHG §2.4) against
the default national schedules of :mod:`cradle.monitoring.schedules`:

- fertility: ``ASFR_r = f_std · B_r / Σ_x f_std,x · W_r,x`` — observed births over the births the standard
  schedule would give the county's women (person-years approximated by the mid-year population, PHG §1.6);
  the county's TFR is ``TFR_std · B_r / E_r``;
- mortality: ``m_r,s = m_std,s · D_r,s / Σ_x m_std,s,x · N_r,s,x`` (standardised mortality ratio by sex);
- a county whose *expected* events are fewer than ``min_expected`` keeps the standard schedule, and the
  estimate says so (``fallback``).

Net migration is the mean yearly balance of hukou moves (in − out) by sex and age at the end of the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from cradle.monitoring.lifetable import LifeTable, life_table
from cradle.monitoring.schedules import AGES, DEFAULT_SRB, OMEGA, default_asfr, default_mx

NAT = np.datetime64("NaT", "D")


def _dates(values) -> np.ndarray:
    return np.array([NAT if v is None else np.datetime64(v, "D") for v in values], dtype="datetime64[D]")


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    year = d.astype("datetime64[Y]").astype(int) + 1970
    month = (d.astype("datetime64[M]") - d.astype("datetime64[Y]")).astype(int) + 1
    day = (d - d.astype("datetime64[M]")).astype(int) + 1
    return year, month * 100 + day


def age_on(birth: np.ndarray, on: dt.date) -> np.ndarray:
    """Completed years of age on ``on`` for ``datetime64[D]`` birth dates (29 Feb birthdays count on
    1 March in common years)."""
    year, md = _ymd(birth)
    return on.year - year - (md > on.month * 100 + on.day)


@dataclass
class Records:
    """Registry facts as parallel arrays. ``sex`` is "F"/"M"; dates are ``datetime.date`` or None.

    persons: one row per (deduplicated) person with the region they lived in;
    births: one row per live birth with the mother's birth date and the child's sex and order;
    moves: one row per hukou move with the person's sex and birth date, +1 in / -1 out;
    care: one row per child enrolled in a nursery or kindergarten on the reference date.
    """

    person_region: list[str]
    person_sex: list[str]
    person_birth: list[dt.date]
    person_death: list[dt.date | None]
    birth_region: list[str] = field(default_factory=list)
    birth_date: list[dt.date] = field(default_factory=list)
    birth_mother_birth: list[dt.date] = field(default_factory=list)
    birth_child_sex: list[str] = field(default_factory=list)
    birth_order: list[int | None] = field(default_factory=list)
    move_region: list[str] = field(default_factory=list)
    move_date: list[dt.date] = field(default_factory=list)
    move_sex: list[str] = field(default_factory=list)
    move_birth: list[dt.date] = field(default_factory=list)
    move_sign: list[int] = field(default_factory=list)
    care_region: list[str] = field(default_factory=list)
    care_type: list[str] = field(default_factory=list)  # nursery | kindergarten
    care_inclusive: list[bool] = field(default_factory=list)  # public or 普惠性 (inclusive) private

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "p_region": np.array(self.person_region, dtype=object),
            "p_sex": (np.array(self.person_sex) == "M").astype(int),
            "p_birth": _dates(self.person_birth),
            "p_death": _dates(self.person_death),
            "b_region": np.array(self.birth_region, dtype=object),
            "b_date": _dates(self.birth_date),
            "b_mother": _dates(self.birth_mother_birth),
            "b_sex": (np.array(self.birth_child_sex) == "M").astype(int),
            "m_region": np.array(self.move_region, dtype=object),
            "m_date": _dates(self.move_date),
            "m_sex": (np.array(self.move_sex) == "M").astype(int),
            "m_birth": _dates(self.move_birth),
            "m_sign": np.array(self.move_sign, dtype=int),
            "b_order": np.array([0 if o is None else o for o in self.birth_order], dtype=int),
            "c_region": np.array(self.care_region, dtype=object),
            "c_type": np.array(self.care_type, dtype=object),
            "c_inclusive": np.array(self.care_inclusive, dtype=bool),
        }


def _index(regions: list[str], values: np.ndarray) -> np.ndarray:
    pos = {code: i for i, code in enumerate(regions)}
    return np.array([pos.get(v, -1) for v in values], dtype=int)


def _count(region_idx, sex, age, R, weights=None) -> np.ndarray:
    keep = (region_idx >= 0) & (age >= 0)
    out = np.zeros((R, 2, AGES))
    w = None if weights is None else weights[keep]
    np.add.at(out, (region_idx[keep], sex[keep], np.minimum(age[keep], OMEGA)), 1 if w is None else w)
    return out


def population_on(rec: Records, regions: list[str], on: dt.date) -> np.ndarray:
    """Persons alive on ``on`` by region, sex and completed age ``[R, 2, 101]``."""
    a = rec.arrays()
    on64 = np.datetime64(on, "D")
    alive = (a["p_birth"] <= on64) & (np.isnat(a["p_death"]) | (a["p_death"] > on64))
    idx = np.where(alive, _index(regions, a["p_region"]), -1)
    return _count(idx, a["p_sex"], age_on(a["p_birth"], on), len(regions))


@dataclass(frozen=True)
class Estimate:
    regions: tuple[str, ...]
    base: np.ndarray  # [R, 2, A] on the base date
    asfr: np.ndarray  # [R, A]
    mortality: LifeTable  # [R, 2, A]
    migration: np.ndarray  # [R, 2, A] per year
    srb: np.ndarray  # [R]
    births: np.ndarray  # [R] observed over the window
    expected_births: np.ndarray  # [R] under the standard schedule
    deaths: np.ndarray  # [R, 2]
    fertility_fallback: np.ndarray  # [R] bool: standard schedule kept
    mortality_fallback: np.ndarray  # [R, 2] bool
    srb_fallback: np.ndarray  # [R] bool

    @property
    def tfr(self) -> np.ndarray:
        return self.asfr.sum(axis=-1)


def estimate(
    rec: Records,
    regions: list[str],
    base_date: dt.date,
    years: list[int],
    min_expected: float = 20.0,
    min_births_srb: int = 500,
) -> Estimate:
    """Estimate every input of :func:`cradle.monitoring.projection.project` from ``rec`` for ``regions``,
    with the base population on ``base_date`` and rates from the calendar ``years`` (pooled)."""
    if not years:
        raise ValueError("years: need at least one calendar year of history")
    R = len(regions)
    a = rec.arrays()
    f_std = default_asfr()
    m_std = np.asarray(default_mx())
    exposure = sum(population_on(rec, regions, dt.date(y, 7, 1)) for y in years)  # person-years ≈ mid-year

    b_year = a["b_date"].astype("datetime64[Y]").astype(int) + 1970 if a["b_date"].size else np.zeros(0, int)
    in_window = np.isin(b_year, years)
    b_idx = np.where(in_window, _index(regions, a["b_region"]), -1)
    births = np.bincount(b_idx[b_idx >= 0], minlength=R).astype(float)
    expected_b = np.einsum("ra,a->r", exposure[:, 0, :], f_std)
    fert_fallback = expected_b < min_expected
    factor = np.where(fert_fallback, 1.0, births / np.where(expected_b > 0, expected_b, 1.0))
    asfr = factor[:, None] * f_std[None, :]

    boys = np.bincount(b_idx[(b_idx >= 0) & (a["b_sex"] == 1)], minlength=R).astype(float)
    girls = births - boys
    srb_fallback = (births < min_births_srb) | (girls == 0)
    srb = np.where(srb_fallback, DEFAULT_SRB, boys / np.where(girls > 0, girls, 1.0))

    d_year = np.where(np.isnat(a["p_death"]), 0, a["p_death"].astype("datetime64[Y]").astype(int) + 1970)
    dead = np.isin(d_year, years)
    d_idx = np.where(dead, _index(regions, a["p_region"]), -1)
    deaths = np.zeros((R, 2))
    np.add.at(deaths, (d_idx[d_idx >= 0], a["p_sex"][d_idx >= 0]), 1.0)
    expected_d = np.einsum("rsa,sa->rs", exposure, m_std)
    mort_fallback = expected_d < min_expected
    smr = np.where(mort_fallback, 1.0, deaths / np.where(expected_d > 0, expected_d, 1.0))
    smr = np.maximum(smr, 0.05)  # a county with no deaths in a short window keeps some mortality
    mortality = life_table(m_std[None] * smr[:, :, None])

    migration = np.zeros((R, 2, AGES))
    if a["m_date"].size:
        m_year = a["m_date"].astype("datetime64[Y]").astype(int) + 1970
        ok = np.isin(m_year, years)
        idx = np.where(ok, _index(regions, a["m_region"]), -1)
        age_end = m_year - _ymd(a["m_birth"])[0]  # age on 31 December of the year of the move
        migration = _count(idx, a["m_sex"], age_end, R, weights=a["m_sign"].astype(float)) / len(years)

    base = population_on(rec, regions, base_date)
    return Estimate(
        tuple(regions),
        base,
        asfr,
        mortality,
        migration,
        srb,
        births,
        expected_b,
        deaths,
        fert_fallback,
        mort_fallback,
        srb_fallback,
    )
