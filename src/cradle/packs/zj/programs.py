"""浙江省（330000）假期层：《浙江省人口与计划生育条例》，文本尚未载入，天数为目录所列数值（verified: false）。

第一孩延长产假60天、第二孩及第三孩90天（`maternity_leave_extension.first_child_days` / `.later_child_days`，
国家层生育津贴经 c.layered 读取），男方护理假15天，育儿假每年各10天；婚假、哺乳假天数未确认（null）。
绍兴市方案（征求意见稿）（五）“严格落实《浙江省人口与计划生育条例》关于婚假、产假、哺乳假、护理假、育儿假等规定”
重申了这些假期：每个程序都引用该条。
"""

from __future__ import annotations

import numpy as np

from cradle.policy import gates, leave
from cradle.policy.program import Ctx, Rule, nan_to_num, pack_document, program

LAW = "浙江省人口与计划生育条例"
REGULATION = [(LAW, "全文"), (pack_document("shaoxing"), "（五）")]


@program(
    id="zj.maternity_leave_extension",
    title="延长产假（浙江）",
    entity="birth",
    kind="leave",
    unit="days",
    citations=REGULATION,
    in_force=leave.IN_FORCE["extension"],
)
def maternity_leave_extension(c: Ctx) -> Rule:
    return leave.extension(c, law=LAW)


@program(
    id="zj.paternity_leave",
    title="男方护理假（浙江）",
    entity="birth",
    kind="leave",
    unit="days",
    citations=REGULATION,
    in_force=leave.IN_FORCE["paternity"],
)
def paternity_leave(c: Ctx) -> Rule:
    return leave.paternity(c, law=LAW, name="护理假")


@program(
    id="zj.parental_leave",
    title="育儿假（浙江）",
    entity="person",
    kind="leave",
    unit="days/year",
    citations=REGULATION,
    in_force=leave.IN_FORCE["parental"],
)
def parental_leave(c: Ctx) -> Rule:
    return leave.parental(c, law=LAW)


@program(
    id="zj.marriage_leave",
    title="婚假（浙江）",
    entity="person",
    kind="leave",
    unit="days",
    citations=REGULATION,
    in_force="marriage_leave.days",
    in_force_on="marriage_date",
    requires=gates.married,
)
def marriage_leave(c: Ctx) -> Rule:
    """An employee's leave on registering a marriage (`marriage_date`), judged on that day; the days are in the
    regulation (not loaded: null)."""
    p = c.persons
    return Rule(
        conditions=[
            ("已办理结婚登记", ~np.isnat(p.marriage_date)),
            ("在世", c.alive),
            ("为职工（由所在单位给予）", p.employment == c.EMPLOYMENT["employee"]),
        ],
        amount=c.param("marriage_leave.days", on=p.marriage_date),
        start=p.marriage_date,
        facts={"law": LAW},
        explanation="本人为职工，于{start}办理结婚登记，按{law}享受婚假",
    )


@program(
    id="zj.nursing_leave",
    title="哺乳假（浙江）",
    entity="person",
    kind="leave",
    unit="days",
    citations=REGULATION,
    in_force="nursing_leave.days",
)
def nursing_leave(c: Ctx) -> Rule:
    """The employed mother of a living child under one (`nursing_leave.infant_age_limit`); the days and the
    conditions beyond these are in the regulation (not loaded)."""
    p = c.persons
    limit = nan_to_num(c.param("nursing_leave.infant_age_limit"), nan=1)
    born, until = leave.infant(c, int(limit))
    return Rule(
        conditions=[
            ("是母亲", p.relation == c.RELATION["mother"]),
            ("在世", c.alive),
            ("为职工（由所在单位给予）", p.employment == c.EMPLOYMENT["employee"]),
            ("有未满1周岁的婴儿", ~np.isnat(born)),
        ],
        amount=c.param("nursing_leave.days"),
        start=born,
        end=until,
        facts={"law": LAW},
        explanation="母亲为职工，抚育未满1周岁的婴儿，按{law}可享受哺乳假，至{end}婴儿满1周岁止",
    )
