"""Engine mechanics: dated parameters, region values, layering, pack validation, batch = single."""

import datetime as dt

import numpy as np
import pytest
import yaml

from cradle.policy.calc import calc_household
from cradle.policy.engine import run
from cradle.policy.errors import PackError
from cradle.policy.household import parse_household
from cradle.policy.packs import layer_parameter
from cradle.policy.parameters import load_parameters
from cradle.policy.population import Population
from cradle.policy.program import Ctx


def _ent(result, program, beneficiary):
    return next(
        e for e in result["entitlements"] if e["program"] == program and e["beneficiary"] == beneficiary
    )


def test_value_in_force_follows_the_as_of_date(household):
    household["members"][3]["birth_date"] = household["events"][0]["date"] = "2022-03-10"
    household["events"] = household["events"][:1]
    r2022 = calc_household(household, dt.date(2022, 6, 1))
    r2023 = calc_household(household, dt.date(2023, 6, 1))
    assert _ent(r2022, "cn.infant_care_tax_deduction", "c2")["amount"] == 1000
    assert _ent(r2023, "cn.infant_care_tax_deduction", "c2")["amount"] == 2000
    cited = _ent(r2023, "cn.infant_care_tax_deduction", "c2")["citations"]
    assert ("国发〔2023〕13号", "全文") in {(c["document"], c["clause"]) for c in cited}


def test_parameter_validation_names_the_parameter():
    raw = yaml.safe_load("x.y:\n  values:\n    - {start: 2020-01-01, value: 1, clause: 一}\n")
    with pytest.raises(PackError, match="x.y.values\\[0\\]: missing 'verified'"):
        load_parameters("p", raw, "doc.txt", "parameters.yaml")
    raw = yaml.safe_load(
        "x.y:\n  values:\n    - {start: 2020-01-01, value: null, clause: 一, verified: true}\n"
    )
    with pytest.raises(PackError, match="set_by"):
        load_parameters("p", raw, "doc.txt", "parameters.yaml")


def test_parameter_dates_and_regions_vectorised():
    raw = yaml.safe_load("""
a.b:
  values:
    - {start: 2024-01-01, value: null, set_by: county, clause: 一, verified: true}
  by_region:
    "620402": [{start: 2024-06-01, value: 200, clause: 一, verified: true}]
""")
    prm = load_parameters("p", raw, "doc.txt", "x")["p.a.b"]
    out = prm.at_regions(np.datetime64("2024-07-01"), np.array([620402, 620403]))
    assert out[0] == 200 and np.isnan(out[1])
    before = prm.at_regions(np.datetime64("2024-05-01"), np.array([620402]))
    assert np.isnan(before[0])
    assert np.isnan(prm.at(np.datetime64("2023-12-31")))


def test_a_household_column_as_a_condition_reads_each_persons_household():
    """`Ctx.of_household` at every person (a first condition checked at rows is given them all) and at some."""
    persons = {"hh": np.array([0, 0, 1, 2, 2, 2])}
    ctx = Ctx(
        persons, {"hh_flag": np.zeros(3)}, {}, np.datetime64("2025-07-01"), {}, "cn", layer=layer_parameter
    )
    at = ctx.of_household(np.array([True, False, True]))
    assert at(np.arange(6)).tolist() == [True, True, False, True, True, True]
    assert at(np.array([1, 2, 5])).tolist() == [True, False, True]


def test_overrides_replace_a_value(household):
    r = calc_household(household, dt.date(2025, 7, 1), overrides={"cn.childcare_subsidy.yearly": 4800})
    assert _ent(r, "cn.childcare_subsidy", "c2")["amount"] == 4800


def test_many_households_in_one_run_equal_one_by_one(household):
    """The batch path (one population of many households) gives each household what calc gives it."""
    other = dict(
        household, jurisdiction="441523", members=[dict(m, hukou="441523") for m in household["members"]]
    )
    parsed = [parse_household(h, dt.date(2025, 7, 1)) for h in (household, other, household)]
    pop = Population.from_households(parsed, ids=["a", "b", "c"])
    results = run(pop, dt.date(2025, 7, 1))

    def number(a):
        if a is None or (isinstance(a, float) and np.isnan(a)) or isinstance(a, np.datetime64 | str):
            return None
        return round(float(a), 2)

    batch = sorted(
        (
            (r.program.id, int(h), number(None if r.amount is None else r.amount[i]))
            for r in results
            for i, h in enumerate(r.household)
        ),
        key=repr,
    )
    single = sorted(
        (
            (e["program"], row, number(e["amount"]))
            for row, h in enumerate((household, other, household))
            for e in calc_household(h, dt.date(2025, 7, 1))["entitlements"]
        ),
        key=repr,
    )
    assert batch == single


def test_date_valued_parameters_for_cut_offs():
    raw = yaml.safe_load("""
cut.off:
  values:
    - {start: 2024-05-17, value: 2024-01-01, clause: 二、13, verified: true}
""")
    prm = load_parameters("p", raw, "doc.txt", "x")["p.cut.off"]
    assert prm.is_date and prm.at(np.datetime64("2025-01-01")) == np.datetime64("2024-01-01")
    assert np.isnat(prm.at(np.datetime64("2024-05-16")))
    mixed = yaml.safe_load("""
cut.off:
  values:
    - {start: 2024-05-17, value: 2024-01-01, clause: 一, verified: true}
    - {start: 2025-01-01, value: 3, clause: 一, verified: true}
""")
    with pytest.raises(PackError, match="mix numbers and dates"):
        load_parameters("p", mixed, "doc.txt", "x")
