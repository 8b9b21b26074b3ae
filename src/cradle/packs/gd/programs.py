"""广东省 provincial leave layer (广东省人口与计划生育条例, not loaded: every figure verified: false).

The 80-day 奖励假 is layered into the national 生育津贴 through `maternity_leave_extension.*_days`; the 30 days
for dystocia replace the national 15 through `maternity_leave.dystocia_days` (read by cn.maternity_leave).
“符合法律、法规规定生育子女” is a birth within the national limit in force at the birth (`policy.max_birth_order`).
"""

from __future__ import annotations

from cradle.policy import gates, leave
from cradle.policy.program import Ctx, Rule, pack_document, program

REGULATION = "广东省人口与计划生育条例"
# The 陆河 draft names the four leaves (no figures): “做好生育奖励假、陪产假、独生子女父母护理假和父母育儿假等相关假期宣传”.
LUHE = (pack_document("luhe"), "促进福利待遇健全完善")


@program(
    id="gd.maternity_leave_extension",
    title="奖励假（延长产假）",
    entity="birth",
    kind="leave",
    unit="days",
    citations=[(REGULATION, "第三十条"), LUHE],
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
    citations=[(REGULATION, "第三十条"), LUHE],
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
    citations=[(REGULATION, "全文"), LUHE],
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
    citations=[(REGULATION, "全文"), LUHE],
    requires=(gates.only_child_certificate, gates.adult_child),
)
def only_child_parent_care_leave(c: Ctx) -> Rule:
    return leave.only_child_care(c, law=REGULATION)
