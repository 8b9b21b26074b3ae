"""Cohort-component projection checked against a small example worked by hand.

Toy life table, ages 0, 1 and the open group 2+, a_x = 0.5 everywhere (a0 given), m = (0.1, 0.2, 0.5):
  q0 = 0.1/1.05 = 2/21         l1 = 19/21      d0 = 2/21     L0 = l1 + d0/2 = 20/21 (= d0/m0)
  q1 = 0.2/1.1 = 2/11          l2 = 19/21·9/11 = 171/231     d1 = 38/231   L1 = d1/m1 = 190/231
  open: L2+ = l2/m2 = 342/231
  T2 = 342/231, T1 = 532/231, T0 = 752/231 → e0 = 3.255411
Survivorship (PHG §6.2):
  S0 = L1/L0 = 190/220 = 19/22 = 0.863636      open: S = T2/T1 = 342/532 = 9/14 = 0.642857
  births survive L0/l0 = 20/21
Projection, one year; women and men each (100, 100, 100); ASFR 0.5 at age 1 only; SRB 1.0; no migration:
  age 1 at end = 100·19/22 = 86.363636
  age 2+ at end = (100 + 100)·9/14 = 128.571429
  births = 0.5 · (100 + 86.363636)/2 = 46.590909 → 23.295455 per sex → age 0 = 23.295455·20/21 = 22.186147
With 10 net female migrants aged 1 at the end of the year (half the year's exposure to S0):
  age 1 women = 86.363636 + 10·(1 + 19/22)/2 = 86.363636 + 9.318182 = 95.681818
  births = 0.5 · (100 + 95.681818)/2 = 48.920455 → 24.460227 per sex → age 0 = 23.295455
"""

from __future__ import annotations

import numpy as np
import pytest

from cradle.monitoring import needs, scenarios
from cradle.monitoring.lifetable import life_table, survivorship
from cradle.monitoring.projection import project
from cradle.monitoring.schedules import default_asfr, default_base, default_mx


def toy_table():
    return life_table(np.array([[0.1, 0.2, 0.5], [0.1, 0.2, 0.5]]), a0=0.5)


def test_life_table_by_hand():
    lt = toy_table()
    assert lt.qx[0] == pytest.approx([2 / 21, 2 / 11, 1.0])
    assert lt.lx[0] == pytest.approx([1.0, 19 / 21, 171 / 231])
    assert lt.Lx[0] == pytest.approx([20 / 21, 190 / 231, 342 / 231])
    assert lt.Tx[0] == pytest.approx([752 / 231, 532 / 231, 342 / 231])
    assert lt.e0[0] == pytest.approx(3.255411, abs=1e-6)
    S, s_birth = survivorship(lt)
    assert S[0] == pytest.approx([19 / 22, 9 / 14])
    assert s_birth[0] == pytest.approx(20 / 21)


def test_one_year_by_hand():
    base = np.full((1, 2, 3), 100.0)
    asfr = np.array([[0.0, 0.5, 0.0]])
    r = project(base, toy_table(), asfr, srb=1.0, years=1, start_year=2024)
    assert r.years == (2024, 2025)
    expected = [22.186147, 86.363636, 128.571429]
    assert r.population[1, 0, 0] == pytest.approx(expected, abs=1e-6)
    assert r.population[1, 0, 1] == pytest.approx(expected, abs=1e-6)
    assert r.births[0, 0] == pytest.approx([23.295455, 23.295455], abs=1e-6)


def test_one_year_with_migration_by_hand():
    base = np.full((1, 2, 3), 100.0)
    mig = np.zeros((1, 2, 3))
    mig[0, 0, 1] = 10.0
    r = project(base, toy_table(), np.array([0.0, 0.5, 0.0]), srb=1.0, migration=mig, years=1)
    assert r.population[1, 0, 0, 1] == pytest.approx(95.681818, abs=1e-6)
    assert r.births_total()[0, 0] == pytest.approx(48.920455, abs=1e-6)
    assert r.population[1, 0, 0, 0] == pytest.approx(23.295455, abs=1e-6)
    assert r.population[1, 0, 1, 1] == pytest.approx(86.363636, abs=1e-6)  # men unaffected


def test_regions_are_independent_and_vectorised():
    lt = life_table(default_mx())
    base = default_base(np.array([100_000.0, 250_000.0]))
    both = project(base, lt, default_asfr(), years=10)
    alone = project(base[1:], lt, default_asfr(), years=10)
    assert both.population[:, 1] == pytest.approx(alone.population[:, 0])
    # same structure, 2.5 times the size → 2.5 times everything
    assert both.population[-1, 1] == pytest.approx(2.5 * both.population[-1, 0])


def test_stationary_population_stays_stationary():
    """A life-table population L_x with births = l0 per year is reproduced exactly (PHG §6.2 check):
    with ASFR chosen so births equal 1 per year and no migration, each year returns the same numbers."""
    lt = life_table(default_mx())
    stationary = lt.Lx[None] * 1000.0  # [1, 2, A]: 1000 births a year of each sex
    # one woman-age carries all fertility: f_30 = 2000 births / L_30 women (SRB 1 → 1000 each sex)
    asfr = np.zeros((1, 101))
    asfr[0, 30] = 2000.0 / stationary[0, 0, 30]
    r = project(stationary, lt, asfr, srb=1.0, years=5)
    assert r.population[-1] == pytest.approx(stationary, rel=1e-9)
    assert r.births_total()[:, 0] == pytest.approx(2000.0)


def test_scenarios_follow_wpp_variants():
    asfr = np.atleast_2d(default_asfr(1.3))
    high = scenarios.scenario_asfr(asfr, scenarios.HIGH, 12).sum(-1)[:, 0]
    low = scenarios.scenario_asfr(asfr, scenarios.LOW, 12).sum(-1)[:, 0]
    assert high[0] == pytest.approx(1.55) and high[5] == pytest.approx(1.7) and high[11] == pytest.approx(1.8)
    assert low[11] == pytest.approx(0.8)
    pol = scenarios.scenario_asfr(asfr, scenarios.policy_scenario(0.2, phase_in_years=4), 6).sum(-1)[:, 0]
    assert pol == pytest.approx([1.35, 1.4, 1.45, 1.5, 1.5, 1.5])
    lt = life_table(default_mx())
    base = default_base(np.array([500_000.0]))
    b = {
        n: project(base, lt, scenarios.scenario_asfr(asfr, s, 30), years=30).births_total().sum()
        for n, s in scenarios.STANDARD.items()
    }
    assert b["low"] < b["medium"] < b["high"]


def test_needs_and_cost():
    lt = life_table(default_mx())
    r = project(default_base(np.array([1_000_000.0])), lt, default_asfr(), years=3)
    assert needs.slots_by_standard(r, 4.5)[0, 0] == pytest.approx(4500.0)
    under3 = r.under(3)
    assert needs.slots_by_demand(r, 0.1)[1, 0] == pytest.approx(0.1 * under3[1, 0])
    cost = needs.benefit_cost(r, 3600, eligible_share=0.5)
    assert cost.shape == (3, 1)
    assert cost[0, 0] == pytest.approx((under3[0, 0] + under3[1, 0]) / 2 * 3600 * 0.5)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"base": np.full((1, 2, 3), -1.0)}, "base"),
        ({"asfr": np.array([[0.0, 0.5]])}, "asfr"),
        ({"srb": 0.0}, "srb"),
        ({"migration": np.zeros((2, 2, 3))}, "migration"),
        ({"years": 0}, "years"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    args = {
        "base": np.full((1, 2, 3), 100.0),
        "mortality": toy_table(),
        "asfr": np.array([0.0, 0.5, 0.0]),
        "years": 1,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=field):
        project(**args)
