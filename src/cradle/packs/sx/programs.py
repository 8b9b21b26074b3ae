"""山西省 provincial layer (the pack's document): leave on top of the national rules, the employer's 婴幼儿保教费
and the protection of pregnant and nursing women (二（四）14), housing (二（四）17), the only-child parents' care
leave (二（五）21), and the operating subsidies the province encourages for nurseries (二（三）9–10).

“符合政策规定生育” is read as a birth within the three-child policy (二（一）1 “依法实施三孩生育政策”): birth order
1 to 3 (`policy.max_birth_order`). A fourth child still has the national maternity leave (cn), but none of the
Shanxi additions.

The document is undated: programs without a dated figure of their own are in force from `plan.in_force_from`, a
start date the document does not give (verified: false, so their explanations say 待核实).
"""

from __future__ import annotations

import numpy as np

from cradle.policy import family_planning, gates, leave
from cradle.policy.dates import NAT
from cradle.policy.program import Ctx, Rule, nan_to_num, pack_document, program

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
    requires=(gates.only_child_certificate, gates.adult_child),
)
def only_child_parent_care_leave(c: Ctx) -> Rule:
    return leave.only_child_care(c, law="山西省人口和计划生育条例")


@program(
    id="sx.pregnancy_night_shift_protection",
    title="孕期、哺乳期不延长劳动时间、不安排夜班",
    entity="person",
    kind="service",
    unit=None,
    clause="二（四）14",
    in_force="pregnancy_night_shift_protection.min_pregnancy_months",
)
def pregnancy_night_shift_protection(c: Ctx) -> Rule:
    """“对怀孕7个月以上、哺乳未满1周岁婴儿的女性，用人单位不得延长劳动时间或者安排夜班劳动”: a duty of the
    employer to a woman employee (kind service, no amount: the catalogue's kinds have none for a protection, and a
    new kind would need a label in every front door). Nursing is read as being the mother of a living child
    under one; pregnancy is `pregnancy_months` (completed months on the as-of date), whose start is not known."""
    p = c.persons
    months = c.param("pregnancy_night_shift_protection.min_pregnancy_months")
    limit = nan_to_num(c.param("pregnancy_night_shift_protection.infant_age_limit"), nan=1)
    born, first_birthday = leave.infant_by_household(c, int(limit))
    hh, mother = p.hh, c.RELATION["mother"]

    def nursing(rows: np.ndarray) -> np.ndarray:
        return (p.relation[rows] == mother) & ~np.isnat(born[hh[rows]])

    return Rule(
        conditions=[
            ("女性", p.female),
            ("在世", c.alive),
            ("为用人单位职工", p.employment == c.EMPLOYMENT["employee"]),  # half of the persons are left
            (
                "怀孕7个月以上或哺乳未满1周岁婴儿",
                lambda rows: (p.pregnancy_months[rows] >= months) | nursing(rows),
            ),
        ],
        start=lambda rows: np.where(nursing(rows), born[hh[rows]], NAT),
        end=lambda rows: np.where(nursing(rows), first_birthday[hh[rows]], NAT),
        facts={
            "why": lambda: np.where(
                nursing(np.arange(len(hh))),
                "正在哺乳未满1周岁的婴儿",
                np.char.add(np.char.add("怀孕", p.pregnancy_months.astype(str)), "个月"),
            )
        },
        explanation="女职工{why}，用人单位不得延长其劳动时间或者安排夜班劳动",
    )


@program(
    id="sx.public_rental_by_minor_children",
    title="配租公租房照顾有未成年子女家庭",
    entity="household",
    kind="priority",
    unit=None,
    clause="二（四）17",
    in_force="plan.in_force_from",
    requires=gates.housing_support,
)
def public_rental_by_minor_children(c: Ctx) -> Rule:
    return Rule(
        conditions=[
            ("符合当地住房保障条件", c.households.public_rental_eligible),
            ("有未成年子女", c.n_minor_children >= 1),
        ],
        facts={"n": c.n_minor_children},
        explanation="家庭符合当地住房保障条件且有{n}名未成年子女，各级政府配租公租房时应根据未成年子女数量在户型选择等"
        "方面给予适当照顾",
    )


@program(
    id="sx.housing_fund_loan_uplift",
    title="二孩、三孩家庭住房公积金贷款额度上浮",
    entity="household",
    kind="service",
    unit="percent",
    clause="二（四）17",
    in_force="housing_fund_loan_uplift.percent",
)
def housing_fund_loan_uplift(c: Ctx) -> Rule:
    return Rule(
        conditions=[("生育二孩或三孩的家庭", c.max_birth_order >= 2)],
        amount=c.param("housing_fund_loan_uplift.percent"),
        facts={"n": c.max_birth_order},
        explanation="家庭生育了{n}个子女（二孩、三孩家庭），住房公积金贷款额度可在本人可贷额度基础上给予一定幅度的上浮"
        "（幅度未定）",
    )


@program(
    id="sx.nursery_operating_subsidy",
    title="托育机构运营补贴",
    entity="facility",
    kind="cash",
    unit="CNY",
    clause="二（三）9",
    citations=[(pack_document("sx"), "二（三）10")],
    in_force="nursery_operating_subsidy.amount",
)
def nursery_operating_subsidy(c: Ctx) -> Rule:
    """二（三）9 “鼓励各地通过发放运营补贴、托育费用补助等措施，支持托育机构发展”; 二（三）10 “加大对普惠托育机构的
    财政支持力度……给予建设补贴和运营补贴”: a registered facility; the figure is the county's (city's) where one is
    set, so the amount is left to it."""
    f = c.facilities
    return Rule(
        conditions=[
            ("位于山西省", c.within_pack(f.jurisdiction)),
            ("已备案", f.registered),
        ],
        amount=c.param("nursery_operating_subsidy.amount", regions=f.jurisdiction),
        note="encouraged",
        facts={"inclusive": lambda: np.where(f.inclusive, "普惠性托育机构（财政加大支持）", "托育机构")},
        explanation="已备案的{inclusive}：方案鼓励各地通过发放运营补贴等措施支持托育机构发展（是否发放由各地确定）",
    )


# --- 二（五）21–22 计划生育家庭奖励扶助、特别扶助与特殊家庭帮扶（国家制度的条件，cradle.policy.family_planning） ---


@program(
    id="sx.reward_assistance",
    title="计划生育家庭奖励扶助",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="二（五）21",
    citations=[family_planning.REWARD_LAW],
    in_force="plan.in_force_from",
    requires=gates.certified_family,
)
def reward_assistance(c: Ctx) -> Rule:
    return family_planning.reward(
        c,
        amount="reward_assistance.yearly",
        sentence="全面两孩政策调整前的{family}（{age}岁，{min_age}岁以上），继续实行现行各项奖励扶助制度和优惠政策",
    )


@program(
    id="sx.special_assistance_bereaved",
    title="失独家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（五）22",
    citations=[family_planning.SPECIAL_LAW],
    in_force="plan.in_force_from",
    requires=gates.special_family,
)
def special_assistance_bereaved(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "bereaved",
        amount="special_assistance.bereaved_monthly",
        sentence="家庭为符合条件的失独家庭（女方{mother_age}岁，{min_age}岁以上），在世的{who}按月领取特别扶助金，"
        "扶助标准动态调整",
    )


@program(
    id="sx.special_assistance_disabled",
    title="独生子女伤残家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（五）22",
    citations=[family_planning.SPECIAL_LAW],
    in_force="plan.in_force_from",
    requires=gates.special_family,
)
def special_assistance_disabled(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "disabled_child",
        amount="special_assistance.disabled_monthly",
        sentence="家庭为独生子女伤（病）残家庭（女方{mother_age}岁，{min_age}岁以上），在世的{who}按月领取特别扶助金，"
        "扶助标准动态调整",
    )


@program(
    id="sx.special_family_nursing_allowance",
    title="计划生育特殊家庭老年人护理补贴",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（五）22",
    in_force="plan.in_force_from",
    requires=gates.special_family,
)
def special_family_nursing_allowance(c: Ctx) -> Rule:
    return family_planning.nursing_allowance(
        c,
        amount="special_family_nursing_allowance.monthly",
        sentence="计划生育特殊家庭老年人（{age}岁，{min_age}岁以上）生活长期不能自理、经济困难：有条件的地方发放护理补贴"
        "（是否发放及标准由当地确定）",
    )


@program(
    id="sx.special_family_care_home_priority",
    title="计划生育特殊家庭老年人优先入住公办养老机构",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（五）22",
    in_force="plan.in_force_from",
    requires=gates.special_family,
)
def special_family_care_home_priority(c: Ctx) -> Rule:
    return family_planning.care_home_priority(
        c,
        sentence="计划生育特殊家庭老年人（{age}岁，{min_age}岁以上），县级民政部门优先安排入住公办养老机构，"
        "提供无偿或低收费托养服务",
    )


@program(
    id="sx.special_family_housing_priority",
    title="计划生育特殊家庭住房困难优先纳入住房保障",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（五）22",
    in_force="plan.in_force_from",
    requires=(gates.special_family, gates.housing_support),
)
def special_family_housing_priority(c: Ctx) -> Rule:
    return family_planning.housing_priority(
        c, sentence="计划生育特殊家庭（{kind}）成员住房困难，县级住房城乡建设部门优先纳入住房保障"
    )
