"""When a program is in force is the engine's: `@program(in_force=...)` adds the labelled condition before the
formula's own and starts no period before that day. Also the shared Ctx rules packs use instead of their own:
which parent, birth order, the pack's own region."""

import datetime as dt

import numpy as np
import pytest
import yaml

from cradle.policy.calc import calc_household
from cradle.policy.engine import evaluate, period, run
from cradle.policy.errors import PackError
from cradle.policy.household import parse_household
from cradle.policy.packs import Document, Pack, _resolve_in_force, layer_parameter
from cradle.policy.parameters import load_parameters
from cradle.policy.population import RELATION, Population
from cradle.policy.program import Ctx, Rule, program

PARAMS = "a.b:\n  values:\n    - {start: 2023-09-20, value: 5, clause: 一, verified: true}\n"
NAT = np.datetime64("NaT", "D")


def _program(in_force, *, kind="cash", start=None, status="issued 2023-09-20", **extra):
    @program(
        id="t.x", title="x", entity="household", kind=kind, unit=None, in_force=in_force, clause="一", **extra
    )
    def x(c: Ctx) -> Rule:
        return Rule(conditions=[("有资格", c.households.eligible)], start=start, explanation="")

    prog = x._cradle_program
    params = load_parameters("t", yaml.safe_load(PARAMS), "doc.txt", "parameters.yaml")
    pack = Pack("t", "测试", "370300", "city", [Document("doc.txt", "", status)], parameters=params)
    _resolve_in_force(prog, pack)
    return prog


def _ctx(as_of: str) -> Ctx:
    households = {
        "jurisdiction": np.array([370303, 370303, 370303]),
        "eligible": np.array([True, True, False]),
        "purchase_date": np.array(["2023-09-19", "2023-09-20", "NaT"], dtype="datetime64[D]"),
    }
    return Ctx({}, households, {}, np.datetime64(as_of, "D"), {}, "t", region="370300", layer=layer_parameter)


def test_a_parameter_sets_the_first_day_and_the_label_says_what_took_effect():
    prog = _program("a.b")
    assert prog.in_force_from == np.datetime64("2023-09-20") and np.isnat(prog.in_force_until)
    assert prog.in_force_label == "方案已施行（2023-09-20起）"
    assert _program("a.b", status="draft").in_force_label == "规定已施行（2023-09-20起）"


def test_the_condition_comes_first_and_is_judged_on_the_as_of_date():
    prog = _program("a.b")
    rule, eligible, failed = evaluate(prog, _ctx("2023-09-19"), explain=True)
    assert rule.conditions[0][0] == "方案已施行（2023-09-20起）"
    assert not eligible.any() and failed.tolist() == [0, 0, 0]
    rule, eligible, failed = evaluate(prog, _ctx("2023-09-20"), explain=True)
    assert eligible.tolist() == [True, True, False] and failed.tolist() == [-1, -1, 1]


def test_an_event_date_is_judged_on_its_own_day_and_a_missing_event_is_left_to_the_formula():
    prog = _program("a.b", in_force_on="purchase_date")
    assert prog.in_force_label == "购房时方案已施行（2023-09-20起）"
    _rule, eligible, failed = evaluate(prog, _ctx("2025-07-01"), explain=True)
    assert eligible.tolist() == [False, True, False]
    assert failed.tolist() == [0, -1, 1]  # no purchase: the formula's own condition is the reason


def test_dates_with_a_last_day_included():
    prog = _program(("2023-09-20", "2024-12-31"))
    assert prog.in_force_label == "方案施行期内（2023-09-20至2024-12-31）"
    assert evaluate(prog, _ctx("2024-12-31"))[1].tolist() == [True, True, False]
    assert not evaluate(prog, _ctx("2025-01-01"))[1].any()


def test_no_period_starts_before_the_program_is_in_force_except_a_deadline_window():
    idx = np.array([0, 1])
    early, late = np.datetime64("2020-01-01"), np.datetime64("2024-05-01")
    starts = np.array([early, late])
    assert period(_program("a.b"), Rule([], "", start=None), 2, idx)[0].tolist() == [dt.date(2023, 9, 20)] * 2
    clamped = period(_program("a.b"), Rule([], "", start=starts), 2, idx)[0]
    assert clamped.tolist() == [dt.date(2023, 9, 20), dt.date(2024, 5, 1)]
    deadline = period(_program("a.b", kind="deadline"), Rule([], "", start=starts), 2, idx)[0]
    assert deadline.tolist() == [dt.date(2020, 1, 1), dt.date(2024, 5, 1)]


def test_the_in_force_parameter_is_read_like_any_other_so_a_guessed_date_says_so():
    """The day a program takes effect is part of its answer: its parameter's entry (verified flag, clause) is
    among the values the explanation rests on, read on the day each row is judged on, even when the formula
    itself reads nothing."""
    ctx = _ctx("2025-07-01")
    ctx._parameters = load_parameters("t", yaml.safe_load(PARAMS), "doc.txt", "parameters.yaml")
    ctx.program = _program("a.b", in_force_on="purchase_date")
    (use,) = ctx.uses
    assert use.parameter.name == "t.a.b" and use.on.tolist() == ctx.households.purchase_date.tolist()
    ctx.uses = []
    ctx.program = _program(("2023-09-20", None))  # literal dates: no parameter to read
    assert ctx.uses == []


def test_a_wrong_declaration_is_refused_naming_the_program():
    with pytest.raises(PackError, match="t.x: in_force names unknown parameter t.a.c"):
        _program("a.c")
    with pytest.raises(PackError, match="t.x: in_force must be"):
        _program(("2024-01-01", "2023-01-01"))
    with pytest.raises(PackError, match="t.x: in_force must be"):
        _program(("2024-13-01", None))
    with pytest.raises(ValueError, match="t.x: in_force_on"):
        _program("a.b", in_force_on="birth_date")


def _not_applicable(result: dict, prog: str) -> str:
    return next(s["reason"] for s in result["not_applicable"] if s["program"] == prog)


def _ent(result: dict, prog: str, beneficiary: str) -> dict:
    return next(e for e in result["entitlements"] if e["program"] == prog and e["beneficiary"] == beneficiary)


def test_packs_explain_a_program_not_yet_in_force(household):
    household["members"][3]["birth_date"] = household["events"][0]["date"] = "2023-09-19"
    household["events"] = [e for e in household["events"] if e["type"] != "home_purchase"]
    r = calc_household(household, dt.date(2024, 6, 1), explain=True)
    assert (
        _not_applicable(r, "zibo.employee_delivery_reimbursement")
        == "不满足：生育时方案已施行（2023-09-20起）"
    )
    assert _not_applicable(r, "cn.childcare_subsidy") == "不满足：规定已施行（2025-01-01起）"
    # judged on the purchase's date: with no purchase, the formula's own condition is the reason
    assert _not_applicable(r, "zibo.home_purchase_subsidy") == "不满足：有购房记录"


def test_a_program_with_no_start_of_its_own_starts_when_it_took_effect(household):
    household["family_planning"]["special_family"] = "bereaved"
    r = calc_household(household, dt.date(2025, 7, 1))
    assert _ent(r, "zibo.special_family_medical_fee_waiver", "m")["period"]["start"] == "2023-09-20"


def test_the_first_listed_father_is_the_father(household):
    pop = Population.from_households([parse_household(household, dt.date(2025, 7, 1))], ids=["h"])
    pop.persons["relation"][0] = RELATION["father"]  # registry data may list two; the first listed counts
    (res,) = run(pop, dt.date(2025, 7, 1), only={"zibo.extra_paternity_leave"})
    assert res.beneficiary.tolist() == [0]


def test_an_unknown_birth_order_is_the_rank_by_birth_date(household):
    for m in household["members"]:
        m.pop("birth_order", None)
    r = calc_household(household, dt.date(2025, 7, 1))
    assert _ent(r, "zibo.nursery_fee_subsidy", "c2")["amount"] == 300
    assert not [
        e
        for e in r["entitlements"]
        if e["program"] == "zibo.nursery_fee_subsidy" and e["beneficiary"] == "c1"
    ]


def test_a_pack_names_its_place_through_its_region():
    codes = np.array([620402, 620102, 370303])
    ctx = Ctx({}, {}, {}, np.datetime64("2025-07-01"), {}, "baiyin", region="620400", layer=layer_parameter)
    assert ctx.within_pack(codes).tolist() == [True, False, False]
    assert ctx.within_pack(codes, province=True).tolist() == [True, True, False]
    national = Ctx({}, {}, {}, np.datetime64("2025-07-01"), {}, "cn", layer=layer_parameter)
    assert national.within_pack(codes).all()


def test_the_highest_birth_order_counts_every_child_and_those_a_given_order_counts():
    d = np.datetime64
    persons = {
        "hh": np.array([0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 4]),
        "relation": np.array([1, 3, 3, 1, 3, 3, 3, 3, 1, 3, 3], dtype=np.int8),
        "birth_order": np.array([0, 1, 4, 0, 0, 0, 2, 0, 0, 2, 0], dtype=np.int16),  # 0: not given
        "birth_date": np.array(
            [d("1990-01-01"), d("2015-01-01"), d("2022-01-01"), d("1990-01-01"), d("2018-01-01")]
            + [d("2016-01-01"), d("2019-01-01"), d("2023-01-01"), d("1990-01-01"), d("2020-01-01")]
            + [d("2017-01-01")],
            dtype="datetime64[D]",
        ),
        "deceased": np.array([False, False, True, False, False, False, False, False, False, False, False]),
    }
    ctx = Ctx(
        persons,
        {"jurisdiction": np.zeros(5, dtype=np.int64)},
        {},
        np.datetime64("2025-07-01"),
        {},
        "t",
        layer=layer_parameter,
    )
    # a fourth child who died still counts; two children without orders count 2; a child born after a second
    # child (whose elder sibling is not listed) is the third; a child born before one given 2 is the first;
    # a mother alone has 0
    assert ctx.max_birth_order.tolist() == [4, 2, 3, 0, 2]
    assert ctx.birth_order.tolist() == [0, 1, 4, 0, 2, 1, 2, 3, 0, 2, 1]
