"""广东省 provincial leave layer (广东省人口与计划生育条例, not loaded: every figure verified: false).

The 80-day 奖励假 is layered into the national 生育津贴 through `maternity_leave_extension.*_days`; the 30 days
for dystocia replace the national 15 through `maternity_leave.dystocia_days` (read by cn.maternity_leave).
“符合法律、法规规定生育子女” is a birth within the national limit in force at the birth (`policy.max_birth_order`).
"""

from __future__ import annotations

from cradle.policy import leave
from cradle.policy.program import Ctx, Rule, program

REGULATION = "广东省人口与计划生育条例"
LUHE = "000_297e707e5151f0b6.txt"  # the 陆河 draft names the leaves (no figures)


@program(
    id="gd.maternity_leave_extension",
    title="奖励假（延长产假）",
    entity="birth",
    kind="leave",
    unit="days",
    citations=[(REGULATION, "第三十条")],
    in_force=leave.IN_FORCE["extension"],
)
def maternity_leave_extension(c: Ctx) -> Rule:
    return leave.extension(c, law=REGULATION)


@program(
    id="gd.paternity_leave",
    title="陪产假",
    entity="birth",
    kind="leave",
    unit="days",
    citations=[(REGULATION, "第三十条")],
    in_force=leave.IN_FORCE["paternity"],
)
def paternity_leave(c: Ctx) -> Rule:
    return leave.paternity(c, law=REGULATION, name="陪产假")


@program(
    id="gd.parental_leave",
    title="育儿假",
    entity="person",
    kind="leave",
    unit="days/year",
    citations=[(REGULATION, "全文"), (LUHE, "促进福利待遇健全完善")],
    in_force=leave.IN_FORCE["parental"],
)
def parental_leave(c: Ctx) -> Rule:
    return leave.parental(c, law=REGULATION)


@program(
    id="gd.only_child_parent_care_leave",
    title="独生子女父母护理假",
    entity="person",
    kind="leave",
    unit="days",
    citations=[(REGULATION, "全文"), (LUHE, "促进福利待遇健全完善")],
)
def only_child_parent_care_leave(c: Ctx) -> Rule:
    return leave.only_child_care(c, law=REGULATION)
