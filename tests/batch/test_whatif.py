import polars as pl
import pytest

from cradle.batch import report
from cradle.batch.cost import yearly_cost
from cradle.batch.whatif import parse_sets, parse_years, run_whatif
from cradle.errors import Invalid

from .conftest import ON


def test_parse_sets_names_the_parameter():
    change = parse_sets(
        [
            "cn.childcare_subsidy.yearly=5000",
            "zibo.nursery_fee_subsidy=off",
            "baiyin.childcare_allowance.monthly=null",
        ]
    )
    assert change.overrides == {
        "cn.childcare_subsidy.yearly": 5000.0,
        "baiyin.childcare_allowance.monthly": None,
    }
    assert change.off == {"zibo.nursery_fee_subsidy"}
    with pytest.raises(Invalid, match="--set cn.nope: unknown parameter"):
        parse_sets(["cn.nope=1"])
    with pytest.raises(Invalid, match="--set zibo.nope: unknown program"):
        parse_sets(["zibo.nope=off"])
    with pytest.raises(Invalid, match="not a number"):
        parse_sets(["cn.childcare_subsidy.yearly=lots"])
    with pytest.raises(Invalid, match="date values are not supported yet"):
        parse_sets(["cn.childcare_subsidy.yearly=2027-01-01"])
    with pytest.raises(Invalid, match="--set: expected NAME=VALUE"):
        parse_sets(["cn.childcare_subsidy.yearly"])


def test_parse_years():
    assert parse_years("2026-2030", ON) == [2026, 2027, 2028, 2029, 2030]
    assert parse_years(None, ON) == [2026]
    with pytest.raises(Invalid, match="--years: 2020 is before the population's base year"):
        parse_years("2020-2022", ON)


def test_yearly_cost_by_unit():
    import datetime as dt

    t = pl.DataFrame(
        {
            "amount": [300.0, 3600.0, 20000.0, 20000.0, 15.0, None],
            "unit": ["CNY/month", "CNY/year", "CNY", "CNY", "days", "CNY/month"],
            "period_start": [
                dt.date(2025, 3, 10),
                dt.date(2026, 4, 1),
                dt.date(2026, 2, 1),
                dt.date(2025, 2, 1),
                dt.date(2026, 1, 1),
                dt.date(2026, 1, 1),
            ],
            "period_end": [dt.date(2026, 5, 10), None, None, None, None, None],
        }
    )
    # 2026: Jan–May (a started month counts) = 5 months; 9 of 12 months; one-off in 2026; one-off in 2025
    assert yearly_cost(t, 2026).tolist() == [1500.0, 2700.0, 20000.0, 0.0, 0.0, 0.0]


@pytest.fixture(scope="module")
def result(zibo_source):
    change = parse_sets(["cn.childcare_subsidy.yearly=7200", "zibo.nursery_fee_subsidy=off"])
    return run_whatif("370300", zibo_source, ON, [2026, 2027], change, workers=1)


def test_changes_cost_only_what_they_touch(result):
    t = result.by_program.group_by("year", "program").agg(pl.col("^(cost|beneficiaries)_.*$").sum())
    subsidy = t.filter(pl.col("program") == "cn.childcare_subsidy").sort("year")
    assert subsidy["cost_base"].to_list() == pytest.approx((subsidy["cost_scenario"] / 2).to_list())
    assert (subsidy["beneficiaries_diff"] == 0).all() and (subsidy["cost_base"] > 0).all()
    nursery = t.filter(pl.col("program") == "zibo.nursery_fee_subsidy")
    assert (nursery["cost_scenario"] == 0).all() and (nursery["cost_base"] > 0).all()
    others = t.filter(~pl.col("program").is_in(["cn.childcare_subsidy", "zibo.nursery_fee_subsidy"]))
    assert (others["cost_diff"] == 0).all() and (others["beneficiaries_diff"] == 0).all()


def test_later_years_are_aged_with_the_projection(result):
    assert "预测" in result.population_note
    t = (
        result.by_program.filter(pl.col("program") == "cn.childcare_subsidy")
        .group_by("year")
        .agg(pl.col("beneficiaries_base").sum())
        .sort("year")
    )
    # newborns carried forward keep the under-three programs populated in 2027
    assert t["beneficiaries_base"][1] > 0.5 * t["beneficiaries_base"][0]
    assert set(result.by_county()["county"]) == set(result.by_program["county"])


def test_static_population_says_so(zibo_source):
    r = run_whatif("370302", zibo_source, ON, [2026, 2027], parse_sets([]), aging=False, workers=1)
    assert "静态" in r.population_note
    assert (r.by_program["cost_diff"] == 0).all()


def test_outputs(result, tmp_path):
    csv = report.write_csv(result, tmp_path / "w.csv")
    back = pl.read_csv(csv)
    assert {"year", "county", "program", "cost_base", "cost_scenario", "cost_diff", "county_name"} <= set(
        back.columns
    )
    page = report.write_html(result, tmp_path / "w.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "张店区" in page and "zibo.nursery_fee_subsidy=off" in page


def test_active_rows_by_kind():
    import datetime as dt

    from cradle.batch.cost import active

    t = pl.DataFrame(
        {
            "unit": ["CNY/month", "CNY", "days", None],
            "kind": ["cash", "cash", "leave", "waiver"],
            "period_start": [
                dt.date(2026, 3, 1),
                dt.date(2026, 2, 1),
                dt.date(2026, 5, 1),
                dt.date(2024, 1, 1),
            ],
            "period_end": [dt.date(2027, 3, 1), None, None, None],
        }
    )
    assert active(t, 2026).tolist() == [True, True, True, True]
    # a one-off payment and a leave of open length belong to their start year; a waiver holds on
    assert active(t, 2027).tolist() == [True, False, False, True]
    assert active(t, 2028).tolist() == [False, False, False, True]


def test_scope_money_and_touched_programs(zibo_source):
    change = parse_sets(["zibo.extra_parental_leave.days_per_year=10"])
    r = run_whatif("370305", zibo_source, ON, [2026], change, workers=1)
    programs = set(r.by_program["program"])
    assert "zibo.extra_parental_leave" in programs and "cn.childcare_subsidy" in programs
    assert "cn.maternity_leave" not in programs  # leave days the change does not touch
    leave = r.by_program.filter(pl.col("program") == "zibo.extra_parental_leave")
    assert (leave["cost_diff"] == 0).all() and leave["beneficiaries_base"].sum() > 0
    everything = run_whatif("370305", zibo_source, ON, [2026], change, workers=1, all_programs=True)
    assert "cn.maternity_leave" in set(everything.by_program["program"])
