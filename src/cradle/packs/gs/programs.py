"""甘肃省（620000）假期层：《甘肃省人口与计划生育条例》规定的产假延长、男方护理假、育儿假、独生子女父母陪护假。

条例文本尚未载入，天数均为 value: null, set_by: unconfirmed：享受资格照常判定，天数报告为 null 并注明待核实。
国家层的生育津贴经 c.layered("maternity_leave_extension.*") 读取本层天数，未核实前不计延长天数。
"""

from __future__ import annotations

import numpy as np

from cradle.policy.dates import add_years
from cradle.policy.program import Ctx, Rule, program

REGULATION = [("甘肃省人口与计划生育条例", "全文")]


def _father_row(c: Ctx) -> np.ndarray:
    """Per household: the father's person row, -1 when the household has none."""
    p = c.persons
    out = np.full(len(c.households), -1, dtype=np.int64)
    fathers = np.flatnonzero(p.relation == c.RELATION["father"])
    out[p.hh[fathers]] = fathers
    return out


def _youngest_child_birth(c: Ctx) -> np.ndarray:
    """Per household: the birth date of the youngest living child (NaT when none)."""
    p = c.persons
    days = p.birth_date.astype(np.int64)
    masked = np.where(c.is_child & c.alive & ~np.isnat(p.birth_date), days, np.iinfo(np.int64).min)
    out = np.full(len(c.households), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(out, p.hh, masked)
    return np.where(out == np.iinfo(np.int64).min, np.datetime64("NaT"), out.astype("datetime64[D]"))


@program(id="gs.maternity_leave_extension", title="延长产假（甘肃）", entity="birth", kind="leave", unit="days",
         citations=REGULATION)
def maternity_leave_extension(c: Ctx) -> Rule:
    b = c.births
    mother = np.maximum(b.mother, 0)
    order = c.persons.birth_order[b.child]
    return Rule(
        conditions=[("有母亲信息", b.mother >= 0),
                    ("母亲为职工", c.persons.employment[mother] == c.EMPLOYMENT["employee"])],
        amount=np.where(order >= 2, c.param("maternity_leave_extension.later_child_days", on=b.date),
                        c.param("maternity_leave_extension.first_child_days", on=b.date)),
        start=b.date,
        facts={"order": np.maximum(order, 1)},
        explanation="女职工于{start}生育第{order}孩，在国家规定产假基础上按《甘肃省人口与计划生育条例》延长产假")


@program(id="gs.paternity_leave", title="男方护理假（甘肃）", entity="birth", kind="leave", unit="days",
         citations=REGULATION)
def paternity_leave(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    father = _father_row(c)[b.hh]
    f = np.maximum(father, 0)
    return Rule(
        conditions=[("有父亲信息", father >= 0), ("父亲在世", ~p.deceased[f]),
                    ("父亲为职工", p.employment[f] == c.EMPLOYMENT["employee"])],
        amount=c.param("paternity_leave.days", on=b.date),
        start=b.date, beneficiary=father,
        explanation="配偶于{start}生育，男方为职工，按《甘肃省人口与计划生育条例》享受护理假")


@program(id="gs.parental_leave", title="育儿假（甘肃）", entity="person", kind="leave", unit="days/year",
         citations=REGULATION)
def parental_leave(c: Ctx) -> Rule:
    p = c.persons
    limit = np.nan_to_num(c.param("parental_leave.child_age_limit"), nan=0).astype(np.int64)
    youngest = c.to_persons(_youngest_child_birth(c))
    end = add_years(youngest, limit)
    return Rule(
        conditions=[("是父母", c.is_parent), ("在世", c.alive),
                    ("为职工", p.employment == c.EMPLOYMENT["employee"]),
                    ("有未满3周岁的子女", ~np.isnat(youngest) & (c.as_of < end))],
        amount=c.param("parental_leave.days_per_year"),
        start=youngest, end=end,
        facts={"youngest": youngest},
        explanation="本人为职工，子女于{youngest}出生、未满3周岁，按《甘肃省人口与计划生育条例》每年享受育儿假，"
                    "至{end}子女满3周岁止")


@program(id="gs.only_child_parent_care_leave", title="独生子女父母陪护假（甘肃）", entity="person", kind="leave",
         unit="days/year", citations=REGULATION)
def only_child_parent_care_leave(c: Ctx) -> Rule:
    p = c.persons
    h = c.households
    has_parent = c.count_by_household(c.is_parent & c.alive) >= 1
    return Rule(
        conditions=[("是子女", c.is_child), ("在世", c.alive), ("已成年", c.age >= 18),
                    ("为职工", p.employment == c.EMPLOYMENT["employee"]),
                    ("独生子女（家庭持独生子女证）", c.to_persons(h.only_child_certificate)),
                    ("父母在世", c.to_persons(has_parent))],
        amount=c.param("only_child_parent_care_leave.days_per_year"),
        explanation="本人为职工且是独生子女，父母患病住院等需要陪护时，按《甘肃省人口与计划生育条例》"
                    "享受独生子女父母陪护假")
