"""甘肃省（620000）假期层：《甘肃省人口与计划生育条例》规定的产假延长、男方护理假、育儿假、独生子女父母陪护假。

条例文本尚未载入，天数均为 value: null, set_by: unconfirmed：享受资格照常判定，天数报告为 null 并注明待核实。
国家层的生育津贴经 c.layered("maternity_leave_extension.*") 读取本层天数，未核实前不计延长天数。
"""

from __future__ import annotations

from cradle.policy import gates, leave
from cradle.policy.program import Ctx, Rule, pack_document, program

LAW = "甘肃省人口与计划生育条例"
# 白银 二、14 “严格落实《甘肃省人口与计划生育条例》规定的产假、哺乳假、男方护理假、育儿假等制度”
REGULATION = [(LAW, "全文"), (pack_document("baiyin"), "二、14")]


@program(
    id="gs.maternity_leave_extension",
    title="延长产假（甘肃）",
    entity="birth",
    kind="leave",
    unit="days",
    citations=REGULATION,
    in_force=leave.IN_FORCE["extension"],
)
def maternity_leave_extension(c: Ctx) -> Rule:
    return leave.extension(c, law=LAW)


@program(
    id="gs.paternity_leave",
    title="男方护理假（甘肃）",
    entity="birth",
    kind="leave",
    unit="days",
    citations=REGULATION,
    in_force=leave.IN_FORCE["paternity"],
)
def paternity_leave(c: Ctx) -> Rule:
    return leave.paternity(c, law=LAW, name="护理假")


@program(
    id="gs.parental_leave",
    title="育儿假（甘肃）",
    entity="person",
    kind="leave",
    unit="days/year",
    citations=REGULATION,
    in_force=leave.IN_FORCE["parental"],
)
def parental_leave(c: Ctx) -> Rule:
    return leave.parental(c, law=LAW)


@program(
    id="gs.only_child_parent_care_leave",
    title="独生子女父母陪护假（甘肃）",
    entity="person",
    kind="leave",
    unit="days/year",
    citations=[(LAW, "全文"), (pack_document("baiyin"), "二、21")],  # 白银 “落实独生子女父母陪护假”
    requires=(gates.only_child_certificate, gates.adult_child),
)
def only_child_parent_care_leave(c: Ctx) -> Rule:
    return leave.only_child_care(c, law=LAW, key="only_child_parent_care_leave.days_per_year")
