"""山西省 provincial layer (the pack's document, 二（四）14, 二（五）21): leave on top of the national rules,
the employer's 婴幼儿保教费, and the only-child parents' care leave.

“符合政策规定生育” is read as a birth within the three-child policy (二（一）1 “依法实施三孩生育政策”): birth order
1 to 3 (`policy.max_birth_order`). A fourth child still has the national maternity leave (cn), but none of the
Shanxi additions.
"""

from __future__ import annotations

from cradle.policy import leave
from cradle.policy.program import Ctx, Rule, program

LAW = "山西省实施方案"


@program(
    id="sx.maternity_leave_extension",
    title="奖励延长产假",
    entity="birth",
    kind="leave",
    unit="days",
    clause="二（四）14",
    in_force=leave.IN_FORCE["extension"],
)
def maternity_leave_extension(c: Ctx) -> Rule:
    return leave.extension(c, law=LAW)


@program(
    id="sx.paternity_leave",
    title="护理假",
    entity="birth",
    kind="leave",
    unit="days",
    clause="二（四）14",
    in_force=leave.IN_FORCE["paternity"],
)
def paternity_leave(c: Ctx) -> Rule:
    return leave.paternity(c, law=LAW, name="护理假")


@program(
    id="sx.parental_leave",
    title="育儿假",
    entity="person",
    kind="leave",
    unit="days/year",
    clause="二（四）14",
    in_force=leave.IN_FORCE["parental"],
)
def parental_leave(c: Ctx) -> Rule:
    return leave.parental(c, law=LAW)


@program(
    id="sx.childcare_fee_allowance",
    title="婴幼儿保教费",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（四）14",
    in_force=leave.IN_FORCE["employer_allowance"],
)
def childcare_fee_allowance(c: Ctx) -> Rule:
    return leave.employer_allowance(c, law=LAW)


@program(
    id="sx.only_child_parent_care_leave",
    title="独生子女父母照料假",
    entity="person",
    kind="leave",
    unit="days",
    clause="二（五）21",
    citations=[("山西省人口和计划生育条例", "独生子女父母照料假条款")],
)
def only_child_parent_care_leave(c: Ctx) -> Rule:
    return leave.only_child_care(c, law="山西省人口和计划生育条例")
