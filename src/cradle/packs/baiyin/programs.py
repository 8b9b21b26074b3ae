"""白银市（620400）：《白银市关于优化生育政策促进人口长期均衡发展的实施方案》（2024-05-17 发布）。

Every program is in force from the day the document was issued (`plan.issued`, its “发布时间:2024-05-17”) unless
the document dates it otherwise: the 育儿补贴 is for births from 2024-01-01 (二、13), in force from that day.

三孩家庭 (二、17, and the 公积金 rule's “符合国家生育政策…的三孩家庭”) is one rule, `_three_child`: a household
with at least three living children. The document's policy is the three-child policy (二、1 “实施一对夫妻可以生育
三个子女的生育政策”), so any third child is within it; a child who died is not counted, nor is a birth order
given for a child whose elder siblings are not listed.
"""

from __future__ import annotations

import numpy as np

from cradle.policy import family_planning, gates
from cradle.policy.population import SPECIAL_FAMILY
from cradle.policy.program import Ctx, Rule, nan_to_num, pack_document, program

THREE_CHILD_POLICY = (pack_document("baiyin"), "二、1")  # whose children make a 三孩家庭


def _three_child(c: Ctx, when=None) -> np.ndarray:
    """Per household: 三孩家庭, at least three living children (see the module's docstring); with `when` (per
    household dates) counting the children born by then."""
    if when is None:
        return c.n_children >= 3
    born = c.is_child & c.alive & (c.persons.birth_date <= c.to_persons(when))
    return c.count_by_household(born) >= 3


@program(
    id="baiyin.childcare_allowance",
    title="育儿补贴",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二、13",
    in_force="childcare_allowance.monthly",
)
def childcare_allowance(c: Ctx) -> Rule:
    p = c.persons
    limit = nan_to_num(c.param("childcare_allowance.age_limit"), nan=3).astype(np.int64)
    end = c.birthday(limit)
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("按政策生育的二孩或三孩", (c.birth_order == 2) | (c.birth_order == 3)),
            ("2024年1月1日以后出生", p.birth_date >= c.param("childcare_allowance.born_from")),
            ("落户白银市户籍", c.within_pack(p.hukou)),
            ("未满3周岁", c.as_of < end),
        ],
        amount=c.param("childcare_allowance.monthly", regions=c.jurisdiction),
        start=p.birth_date,
        end=end,
        facts={"county": c.jurisdiction, "birth_order": c.birth_order},
        explanation="第{birth_order}孩于{birth_date}出生（2024年1月1日以后），户籍落在白银市（{hukou}），"
        "按所在县区（{county}）政府核定的标准每月发放育儿补贴，直至{end}满3周岁",
    )


@program(
    id="baiyin.kindergarten_fee_waiver",
    title="幼儿园保教费减免",
    entity="person",
    kind="waiver",
    unit="CNY/year",
    clause="二、18",
    in_force="kindergarten_fee_waiver.yearly",
    requires=gates.in_kindergarten,
)
def kindergarten_fee_waiver(c: Ctx) -> Rule:
    p = c.persons
    gansu = c.within_pack(p.hukou, province=True)
    low_income = c.to_persons(c.households.low_income)
    needy = low_income | p.orphan | p.disability

    def who():
        return np.where(
            gansu,
            "具有甘肃户籍（" + p.hukou.astype(str) + "）",
            "为非甘肃户籍的"
            + np.where(p.orphan, "孤儿", np.where(p.disability, "残疾儿童", "家庭经济困难儿童")),
        )

    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("在幼儿园就读", p.care_type == c.CARE["kindergarten"]),
            ("在公办幼儿园或普惠性民办幼儿园就读", p.care_public | p.care_inclusive),
            ("具有甘肃户籍，或为非甘肃户籍的家庭经济困难儿童、孤儿、残疾儿童", gansu | needy),
        ],
        amount=c.param("kindergarten_fee_waiver.yearly"),
        facts={"who": who, "school": lambda: np.where(p.care_public, "公办幼儿园", "普惠性民办幼儿园")},
        explanation="幼儿{who}，在辖区内{school}就读，每生每年减免保教费{amount}元",
    )


@program(
    id="baiyin.affordable_rental_three_child",
    title="三孩家庭保障性租赁住房配租",
    entity="household",
    kind="priority",
    unit=None,
    clause="二、17",
    citations=[THREE_CHILD_POLICY],
    in_force="plan.issued",
    requires=gates.three_living_children,
)
def affordable_rental_three_child(c: Ctx) -> Rule:
    return Rule(
        conditions=[("三孩家庭", _three_child(c))],
        facts={"children": c.n_children},
        explanation="家庭为三孩家庭（{children}个在世子女），可申请配租保障性租赁住房中筹集的超过70平方米的住房"
        "（须符合保障性租赁住房配租条件）",
    )


@program(
    id="baiyin.public_rental_by_minor_children",
    title="公租房户型选择照顾（按未成年子女数）",
    entity="household",
    kind="priority",
    unit=None,
    clause="二、17",
    in_force="plan.issued",
    requires=gates.housing_support,
)
def public_rental_by_minor_children(c: Ctx) -> Rule:
    h = c.households
    return Rule(
        conditions=[
            ("符合当地住房保障条件", h.public_rental_eligible),
            ("有未成年子女", c.n_minor_children >= 1),
        ],
        facts={"minors": c.n_minor_children},
        explanation="家庭符合当地住房保障条件且有{minors}个未成年子女，县区配租公租房时根据未成年子女数量"
        "在户型选择等方面给予适当照顾",
    )


@program(
    id="baiyin.housing_fund_three_child",
    title="三孩家庭住房公积金支持",
    entity="household",
    kind="priority",
    unit=None,
    clause="二、17",
    citations=[THREE_CHILD_POLICY],
    in_force="plan.issued",
    requires=gates.three_living_children,
)
def housing_fund_three_child(c: Ctx) -> Rule:
    h = c.households

    def how():
        return np.where(
            ~h.owns_home & h.renting,
            "家庭无房租赁住房，提取住房公积金时可适当提高最高提取额度",
            np.where(
                ~h.owns_home,
                "无房租赁住房提取住房公积金的可适当提高最高提取额度，"
                "购买首套自住住房申请公积金贷款的可适当提高最高贷款额度",
                "购买首套自住住房申请住房公积金贷款的，可适当提高最高贷款额度",
            ),
        )

    return Rule(
        conditions=[("三孩家庭", _three_child(c))],
        facts={"children": c.n_children, "how": how},
        explanation="符合国家生育政策的三孩家庭（{children}个在世子女）在白银市缴存住房公积金的，{how}",
    )


@program(
    id="baiyin.three_child_home_purchase_subsidy",
    title="三孩家庭购房补助（县区）",
    entity="household",
    kind="cash",
    unit="CNY",
    clause="二、17",
    citations=[THREE_CHILD_POLICY],
    in_force="three_child_home_purchase_subsidy.amount",
    in_force_on="purchase_date",
    requires=gates.three_living_children,
)
def three_child_home_purchase_subsidy(c: Ctx) -> Rule:
    """“有条件的县区可向三孩家庭发放购房补助”: a county that has one sets its figure (by_region); the document
    sets none, so the amount is left to the county."""
    h = c.households
    when = h.purchase_date
    return Rule(
        conditions=[
            ("有购房记录", ~np.isnat(when)),
            ("购房时为三孩家庭", _three_child(c, when)),
        ],
        amount=c.param("three_child_home_purchase_subsidy.amount", on=when, regions=h.jurisdiction),
        start=when,
        note="encouraged",
        explanation="家庭于{start}购房时为三孩家庭：有条件的县区可向三孩家庭发放购房补助（是否发放由所在县区确定）",
    )


@program(
    id="baiyin.elderly_care_priority_three_child",
    title="三孩家庭老年人优先优惠入住公办养老机构",
    entity="person",
    kind="priority",
    unit=None,
    clause="二、17",
    citations=[THREE_CHILD_POLICY],
    in_force="plan.issued",
    requires=gates.three_living_children,
)
def elderly_care_priority_three_child(c: Ctx) -> Rule:
    p = c.persons
    elder = (p.relation == c.RELATION["grandparent"]) | c.is_parent
    return Rule(
        conditions=[
            ("是家庭中的祖辈或父母", elder),
            ("在世", c.alive),
            ("三孩家庭", c.to_persons(_three_child(c))),
            ("年满60周岁", c.age >= c.param("elderly_care_priority.min_age")),
        ],
        facts={"age": c.age},
        explanation="三孩家庭的老年人（{age}岁，年满60周岁），优先优惠入住公办养老机构",
    )


@program(
    id="baiyin.special_assistance_bereaved",
    title="失独家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二、21",
    citations=[family_planning.SPECIAL_LAW],
    in_force="special_assistance.bereaved_monthly",
    requires=gates.special_family,
)
def special_assistance_bereaved(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "bereaved",
        amount="special_assistance.bereaved_monthly",
        sentence="家庭为符合条件的失独家庭（女方{mother_age}岁，{min_age}岁以上），夫妻每人每月发放特别扶助金{amount}元，"
        "在世的{who}按月领取",
    )


@program(
    id="baiyin.special_assistance_disabled",
    title="独生子女伤残家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二、21",
    citations=[family_planning.SPECIAL_LAW],
    in_force="special_assistance.disabled_monthly",
    requires=gates.special_family,
)
def special_assistance_disabled(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "disabled_child",
        amount="special_assistance.disabled_monthly",
        sentence="家庭为独生子女伤（病）残家庭（女方{mother_age}岁，{min_age}岁以上），夫妻每人每月发放特别扶助金{amount}元，"
        "在世的{who}按月领取",
    )


@program(
    id="baiyin.reward_assistance",
    title="计划生育家庭奖励扶助",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="二、21",
    citations=[family_planning.REWARD_LAW],
    in_force="plan.issued",
    requires=gates.certified_family,
)
def reward_assistance(c: Ctx) -> Rule:
    # 是否“符合条件”由计生部门认定，输入以独生子女证、农村二女户标记表达；不从子女人数反推（反推会使
    # 删去一名子女反而产生待遇）。
    return family_planning.reward(
        c,
        amount="reward_assistance.yearly",
        sentence="全面两孩政策实施前的{family}，{age}岁（{min_age}岁以上），继续实行现行各项奖励扶助制度和优惠政策，"
        "扶助资金通过财政补贴资金“一卡通”平台直接发放",
    )


@program(
    id="baiyin.special_family_lump_sum",
    title="计划生育特殊家庭一次性补助",
    entity="household",
    kind="cash",
    unit="CNY",
    clause="二、21",
    in_force="special_family_lump_sum.amount",
    requires=gates.special_family,
)
def special_family_lump_sum(c: Ctx) -> Rule:
    """“落实……计划生育特殊家庭一次性补助制度”: once per special family; the document names the system, not its
    figure, so the amount is left to the county."""
    h = c.households
    return Rule(
        conditions=[("计划生育特殊家庭", h.special_family != SPECIAL_FAMILY[None])],
        amount=c.param("special_family_lump_sum.amount", regions=h.jurisdiction),
        facts={
            "kind": lambda: np.where(
                h.special_family == SPECIAL_FAMILY["bereaved"], "失独家庭", "独生子女伤残家庭"
            )
        },
        explanation="计划生育特殊家庭（{kind}）：落实计划生育特殊家庭一次性补助制度",
    )


@program(
    id="baiyin.elderly_couple_hospital_care_subsidy",
    title="计划生育特殊家庭老年夫妻住院护理补助",
    entity="person",
    kind="cash",
    unit="CNY",
    clause="二、21",
    in_force="elderly_couple_hospital_care_subsidy.amount",
    requires=gates.special_family,
)
def elderly_couple_hospital_care_subsidy(c: Ctx) -> Rule:
    """“落实……计划生育特殊家庭老年夫妻住院护理补助制度”: a parent of a special family, 60 or more, in hospital."""
    elder, min_age = family_planning.special_elder(c)
    return Rule(
        conditions=[
            ("是父母", c.is_parent),
            ("计划生育特殊家庭老年人（年满60周岁）", elder),
            ("住院", c.persons.hospitalized),
        ],
        amount=c.param("elderly_couple_hospital_care_subsidy.amount", regions=c.jurisdiction),
        facts={"age": c.age, "min_age": min_age},
        explanation="计划生育特殊家庭的老年夫妻一方（{age}岁，{min_age}岁以上）住院：落实住院护理补助制度，标准由县区确定",
    )


@program(
    id="baiyin.special_family_care_home_priority",
    title="计划生育特殊家庭老年人优先入住公办养老机构",
    entity="person",
    kind="priority",
    unit=None,
    clause="二、22",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_care_home_priority(c: Ctx) -> Rule:
    return family_planning.care_home_priority(
        c,
        sentence="计划生育特殊家庭老年人（{age}岁，{min_age}岁以上），优先安排入住公办养老机构，提供无偿或低收费的托养服务",
    )


@program(
    id="baiyin.special_family_housing_priority",
    title="计划生育特殊家庭住房困难优先纳入住房保障",
    entity="person",
    kind="priority",
    unit=None,
    clause="二、22",
    in_force="plan.issued",
    requires=(gates.special_family, gates.housing_support),
)
def special_family_housing_priority(c: Ctx) -> Rule:
    return family_planning.housing_priority(
        c, sentence="计划生育特殊家庭（{kind}）成员住房困难，优先纳入住房保障"
    )


@program(
    id="baiyin.special_family_social_assistance",
    title="计划生育特殊困难家庭纳入低保、特困救助供养",
    entity="person",
    kind="priority",
    unit=None,
    clause="二、22",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_social_assistance(c: Ctx) -> Rule:
    return family_planning.social_assistance(
        c,
        sentence="计划生育特殊家庭（{kind}）成员符合最低生活保障、特困人员救助供养条件，按规定纳入相应保障范围",
    )


@program(
    id="baiyin.nursery_operating_subsidy",
    title="托育机构运营补贴、托位补助（县区）",
    entity="facility",
    kind="cash",
    unit="CNY",
    clause="二、10",
    citations=[(pack_document("baiyin"), "二、8"), (pack_document("baiyin"), "二、9")],
    in_force="nursery_operating_subsidy.amount",
)
def nursery_operating_subsidy(c: Ctx) -> Rule:
    """二、10 “有能力的县区探索建立托育机构运营补贴、建设补贴和托位补助等制度” (二、8, 二、9: 政府补贴措施 for
    普惠托育): a registered facility in a county that has such a scheme; the county sets the figure."""
    f = c.facilities
    return Rule(
        conditions=[
            ("位于白银市", c.within_pack(f.jurisdiction)),
            ("已备案", f.registered),
        ],
        amount=c.param("nursery_operating_subsidy.amount", regions=f.jurisdiction),
        note="encouraged",
        explanation="已备案的托育机构：方案鼓励有能力的县区探索建立托育机构运营补贴、托位补助等制度"
        "（是否发放由所在县区确定）",
    )
