"""山东省 (370000) leave layer: 山东省人口与计划生育条例. Its text is not loaded, so every figure is the catalogue's
with verified: false (explanations say 待核实), or null with set_by: unconfirmed where the catalogue has none.

The extension days are `maternity_leave_extension.first_child_days` / `.later_child_days`, the names the national
生育津贴 (cn.maternity_allowance) reads through c.layered(), so an insured Shandong mother's allowance covers them.
"""

from __future__ import annotations

import numpy as np

from cradle.policy.dates import NAT, add_days, add_years
from cradle.policy.program import Ctx, Rule, program

REGULATION = "山东省人口与计划生育条例"


def _since(c: Ctx, key: str) -> np.datetime64:
    return np.datetime64(c.parameter(key).values[0].start, "D")


def _father_row(c: Ctx) -> np.ndarray:
    """Per household: the father's person row, -1 when absent."""
    p = c.persons
    out = np.full(len(c.households), -1, dtype=np.int64)
    rows = np.flatnonzero(p.relation == c.RELATION["father"])
    out[p.hh[rows]] = rows
    return out


def _youngest_birth(c: Ctx) -> np.ndarray:
    """Per household: the youngest living child's birth date (NaT when none)."""
    p = c.persons
    values = np.where(c.is_child & c.alive, p.birth_date, NAT).astype(np.int64)  # NaT is the smallest int64
    out = np.full(len(c.households), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(out, p.hh, values)
    return out.astype("datetime64[D]")


@program(id="sd.maternity_leave_extension", title="山东省增加产假", entity="birth", kind="leave", unit="days",
         citations=[(REGULATION, "产假条款（条号待核实）")])
def maternity_leave_extension(c: Ctx) -> Rule:
    b, p = c.births, c.persons
    mother = np.maximum(b.mother, 0)
    order = p.birth_order[b.child]
    extra = np.where(order >= 2, c.param("maternity_leave_extension.later_child_days", on=b.date),
                     c.param("maternity_leave_extension.first_child_days", on=b.date))
    # The extension follows the national leave (98 days, + dystocia, + extra babies; layered like cn's).
    national = (c.layered("maternity_leave.base_days")[b.hh]
                + np.where(b.dystocia, c.layered("maternity_leave.dystocia_days")[b.hh], 0)
                + (b.babies - 1) * c.layered("maternity_leave.extra_baby_days")[b.hh])
    start = add_days(b.date, np.nan_to_num(national).astype(np.int64))
    return Rule(
        conditions=[("有母亲信息", b.mother >= 0),
                    ("母亲为职工", p.employment[mother] == c.EMPLOYMENT["employee"]),
                    ("生育在条例增加产假规定施行之后", ~np.isnan(extra))],
        amount=extra, start=start, end=add_days(start, np.nan_to_num(extra).astype(np.int64)),
        facts={"order": np.where(order >= 2, "第二个及以上子女", "第一个子女"), "national": national},
        explanation="女职工符合规定生育{order}，在国家规定产假{national}天之外增加产假{amount}天，自{start}起，{end}返岗；"
                    "增加的产假期间生育津贴照发")


@program(id="sd.paternity_leave", title="山东省陪产假", entity="birth", kind="leave", unit="days",
         citations=[(REGULATION, "陪产假条款（条号待核实）")])
def paternity_leave(c: Ctx) -> Rule:
    b, p = c.births, c.persons
    father = _father_row(c)[b.hh]
    f = np.maximum(father, 0)
    return Rule(
        conditions=[("有父亲信息", father >= 0), ("父亲在世", c.alive[f]),
                    ("父亲为职工", p.employment[f] == c.EMPLOYMENT["employee"]),
                    ("生育在条例陪产假规定施行之后", b.date >= _since(c, "paternity_leave.days"))],
        amount=c.param("paternity_leave.days", on=b.date), start=b.date, beneficiary=father,
        explanation="子女于{start}出生，父亲为职工，按山东省人口与计划生育条例享受陪产假")


@program(id="sd.parental_leave", title="山东省育儿假", entity="person", kind="leave", unit="days/year",
         citations=[(REGULATION, "育儿假条款（条号待核实）")])
def parental_leave(c: Ctx) -> Rule:
    p = c.persons
    days = c.param("parental_leave.days_per_year")
    limit = np.nan_to_num(c.param("parental_leave.child_age_limit")).astype(np.int64)
    youngest = _youngest_birth(c)[p.hh]
    until = add_years(youngest, limit)
    return Rule(
        conditions=[("是父母", c.is_parent), ("在世", c.alive), ("为职工", p.employment == c.EMPLOYMENT["employee"]),
                    ("育儿假规定已施行", ~np.isnan(np.broadcast_to(days, p.hh.shape))),
                    ("有3周岁以内子女", c.as_of < until)],
        amount=days, start=np.maximum(youngest, _since(c, "parental_leave.days_per_year")), end=until,
        explanation="本人为职工，最小子女{end}满3周岁前，父母每人每年享受育儿假{amount}天")
