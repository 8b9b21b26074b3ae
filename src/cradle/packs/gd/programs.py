"""广东省 provincial leave layer (广东省人口与计划生育条例, not loaded: every figure verified: false).

The 80-day 奖励假 is layered into the national 生育津贴 through `maternity_leave_extension.*_days`; the 30 days
for dystocia replace the national 15 through `maternity_leave.dystocia_days` (read by cn.maternity_leave).
“符合法律、法规规定生育子女” is a birth within the national limit in force at the birth (three children since
2021-08-20).
"""

from __future__ import annotations

import numpy as np

from cradle.policy.dates import add_days, add_years
from cradle.policy.program import Ctx, Rule, program

REGULATION = "广东省人口与计划生育条例"
LUHE = "000_297e707e5151f0b6.txt"  # the 陆河 draft names the leaves (no figures)


def child_order(c: Ctx) -> np.ndarray:
    """Per person: the birth order given, else 1 + the household's children born before this one."""
    p = c.persons
    day = np.where(np.isnat(p.birth_date), 0, p.birth_date.astype(np.int64)) + 100_000
    key = p.hh * 1_000_000 + day
    children = np.sort(key[c.is_child])
    rank = np.searchsorted(children, key, "left") - np.searchsorted(children, p.hh * 1_000_000, "left") + 1
    return np.where(p.birth_order > 0, p.birth_order, rank)


def in_policy(c: Ctx, order: np.ndarray, on=None) -> np.ndarray:
    return order <= np.nan_to_num(c.param("policy.max_birth_order", on=on), nan=-1)


def national_leave_days(c: Ctx) -> np.ndarray:
    """Per birth: the maternity leave of cn.maternity_leave (with Guangdong's dystocia figure)."""
    b = c.births
    return (c.layered("maternity_leave.base_days")[b.hh]
            + np.where(b.dystocia, c.layered("maternity_leave.dystocia_days")[b.hh], 0)
            + (b.babies - 1) * c.layered("maternity_leave.extra_baby_days")[b.hh])


def father_row(c: Ctx, hh: np.ndarray) -> np.ndarray:
    p = c.persons
    out = np.full(len(c.households), -1, dtype=np.int64)
    fathers = np.flatnonzero(p.relation == c.RELATION["father"])
    out[p.hh[fathers]] = fathers
    return out[hh]


@program(id="gd.maternity_leave_extension", title="奖励假（延长产假）", entity="birth", kind="leave", unit="days",
         citations=[(REGULATION, "第三十条")])
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
                    ("符合法律、法规规定生育", in_policy(c, order, on=b.date)),
                    ("生育时奖励假规定已施行", ~np.isnan(days))],
        amount=days, start=start, end=add_days(start, np.nan_to_num(days).astype(np.int64)),
        facts={"order": order, "national": national},
        explanation="第{order}孩符合法律、法规规定生育，女方在国家规定产假{national}天之外享受奖励假{amount}天，"
                    "自{start}起，{end}返岗")


@program(id="gd.paternity_leave", title="陪产假", entity="birth", kind="leave", unit="days",
         citations=[(REGULATION, "第三十条")])
def paternity_leave(c: Ctx) -> Rule:
    b = c.births
    father = father_row(c, b.hh)
    f = np.maximum(father, 0)
    order = child_order(c)[b.child]
    days = c.param("paternity_leave.days", on=b.date)
    return Rule(
        conditions=[("有父亲信息", father >= 0),
                    ("父亲为职工", c.persons.employment[f] == c.EMPLOYMENT["employee"]),
                    ("符合法律、法规规定生育", in_policy(c, order, on=b.date)),
                    ("生育时陪产假规定已施行", ~np.isnan(days))],
        amount=days, start=b.date, end=add_days(b.date, np.nan_to_num(days).astype(np.int64)),
        beneficiary=father, facts={"order": order},
        explanation="第{order}孩符合法律、法规规定生育，男方享受陪产假{amount}天，自{start}起，{end}返岗")


@program(id="gd.parental_leave", title="育儿假", entity="person", kind="leave", unit="days/year",
         citations=[(REGULATION, "全文"), (LUHE, "促进福利待遇健全完善")])
def parental_leave(c: Ctx) -> Rule:
    p = c.persons
    order = child_order(c)
    under3 = c.is_child & c.alive & (c.age >= 0) & (c.age < 3)
    qualifying = under3 & in_policy(c, order)
    last = np.full(len(c.households), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, p.hh[qualifying], add_years(p.birth_date, 3)[qualifying].astype(np.int64))
    n = c.to_persons(c.count_by_household(qualifying))
    return Rule(
        conditions=[("是父母", c.is_parent), ("在世", c.alive),
                    ("为职工（由所在单位给予）", p.employment == c.EMPLOYMENT["employee"]),
                    ("有不满3周岁的子女", c.to_persons(c.count_by_household(under3)) > 0),
                    ("该子女为符合法律、法规规定生育", n > 0)],
        amount=c.param("parental_leave.days_per_year"),
        end=np.where(n > 0, c.to_persons(last), 0).astype("datetime64[D]"),
        facts={"n": n, "role": np.where(p.relation == c.RELATION["mother"], "母亲", "父亲")},
        explanation="家中有{n}名符合法律、法规规定生育且不满3周岁的子女，{role}可享受父母育儿假，至{end}最小子女满3周岁止")


@program(id="gd.only_child_parent_care_leave", title="独生子女父母护理假", entity="person", kind="leave",
         unit="days", citations=[(REGULATION, "全文"), (LUHE, "促进福利待遇健全完善")])
def only_child_parent_care_leave(c: Ctx) -> Rule:
    """The only child's leave to care for the certificate-holding parents."""
    p = c.persons
    return Rule(
        conditions=[("是子女", c.is_child), ("在世", c.alive),
                    ("家庭持有独生子女父母光荣证", c.to_persons(c.households.only_child_certificate)),
                    ("为家中唯一子女", c.to_persons(c.n_children) == 1),
                    ("出生于全面两孩政策调整（2016-01-01）前", p.birth_date < np.datetime64("2016-01-01")),
                    ("本人为职工（由所在单位给予）", p.employment == c.EMPLOYMENT["employee"])],
        amount=c.param("only_child_parent_care_leave.days"),
        explanation="独生子女父母光荣证家庭的独生子女本人为职工，可按广东省规定享受独生子女父母护理假，用于护理父母")
