"""浙江省（330000）假期层：《浙江省人口与计划生育条例》，文本尚未载入，天数为目录所列数值（verified: false）。

第一孩延长产假60天、第二孩及第三孩90天（`maternity_leave_extension.first_child_days` / `.later_child_days`，
国家层生育津贴经 c.layered 读取），男方护理假15天，育儿假每年各10天。
"""

from __future__ import annotations

from cradle.policy import leave
from cradle.policy.program import Ctx, Rule, program

LAW = "浙江省人口与计划生育条例"
REGULATION = [(LAW, "全文")]


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
