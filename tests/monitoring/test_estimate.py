"""Projection inputs from registry-like records: ages, indirect standardisation, fallbacks, migration."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cradle.monitoring.estimate import Records, age_on, estimate, population_on
from cradle.monitoring.projection import project
from cradle.monitoring.schedules import DEFAULT_SRB, DEFAULT_TFR, default_asfr, default_mx

D = dt.date


def test_age_on_birthdays_and_leap_days():
    births = np.array(["2000-07-01", "2000-07-02", "2000-02-29", "1920-01-01"], dtype="datetime64[D]")
    assert list(age_on(births, D(2024, 7, 1))) == [24, 23, 24, 104]
    assert list(age_on(births[2:3], D(2023, 2, 28))) == [22]
    assert list(age_on(births[2:3], D(2023, 3, 1))) == [23]


def make_records() -> Records:
    """Region A: 1000 women born 1 Jan 1996 (28 on 1 July 2024), 1000 men the same; 100 births in 2024,
    60 boys; 5 male deaths. Region B: 10 people only. 10 men born 2000 move into A in 2024, 4 women born 1990
    leave A."""
    p_region, p_sex, p_birth, p_death = [], [], [], []
    for sex in "FM":
        for i in range(1000):
            p_region.append("A")
            p_sex.append(sex)
            p_birth.append(D(1996, 1, 1))
            p_death.append(D(2024, 3, 1) if sex == "M" and i < 5 else None)
    for i in range(10):
        p_region.append("B")
        p_sex.append("F" if i % 2 else "M")
        p_birth.append(D(1990, 5, 5))
        p_death.append(None)
    rec = Records(p_region, p_sex, p_birth, p_death)
    for i in range(100):
        rec.birth_region.append("A")
        rec.birth_date.append(D(2024, 5, 1))
        rec.birth_mother_birth.append(D(1996, 1, 1))
        rec.birth_child_sex.append("M" if i < 60 else "F")
        rec.birth_order.append(1)
    for _ in range(10):
        rec.move_region.append("A")
        rec.move_date.append(D(2024, 6, 1))
        rec.move_sex.append("M")
        rec.move_birth.append(D(2000, 8, 8))
        rec.move_sign.append(1)
    for _ in range(4):
        rec.move_region.append("A")
        rec.move_date.append(D(2024, 9, 1))
        rec.move_sex.append("F")
        rec.move_birth.append(D(1990, 1, 1))
        rec.move_sign.append(-1)
    return rec


def test_population_on_counts_the_living_by_age():
    pop = population_on(make_records(), ["A", "B"], D(2024, 7, 1))
    assert pop[0, 0, 28] == 1000 and pop[0, 1, 28] == 995  # five men died in March
    assert pop[1].sum() == 10 and pop[1, :, 34].sum() == 10


def test_indirect_standardisation_by_hand():
    est = estimate(make_records(), ["A", "B"], D(2025, 1, 1), [2024], min_births_srb=50)
    f = default_asfr()
    expected_births = f[28] * 1000  # the standard schedule applied to A's 1000 women aged 28
    assert est.tfr[0] == pytest.approx(DEFAULT_TFR * 100 / expected_births)
    assert est.asfr[0] == pytest.approx(f * 100 / expected_births)
    assert est.srb[0] == pytest.approx(60 / 40)
    # B: too few expected events → standard schedules kept, and said so
    assert est.fertility_fallback.tolist() == [False, True]
    assert est.tfr[1] == pytest.approx(DEFAULT_TFR)
    assert est.srb[1] == DEFAULT_SRB and est.srb_fallback[1]
    assert est.mortality_fallback[1].all()
    # deaths: 5 men; expected = m_std(male, 28) · 995 — below 20 so A also keeps the standard mortality
    assert est.deaths[0].tolist() == [0, 5]
    m = np.asarray(default_mx())
    assert est.mortality.mx[1] == pytest.approx(m)


def test_mortality_smr_when_enough_expected_deaths():
    est = estimate(make_records(), ["A", "B"], D(2025, 1, 1), [2024], min_expected=0.1)
    m = np.asarray(default_mx())
    expected_male = m[1, 28] * 995
    assert est.mortality.mx[0, 1] == pytest.approx(m[1] * 5 / expected_male)


def test_migration_balance_by_age_at_end_of_year():
    est = estimate(make_records(), ["A", "B"], D(2025, 1, 1), [2024])
    assert est.migration[0, 1, 24] == 10  # born Aug 2000: 24 on 31 Dec 2024
    assert est.migration[0, 0, 34] == -4
    assert est.migration.sum() == 6


def test_estimate_feeds_the_projection():
    est = estimate(make_records(), ["A", "B"], D(2025, 1, 1), [2024])
    r = project(est.base, est.mortality, est.asfr, est.srb, est.migration, years=5, regions=est.regions)
    assert r.births_total()[0, 0] > 0 and r.total().shape == (6, 2)


def test_no_years_is_an_error():
    with pytest.raises(ValueError, match="years"):
        estimate(make_records(), ["A"], D(2025, 1, 1), [])
