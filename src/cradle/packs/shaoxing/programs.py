"""绍兴市（330600）：《绍兴市优化生育政策促进人口长期均衡发展实施方案（征求意见稿）》。

文本为征求意见稿，尚未正式印发：每条解释均以“（征求意见稿）”结尾。

（四）生育保险：灵活就业人员同步参保（`maternity_insurance_flexible`）；“确保参保女职工生育三孩的费用纳入生育保险
支付范围”对每一位参保女职工（职工和参保的灵活就业人员）成立（`maternity_insurance_third_child`）；产假期间社会
保险补贴只给“参加企业职工社会保险的女性”（`social_insurance == enterprise`，不含机关事业单位）。
"""

from __future__ import annotations

import numpy as np

from cradle.policy import family_planning, gates
from cradle.policy.program import Ctx, Rule, program

DRAFT = "（征求意见稿）"
NO_DATE = np.iinfo(np.int64).max


def _insured(c: Ctx, rows: np.ndarray) -> np.ndarray:
    """Maternity insurance: declared, or implied by employee medical insurance (参加职工医保同步参加生育保险)."""
    p = c.persons
    return p.maternity_insurance[rows] | (p.medical_insurance[rows] == c.INSURANCE["employee"])


def _brings_third(c: Ctx) -> np.ndarray:
    """Per birth: the delivery brings the third child (twins born second are the second and third)."""
    first = c.delivery_order
    return (first >= 1) & (first <= 3) & (first + c.births.babies - 1 >= 3)


@program(
    id="shaoxing.maternity_insurance_flexible",
    title="灵活就业人员生育保险待遇",
    entity="birth",
    kind="reimbursement",
    unit=None,
    clause="（四）",
    requires=gates.flexible_worker,
)
def maternity_insurance_flexible(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    mother = np.maximum(b.mother, 0)
    order = np.maximum(c.delivery_order, 1)
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲为灵活就业人员", p.employment[mother] == c.EMPLOYMENT["flexible"]),
            ("母亲参加生育保险（随职工医保同步参保）", _insured(c, mother)),
        ],
        start=b.date,
        facts={
            "order": order,
            "third": lambda: np.where(
                order >= 3, "，落实三孩生育保险待遇，生育三孩的费用同样纳入支付范围", ""
            ),
        },
        explanation="母亲为灵活就业人员，同步参加生育保险，于{start}生育第{order}孩，生育医疗费用和生育津贴"
        "按规定纳入生育保险待遇支付范围{third}" + DRAFT,
    )


@program(
    id="shaoxing.maternity_social_insurance_subsidy",
    title="产假期间社会保险补贴",
    entity="birth",
    kind="cash",
    unit="CNY",
    clause="（四）",
    requires=gates.enterprise_insured,
)
def maternity_social_insurance_subsidy(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    mother = np.maximum(b.mother, 0)
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加企业职工社会保险", p.social_insurance[mother] == c.SOCIAL_INSURANCE["enterprise"]),
        ],
        amount=c.param("maternity_social_insurance_subsidy.amount", on=b.date),
        start=b.date,
        explanation="母亲参加企业职工社会保险，于{start}生育，产假期间给予社会保险补贴" + DRAFT,
    )


@program(
    id="shaoxing.maternity_insurance_third_child",
    title="三孩生育保险待遇",
    entity="birth",
    kind="reimbursement",
    unit=None,
    clause="（四）",
)
def maternity_insurance_third_child(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    mother = np.maximum(b.mother, 0)
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加生育保险", _insured(c, mother)),
            ("生育第三孩", _brings_third(c)),
        ],
        start=b.date,
        facts={
            "who": lambda: np.where(
                p.employment[mother] == c.EMPLOYMENT["flexible"], "灵活就业人员", "女职工"
            )
        },
        explanation="母亲为参加生育保险的{who}，于{start}生育第三孩：落实三孩生育保险待遇政策，生育三孩的费用纳入"
        "生育保险支付范围" + DRAFT,
    )


@program(
    id="shaoxing.public_rental_three_child",
    title="三孩家庭公租房保障",
    entity="household",
    kind="priority",
    unit="CNY/month",
    clause="（九）",
    requires=gates.housing_support,
)
def public_rental_three_child(c: Ctx) -> Rule:
    h = c.households
    return Rule(
        conditions=[
            ("三孩家庭", c.max_birth_order >= 3),
            ("符合当地公租房保障条件", h.public_rental_eligible),
        ],
        amount=c.param("public_rental_three_child.rental_subsidy", regions=h.jurisdiction),
        facts={"children": c.max_birth_order},
        explanation="三孩家庭（{children}个子女）符合当地公租房保障条件：选择实物配租的，户型选择、房源面积适当照顾，"
        "同等条件下优先配租，保障面积标准内租金全免；选择租赁补贴的，按低保家庭标准发放补贴" + DRAFT,
    )


@program(
    id="shaoxing.housing_fund_multi_child",
    title="二孩、三孩家庭住房公积金支持",
    entity="household",
    kind="priority",
    unit=None,
    clause="（九）",
)
def housing_fund_multi_child(c: Ctx) -> Rule:
    return Rule(
        conditions=[("二孩或三孩家庭", c.max_birth_order >= 2)],
        facts={"children": c.max_birth_order},
        explanation="家庭为多孩家庭（{children}个子女），适用二孩、三孩家庭住房公积金支持政策，具体措施以住房公积金"
        "管理部门细则为准" + DRAFT,
    )


@program(
    id="shaoxing.siblings_same_school",
    title="长幼随学（园）",
    entity="person",
    kind="priority",
    unit=None,
    clause="（八）",
)
def siblings_same_school(c: Ctx) -> Rule:
    """The younger child (from a year before kindergarten age until school age) may be placed with an elder
    sibling who is in kindergarten or of compulsory-school age."""
    p = c.persons
    kg = c.param("siblings_same_school.kindergarten_age")
    school = c.param("siblings_same_school.school_age")
    years = c.param("siblings_same_school.compulsory_years")
    child = c.is_child & c.alive
    in_kg = child & (p.care_type == c.CARE["kindergarten"])
    in_school = child & (c.age >= school) & (c.age < school + years)
    elder_ok = in_kg | in_school
    born = p.birth_date.astype(np.int64)
    earliest = np.full(len(c.households), NO_DATE, dtype=np.int64)
    np.minimum.at(earliest, p.hh, np.where(elder_ok, born, NO_DATE))
    has_elder = c.to_persons(earliest) < born
    kg_elder = np.full(len(c.households), NO_DATE, dtype=np.int64)
    np.minimum.at(kg_elder, p.hh, np.where(in_kg, born, NO_DATE))
    elder = np.where(c.to_persons(kg_elder) < born, "兄姐在幼儿园就读", "兄姐处于义务教育阶段")
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("多孩家庭", c.to_persons(c.n_children >= 2)),
            ("已到或临近入园年龄、未到入学年龄", (c.age >= kg - 1) & (c.age < school)),
            ("有在园或义务教育阶段的兄姐", has_elder),
        ],
        facts={"age": c.age, "elder": elder},
        explanation="多孩家庭中{elder}，本人{age}周岁、已到或临近入园年龄，可按“长幼随学（园）”机制"
        "随兄姐入同一幼儿园或学校" + DRAFT,
    )


@program(
    id="shaoxing.assisted_reproduction_cost_relief",
    title="辅助生殖技术治疗自费部分减免",
    entity="household",
    kind="waiver",
    unit="CNY",
    clause="（六）",
    requires=gates.assisted_reproduction,
)
def assisted_reproduction_cost_relief(c: Ctx) -> Rule:
    """“对开展辅助生殖技术治疗的家庭治疗自费部分按照一定标准进行减免”: a household with a living member in
    treatment; the standard is left to the responsible departments (and the 属地政府 pays)."""
    treated = c.count_by_household(c.persons.assisted_reproduction & c.alive)
    return Rule(
        conditions=[("家庭成员正在开展辅助生殖技术治疗", treated > 0)],
        amount=c.param("assisted_reproduction_cost_relief.amount", regions=c.households.jurisdiction),
        explanation="家庭正在开展辅助生殖技术治疗，治疗自费部分按照一定标准进行减免" + DRAFT,
    )


@program(
    id="shaoxing.preschool_financial_aid",
    title="学前教育资助（家庭经济困难儿童）",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="（八）",
    requires=gates.in_kindergarten,
)
def preschool_financial_aid(c: Ctx) -> Rule:
    """“依法依规落实学前教育资助政策，切实保障家庭经济困难儿童接受普惠性学前教育”: a child of a household in
    economic difficulty (低保 or 家庭经济困难) at a public or inclusive kindergarten; the standard is the existing
    资助 rules' (not loaded)."""
    p = c.persons
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("在幼儿园就读", p.care_type == c.CARE["kindergarten"]),
            ("接受普惠性学前教育（公办或普惠性幼儿园）", p.care_public | p.care_inclusive),
            ("家庭经济困难", c.to_persons(c.households.low_income)),
        ],
        amount=c.param("preschool_financial_aid.yearly"),
        explanation="家庭经济困难儿童在公办或普惠性幼儿园接受普惠性学前教育，依法依规落实学前教育资助政策"
        + DRAFT,
    )


@program(
    id="shaoxing.reward_assistance",
    title="计划生育家庭奖励扶助",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="（十四）",
    citations=[family_planning.REWARD_LAW],
    in_force="reward_assistance.yearly",
    requires=gates.certified_family,
)
def reward_assistance(c: Ctx) -> Rule:
    return family_planning.reward(
        c,
        amount="reward_assistance.yearly",
        sentence="全面两孩政策调整前的{family}（{age}岁，{min_age}岁以上），继续实行现行各项奖励扶助制度和优惠政策"
        + DRAFT,
    )
