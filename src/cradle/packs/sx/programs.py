"""山西省 provincial layer (004_6658702c9a2a6fff.txt): leave on top of the national rules, the employer's
婴幼儿保教费, and the only-child parents' care leave.

“符合政策规定生育” is read as a birth within the three-child policy (二（一）1 “依法实施三孩生育政策”): birth order
1 to 3. A fourth child still has the national maternity leave (cn), but none of the Shanxi additions.
"""

from __future__ import annotations

import numpy as np

from cradle.policy.dates import add_days, add_years
from cradle.policy.program import Ctx, Rule, program

NO_DATE = np.iinfo(np.int64).min


def child_order(c: Ctx) -> np.ndarray:
    """Per person: the birth order given, else 1 + the household's children born before this one (twins share
    the lower order)."""
    p = c.persons
    day = np.where(np.isnat(p.birth_date), 0, p.birth_date.astype(np.int64)) + 100_000  # positive
    key = p.hh * 1_000_000 + day
    children = np.sort(key[c.is_child])
    rank = np.searchsorted(children, key, "left") - np.searchsorted(children, p.hh * 1_000_000, "left") + 1
    return np.where(p.birth_order > 0, p.birth_order, rank)


def in_policy(c: Ctx, order: np.ndarray, on=None) -> np.ndarray:
    """符合政策规定生育: birth order within the three-child policy."""
    return order <= np.nan_to_num(c.param("policy.max_birth_order", on=on), nan=-1)


def national_leave_days(c: Ctx) -> np.ndarray:
    """Per birth: the national maternity leave (98, +dystocia, +each extra baby), read through the layers so a
    province's own dystocia figure would win."""
    b = c.births
    return (c.layered("maternity_leave.base_days")[b.hh]
            + np.where(b.dystocia, c.layered("maternity_leave.dystocia_days")[b.hh], 0)
            + (b.babies - 1) * c.layered("maternity_leave.extra_baby_days")[b.hh])


def father_row(c: Ctx, hh: np.ndarray) -> np.ndarray:
    """The father's person row for each household row in `hh` (-1 when the household has none)."""
    p = c.persons
    out = np.full(len(c.households), -1, dtype=np.int64)
    fathers = np.flatnonzero(p.relation == c.RELATION["father"])
    out[p.hh[fathers]] = fathers
    return out[hh]


@program(id="sx.maternity_leave_extension", title="奖励延长产假", entity="birth", kind="leave", unit="days",
         clause="二（四）14")
def maternity_leave_extension(c: Ctx) -> Rule:
    b = c.births
    mother = np.maximum(b.mother, 0)
    order = child_order(c)[b.child]
    days = np.where(order >= 2, c.param("maternity_leave_extension.later_child_days", on=b.date),
                    c.param("maternity_leave_extension.first_child_days", on=b.date))
    national = national_leave_days(c)
    start = add_days(b.date, np.nan_to_num(national).astype(np.int64))
    return Rule(
        conditions=[("有母亲信息", b.mother >= 0),
                    ("母亲为职工", c.persons.employment[mother] == c.EMPLOYMENT["employee"]),
                    ("符合政策规定生育（三孩以内）", in_policy(c, order, on=b.date)),
                    ("生育时奖励延长产假规定已施行", ~np.isnan(days))],
        amount=days, start=start, end=add_days(start, np.nan_to_num(days).astype(np.int64)),
        facts={"order": order, "national": national},
        explanation="第{order}孩符合政策规定生育，女方在享受国家规定产假{national}天的基础上，奖励延长产假{amount}天，"
                    "自{start}起，{end}返岗")


@program(id="sx.paternity_leave", title="护理假", entity="birth", kind="leave", unit="days", clause="二（四）14")
def paternity_leave(c: Ctx) -> Rule:
    b = c.births
    father = father_row(c, b.hh)
    f = np.maximum(father, 0)
    order = child_order(c)[b.child]
    days = c.param("paternity_leave.days", on=b.date)
    return Rule(
        conditions=[("有父亲信息", father >= 0),
                    ("父亲为职工", c.persons.employment[f] == c.EMPLOYMENT["employee"]),
                    ("符合政策规定生育（三孩以内）", in_policy(c, order, on=b.date)),
                    ("生育时护理假规定已施行", ~np.isnan(days))],
        amount=days, start=b.date, end=add_days(b.date, np.nan_to_num(days).astype(np.int64)),
        beneficiary=father, facts={"order": order},
        explanation="第{order}孩符合政策规定生育，男方享受护理假{amount}天，自{start}起，{end}返岗")


def _under_three(c: Ctx) -> dict:
    """Per person (a parent): the household's living children under 3, and those born within the policy, with
    the last third birthday among the latter (the day the parents' entitlement ends)."""
    p = c.persons
    order = child_order(c)
    under3 = c.is_child & c.alive & (c.age >= 0) & (c.age < 3)
    qualifying = under3 & in_policy(c, order)
    third = add_years(p.birth_date, 3)
    last = np.full(len(c.households), NO_DATE, dtype=np.int64)
    first = np.full(len(c.households), np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(last, p.hh[qualifying], third[qualifying].astype(np.int64))
    np.minimum.at(first, p.hh[qualifying], p.birth_date[qualifying].astype(np.int64))
    n = c.count_by_household(qualifying)
    return {
        "n_under3": c.to_persons(c.count_by_household(under3)),
        "n": c.to_persons(n),
        "start": np.where(c.to_persons(n) > 0, c.to_persons(first), 0).astype("datetime64[D]"),
        "end": np.where(c.to_persons(n) > 0, c.to_persons(last), 0).astype("datetime64[D]"),
        "role": np.where(p.relation == c.RELATION["mother"], "母亲", "父亲"),
    }


def _parent_conditions(c: Ctx, u: dict) -> list:
    return [("是父母", c.is_parent), ("在世", c.alive),
            ("为职工（由所在单位给予）", c.persons.employment == c.EMPLOYMENT["employee"]),
            ("有不满3周岁的子女", u["n_under3"] > 0),
            ("该子女为符合政策规定生育（三孩以内）", u["n"] > 0)]


@program(id="sx.parental_leave", title="育儿假", entity="person", kind="leave", unit="days/year", clause="二（四）14")
def parental_leave(c: Ctx) -> Rule:
    u = _under_three(c)
    days = c.param("parental_leave.days_per_year")
    return Rule(
        conditions=[*_parent_conditions(c, u), ("育儿假规定已施行", ~np.isnan(np.broadcast_to(days, u["n"].shape)))],
        amount=days, start=u["start"], end=u["end"], facts={"role": u["role"], "n": u["n"]},
        explanation="家中有{n}名符合政策规定生育且不满3周岁的子女，{role}所在单位每年给予不少于{amount}天的育儿假，"
                    "至{end}最小子女满3周岁止")


@program(id="sx.childcare_fee_allowance", title="婴幼儿保教费", entity="person", kind="cash", unit="CNY/month",
         clause="二（四）14")
def childcare_fee_allowance(c: Ctx) -> Rule:
    u = _under_three(c)
    monthly = c.param("childcare_fee_allowance.monthly")
    return Rule(
        conditions=[*_parent_conditions(c, u),
                    ("保教费规定已施行", ~np.isnan(np.broadcast_to(monthly, u["n"].shape)))],
        amount=monthly, start=u["start"], end=u["end"], facts={"role": u["role"], "n": u["n"]}, note="encouraged",
        explanation="家中有{n}名符合政策规定生育且不满3周岁的子女，{role}所在单位可以每月发放不低于{amount}元的"
                    "婴幼儿保教费（由单位决定，非强制），至{end}最小子女满3周岁止")


@program(id="sx.only_child_parent_care_leave", title="独生子女父母照料假", entity="person", kind="leave",
         unit="days", clause="二（五）21", citations=[("山西省人口和计划生育条例", "独生子女父母照料假条款")])
def only_child_parent_care_leave(c: Ctx) -> Rule:
    """The leave is the only child's, to care for the certificate-holding parents (全面两孩 before 2016-01-01)."""
    p = c.persons
    return Rule(
        conditions=[("是子女", c.is_child), ("在世", c.alive),
                    ("家庭持有独生子女父母光荣证", c.to_persons(c.households.only_child_certificate)),
                    ("为家中唯一子女", c.to_persons(c.n_children) == 1),
                    ("出生于全面两孩政策调整（2016-01-01）前", p.birth_date < np.datetime64("2016-01-01")),
                    ("本人为职工（由所在单位给予）", p.employment == c.EMPLOYMENT["employee"])],
        amount=c.param("only_child_parent_care_leave.days"),
        explanation="全面两孩政策调整前的独生子女家庭，独生子女本人为职工，可按独生子女父母照料假制度享受照料假，"
                    "用于照料父母")
