"""陆河县 (the pack's document, a 征求意见稿): insurance deadlines, public-rental consideration for families
with minor children, and the continued reward assistance for family-planning households.

Deadlines are listed only while they have not passed on the as-of date (the deadline day itself included): a
passed deadline is no longer something the family can act on. They apply from the as-of date the rules are in
force, to births before it too (`in_force_on="as_of"`). Months and years are added with month-end
clamping (2024-08-31 + 6 months = 2025-02-28; 2024-02-29 + 3 years = 2027-02-28).
"""

from __future__ import annotations

import numpy as np

from cradle.policy import family_planning, gates
from cradle.policy.dates import add_months, add_years
from cradle.policy.program import Ctx, Rule, nan_to_num, program

DRAFT = "（征求意见稿）"
SPECIAL = "加强计划生育特殊家庭保障"


@program(
    id="luhe.newborn_insurance_window",
    title="新生儿参加居民医保期限",
    entity="newborn",
    kind="deadline",
    unit="date",
    clause="加大医疗和生育保险保障力度",
    in_force="newborn_insurance_window.months",
    in_force_on="as_of",
)
def newborn_insurance_window(c: Ctx) -> Rule:
    """Per newborn (each child of twins has its own window)."""
    n = c.newborns
    p = c.persons
    months = c.param("newborn_insurance_window.months")
    deadline = add_months(n.date, int(nan_to_num(months)))
    return Rule(
        conditions=[
            ("新生儿在世", c.alive[n.child]),
            ("新生儿尚未参加基本医疗保险", p.medical_insurance[n.child] == c.INSURANCE["none"]),
            ("未过参保期限", c.as_of <= deadline),
        ],
        amount=deadline,
        start=n.date,
        end=deadline,
        explanation="新生儿于{date}出生，可在出生后六个月内（截至{amount}）参加居民医保，参保前发生的医疗费用按规定支付"
        + DRAFT,
    )


@program(
    id="luhe.maternity_claim_deadline",
    title="生育医疗费用报销和生育津贴申报期限",
    entity="birth",
    kind="deadline",
    unit="date",
    clause="加大医疗和生育保险保障力度",
    in_force="maternity_claim_deadline.years",
    in_force_on="as_of",
)
def maternity_claim_deadline(c: Ctx) -> Rule:
    b = c.births
    mother = np.maximum(b.mother, 0)
    years = c.param("maternity_claim_deadline.years")
    deadline = add_years(b.date, int(nan_to_num(years)))
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加生育保险", c.persons.maternity_insurance[mother]),
            ("未过申报期限", c.as_of <= deadline),
        ],
        amount=deadline,
        start=b.date,
        end=deadline,
        explanation="母亲参加生育保险，于{date}分娩，生育医疗费用报销和生育津贴可在分娩3年内（截至{amount}）申报"
        + DRAFT,
    )


@program(
    id="luhe.no_filing_reimbursement_cut_removed",
    title="取消无备案降低10%报销比例",
    entity="birth",
    kind="waiver",
    unit="percent",
    clause="加大医疗和生育保险保障力度",
    in_force="no_filing_reimbursement_cut_removed.percent",
)
def no_filing_reimbursement_cut_removed(c: Ctx) -> Rule:
    """“提高生育医疗保险待遇水平，取消无备案降低10%报销比例的规定”: a delivery of a mother in maternity insurance
    after the rule is in force is reimbursed without the 10% cut, whether or not it was filed (备案)."""
    b = c.births
    mother = np.maximum(b.mother, 0)
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加生育保险", c.persons.maternity_insurance[mother]),
        ],
        amount=c.param("no_filing_reimbursement_cut_removed.percent", on=b.date),
        start=b.date,
        explanation="母亲参加生育保险，于{date}分娩：生育医疗费用报销不再因未备案降低{amount}%报销比例（原规定取消）"
        + DRAFT,
    )


@program(
    id="luhe.maternity_insurance_from_next_month",
    title="生育保险自缴费次月起享受待遇",
    entity="person",
    kind="service",
    unit=None,
    clause="加大医疗和生育保险保障力度",
)
def maternity_insurance_from_next_month(c: Ctx) -> Rule:
    """No date to compute (the contribution start is not in the household): a service rule saying when the
    benefits begin, shown to the insured employee mother."""
    p = c.persons
    return Rule(
        conditions=[
            ("是母亲", p.relation == c.RELATION["mother"]),
            ("在世", c.alive),
            ("为职工", p.employment == c.EMPLOYMENT["employee"]),
            ("参加生育保险", p.maternity_insurance),
        ],
        explanation="母亲为参加生育保险的职工，用人单位按时足额缴纳生育保险费的，自缴费次月起即可享受生育保险待遇"
        + DRAFT,
    )


@program(
    id="luhe.public_rental_by_minor_children",
    title="配租公租房照顾有未成年子女家庭",
    entity="household",
    kind="priority",
    unit=None,
    clause="促进支持政策优惠减免",
    requires=gates.housing_support,
)
def public_rental_by_minor_children(c: Ctx) -> Rule:
    h = c.households
    n = c.n_minor_children
    return Rule(
        conditions=[("符合当地住房保障条件", h.public_rental_eligible), ("有未成年子女", n > 0)],
        facts={"n": n},
        explanation="家庭符合当地住房保障条件且有{n}名未成年子女，配租公租房时可根据未成年子女数量在住房面积、"
        "户型选择等方面给予适当照顾" + DRAFT,
    )


@program(
    id="luhe.reward_assistance",
    title="计划生育家庭奖励扶助",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="维护计划生育家庭合法权益",
    citations=[family_planning.REWARD_LAW],
    requires=gates.certified_family,
)
def reward_assistance(c: Ctx) -> Rule:
    return family_planning.reward(
        c,
        amount="reward_assistance.amount",
        sentence="全面两孩政策调整前的{family}，{age}岁（{min_age}岁以上），继续享受现行各项奖励扶助制度和优惠政策，"
        "由镇审核资格、县确认后发放" + DRAFT,
    )


@program(
    id="luhe.special_assistance_bereaved",
    title="失独家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause=SPECIAL,
    citations=[family_planning.SPECIAL_LAW],
    requires=gates.special_family,
)
def special_assistance_bereaved(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "bereaved",
        amount="special_assistance.bereaved_monthly",
        sentence="家庭为符合条件的失独家庭（女方{mother_age}岁，{min_age}岁以上），在世的{who}按月领取特别扶助金，"
        "标准动态调整" + DRAFT,
    )


@program(
    id="luhe.special_assistance_disabled",
    title="独生子女伤残家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause=SPECIAL,
    citations=[family_planning.SPECIAL_LAW],
    requires=gates.special_family,
)
def special_assistance_disabled(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "disabled_child",
        amount="special_assistance.disabled_monthly",
        sentence="家庭为独生子女伤（病）残家庭（女方{mother_age}岁，{min_age}岁以上），在世的{who}按月领取特别扶助金，"
        "标准动态调整" + DRAFT,
    )


@program(
    id="luhe.special_family_nursing_allowance",
    title="计划生育特殊家庭老年人护理补贴",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause=SPECIAL,
    requires=gates.special_family,
)
def special_family_nursing_allowance(c: Ctx) -> Rule:
    return family_planning.nursing_allowance(
        c,
        amount="special_family_nursing_allowance.monthly",
        sentence="计划生育特殊家庭老年人（{age}岁，{min_age}岁以上）生活长期不能自理、经济困难：探索建立的护理补贴，"
        "标准由县确定" + DRAFT,
    )


@program(
    id="luhe.special_family_care_home_priority",
    title="计划生育特殊家庭老年人优先入住公办养老机构",
    entity="person",
    kind="priority",
    unit=None,
    clause=SPECIAL,
    requires=gates.special_family,
)
def special_family_care_home_priority(c: Ctx) -> Rule:
    return family_planning.care_home_priority(
        c,
        sentence="计划生育特殊家庭老年人（{age}岁，{min_age}岁以上），优先安排入住公办养老机构，提供无偿或低收费托养服务"
        + DRAFT,
    )


@program(
    id="luhe.special_family_housing_priority",
    title="计划生育特殊家庭住房困难优先纳入住房保障",
    entity="person",
    kind="priority",
    unit=None,
    clause=SPECIAL,
    requires=(gates.special_family, gates.housing_support),
)
def special_family_housing_priority(c: Ctx) -> Rule:
    return family_planning.housing_priority(
        c, sentence="计划生育特殊家庭（{kind}）成员住房困难，优先纳入住房保障" + DRAFT
    )
