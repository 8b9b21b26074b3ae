"""浙江省（330000）假期层：《浙江省人口与计划生育条例》（2021-11-25 修正）的延长产假、护理假、育儿假。

条例文本尚未载入，各值 verified: false，解释附“待核实”。延长产假天数以 maternity_leave_extension.first_child_days /
later_child_days 定义，国家层生育津贴经 c.layered(...) 读取。
"""

from __future__ import annotations

import numpy as np

from cradle.policy.dates import add_days, add_years
from cradle.policy.program import Ctx, Rule, program

REGULATION = [("浙江省人口与计划生育条例", "全文")]
NO_DATE = np.iinfo(np.int64).min


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
    days = np.where(c.is_child & c.alive & ~np.isnat(p.birth_date), p.birth_date.astype(np.int64), NO_DATE)
    out = np.full(len(c.households), NO_DATE, dtype=np.int64)
    np.maximum.at(out, p.hh, days)
    return np.where(out == NO_DATE, np.datetime64("NaT"), out.astype("datetime64[D]"))


@program(id="zj.maternity_leave_extension", title="延长产假（浙江）", entity="birth", kind="leave", unit="days",
         citations=REGULATION)
def maternity_leave_extension(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    mother = np.maximum(b.mother, 0)
    order = np.maximum(p.birth_order[b.child], 1)
    extension = np.where(order >= 2, c.param("maternity_leave_extension.later_child_days", on=b.date),
                         c.param("maternity_leave_extension.first_child_days", on=b.date))
    national = np.nan_to_num(
        c.layered("maternity_leave.base_days")[b.hh]
        + np.where(b.dystocia, c.layered("maternity_leave.dystocia_days")[b.hh], 0)
        + (b.babies - 1) * c.layered("maternity_leave.extra_baby_days")[b.hh])
    total = national + np.nan_to_num(extension)
    return Rule(
        conditions=[("有母亲信息", b.mother >= 0),
                    ("母亲为职工", p.employment[mother] == c.EMPLOYMENT["employee"]),
                    ("生育时条例延长产假规定已施行", ~np.isnan(extension))],
        amount=extension, start=b.date, end=add_days(b.date, total),
        facts={"order": order, "national": national, "total": total,
               "which": np.where(order >= 2, "第二个、第三个子女", "第一个子女")},
        explanation="女职工于{start}生育第{order}孩，按生育{which}在国家规定产假{national}天基础上延长产假{amount}天，"
                    "产假共{total}天，{end}返岗")


@program(id="zj.paternity_leave", title="男方护理假（浙江）", entity="birth", kind="leave", unit="days",
         citations=REGULATION)
def paternity_leave(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    father = _father_row(c)[b.hh]
    f = np.maximum(father, 0)
    days = c.param("paternity_leave.days", on=b.date)
    return Rule(
        conditions=[("有父亲信息", father >= 0), ("父亲在世", ~p.deceased[f]),
                    ("父亲为职工", p.employment[f] == c.EMPLOYMENT["employee"]),
                    ("生育时条例护理假规定已施行", ~np.isnan(days))],
        amount=days, start=b.date, beneficiary=father,
        explanation="配偶于{start}生育，男方为职工，享受护理假{amount}天")


@program(id="zj.parental_leave", title="育儿假（浙江）", entity="person", kind="leave", unit="days/year",
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
        start=youngest, end=end, facts={"youngest": youngest},
        explanation="本人为职工，子女于{youngest}出生、未满3周岁，夫妻双方每年各享受育儿假{amount}天，"
                    "至{end}子女满3周岁止")
