"""山东省 (370000) leave layer: 山东省人口与计划生育条例. Its text is not loaded, so every figure is the catalogue's
with verified: false (explanations say 待核实), or null with set_by: unconfirmed where the catalogue has none.

The extension days are `maternity_leave_extension.first_child_days` / `.later_child_days`, the names the national
生育津贴 (cn.maternity_allowance) reads through c.layered(), so an insured Shandong mother's allowance covers them.
"""

from __future__ import annotations

import numpy as np

from cradle.policy import gates, leave
from cradle.policy.program import Ctx, Rule, pack_document, program

LAW = "山东省人口与计划生育条例"
ZIBO = (pack_document("zibo"), "二（四）1")  # “落实省关于产假、陪产假、育儿假规定”


@program(
    id="sd.maternity_leave_extension",
    title="山东省增加产假",
    entity="birth",
    kind="leave",
    unit="days",
    citations=[(LAW, "产假条款（条号待核实）"), ZIBO],
    in_force=leave.IN_FORCE["extension"],
)
def maternity_leave_extension(c: Ctx) -> Rule:
    return leave.extension(c, law=LAW)


@program(
    id="sd.paternity_leave",
    title="山东省陪产假",
    entity="birth",
    kind="leave",
    unit="days",
    citations=[(LAW, "陪产假条款（条号待核实）"), ZIBO],
    in_force=leave.IN_FORCE["paternity"],
)
def paternity_leave(c: Ctx) -> Rule:
    return leave.paternity(c, law=LAW, name="陪产假")


@program(
    id="sd.parental_leave",
    title="山东省育儿假",
    entity="person",
    kind="leave",
    unit="days/year",
    citations=[(LAW, "育儿假条款（条号待核实）"), ZIBO],
    in_force=leave.IN_FORCE["parental"],
)
def parental_leave(c: Ctx) -> Rule:
    return leave.parental(c, law=LAW)


@program(
    id="sd.elderly_parent_hospital_care_leave",
    title="老年人患病住院子女护理假",
    entity="person",
    kind="leave",
    unit="days/year",
    citations=[(LAW, "老年人患病住院子女护理假条款（条号待核实）"), (pack_document("zibo"), "二（五）1")],
    in_force="elderly_parent_hospital_care_leave.days_per_year",
    requires=gates.adult_child,
)
def elderly_parent_hospital_care_leave(c: Ctx) -> Rule:
    """淄博 二（五）1 “落实《山东省人口与计划生育条例》中老年人患病住院子女护理假相关规定”: an employed adult child
    of a parent aged 60 or more who is in hospital; the days are in the regulation, not loaded (null)."""
    p = c.persons
    elders = np.flatnonzero(
        c.is_parent
        & c.alive
        & p.hospitalized
        & (c.age >= c.to_persons(c.layered("family_planning.elderly_min_age")))
    )
    parent_in_hospital = np.zeros(len(c.households), dtype=bool)
    parent_in_hospital[p.hh[elders]] = True
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("已成年", c.age >= 18),
            ("为职工", p.employment == c.EMPLOYMENT["employee"]),
            ("父母年满60周岁且患病住院", c.to_persons(parent_in_hospital)),
        ],
        amount=c.param("elderly_parent_hospital_care_leave.days_per_year"),
        explanation="父亲或母亲（60周岁以上）患病住院，子女所在单位按山东省人口与计划生育条例给予护理假",
    )
