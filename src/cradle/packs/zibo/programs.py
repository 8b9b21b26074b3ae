"""淄博市: 《优化生育政策促进人口长期均衡发展实施方案》 (the pack's document), issued 2023-09-20.

Every figure is in parameters.yaml, dated from the issue date and cited to its clause. Two readings worth knowing:
- 二（四）1 城乡居民住院分娩: “支付额不低于3000元，实际发生医疗费用低于限额的，据实结算”. 3000 CNY is a floor, not
  a cap: a cost of 5000 is paid at least 3000 (the resident-insurance rules, not in the document, say how much
  more), a cost below 3000 is paid in full. The amount reported is min(cost, 3000), which the payment is never
  below, with `note: "at least"` and the explanation saying 不低于.
- 二（四）2 housing: “在我市相关住房保障政策规定期限内”, “在规定时间内” name no end date. The window is the parameter
  `housing_policy_window.open` (1 from 2023-09-20, open-ended and verified: false until the city's end date is
  added as a 0). The 购房补贴 and the 契税 购房补贴 are two programs: the document does not say whether a family
  gets both, and each explanation says so.
- 二（五） 计划生育特殊家庭成员: every living member of a household marked as a special family (the couple, their
  children, and the elders of a 失独 couple raising a grandchild, listed as grandparents), not only the parents.
Each program is in force from its parameters' date (`in_force=`): births and purchases are judged on their own
date, everything else on the as-of date.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cradle.policy import family_planning, gates
from cradle.policy.dates import add_years
from cradle.policy.population import HUKOU_TYPE, SPECIAL_FAMILY
from cradle.policy.program import Ctx, Rule, nan_to_num, pack_document, program

# --- shared derivations ---------------------------------------------------------------------------------------


def _children_by(c: Ctx, when) -> np.ndarray:
    """Per household: how many children the parents had on `when` (per household dates): living children born
    by then, or the highest birth order among them, whichever is larger."""
    p = c.persons
    when = np.broadcast_to(when, (len(c.households),))
    kids = c.is_child & c.alive
    dated = ~np.isnat(when)
    if not dated.all():  # a household without the date (no purchase) counts none: only the others' children
        kids &= dated[p.hh]
    kids = np.flatnonzero(kids)
    hh = p.hh[kids]
    born = p.birth_date[kids] <= when[hh]
    kids, hh = kids[born], hh[born]
    order = np.zeros(len(c.households), dtype=np.int64)
    np.maximum.at(order, hh, c.birth_order[kids])
    return np.maximum(np.bincount(hh, minlength=len(c.households)), order)


def _tier(n) -> np.ndarray:
    return np.where(n >= 3, "三孩及以上", "二孩")


def _special_family(c: Ctx) -> tuple[np.ndarray, Callable[[], np.ndarray]]:
    """Per person: a member of a 计划生育特殊家庭 (every member of a household so marked, see the module's
    docstring), and which kind (a fact for the explanation, computed when asked)."""
    code = c.to_persons(c.households.special_family)

    def kind() -> np.ndarray:
        return np.where(code == SPECIAL_FAMILY["bereaved"], "失独家庭", "独生子女伤残家庭")

    return code != SPECIAL_FAMILY[None], kind


# --- 二（二）1 保障孕产妇和儿童健康 ------------------------------------------------------------------------------


@program(
    id="zibo.prenatal_check_insurance",
    title="职工生育产前检查费纳入职工医保支付",
    entity="person",
    kind="reimbursement",
    unit="CNY",
    clause="二（二）1",
    in_force="prenatal_check_insurance.amount",
    requires=gates.pregnant,
)
def prenatal_check_insurance(c: Ctx) -> Rule:
    """“将符合规定的职工生育产前检查费纳入职工基本医疗保险基金支付范围”: a pregnant woman in employee medical
    insurance (flexible workers in it included); what is paid follows the 医保 rules, not the document."""
    p = c.persons
    return Rule(
        conditions=[
            ("女性", p.female),
            ("在世", c.alive),
            ("正在怀孕", p.pregnancy_months >= 1),
            ("参加职工基本医疗保险", p.medical_insurance == c.INSURANCE["employee"]),
        ],
        amount=c.param("prenatal_check_insurance.amount"),
        facts={"months": p.pregnancy_months},
        explanation="怀孕{months}个月，参加职工基本医疗保险：符合规定的生育产前检查费纳入职工基本医疗保险基金支付范围",
    )


@program(
    id="zibo.child_rehabilitation_insurance",
    title="0—17岁脑瘫、残疾和孤独症儿童康复治疗费纳入居民医保支付",
    entity="person",
    kind="reimbursement",
    unit="CNY",
    clause="二（二）1",
    in_force="child_rehabilitation_insurance.amount",
    requires=gates.disability_or_diagnosis,
)
def child_rehabilitation_insurance(c: Ctx) -> Rule:
    """“将0—17岁脑瘫、残疾儿童和孤独症儿童符合规定的康复治疗费纳入城乡居民基本医疗保险支付范围”: a child under
    18 with `disability`, or diagnosed with cerebral palsy or autism (`diagnosis`), in resident insurance."""
    p = c.persons
    max_age = c.param("child_rehabilitation_insurance.max_age")
    end = c.birthday(max_age + 1)
    return Rule(
        conditions=[
            ("在世", c.alive),
            ("0—17岁", c.age <= max_age),
            ("脑瘫、残疾或孤独症儿童", p.disability | (p.diagnosis != c.DIAGNOSIS[None])),
            ("参加城乡居民基本医疗保险", p.medical_insurance == c.INSURANCE["resident"]),
        ],
        amount=c.param("child_rehabilitation_insurance.amount"),
        start=p.birth_date,
        end=end,
        facts={
            "who": lambda: np.where(
                p.diagnosis == c.DIAGNOSIS["cerebral_palsy"],
                "脑瘫儿童",
                np.where(p.diagnosis == c.DIAGNOSIS["autism"], "孤独症儿童", "残疾儿童"),
            )
        },
        explanation="{who}参加城乡居民基本医疗保险，符合规定的康复治疗费纳入城乡居民基本医疗保险支付范围，至{end}满18周岁止",
    )


# --- 二（四）1 降低生育成本 --------------------------------------------------------------------------------------


@program(
    id="zibo.extra_paternity_leave",
    title="增加配偶陪产假（鼓励）",
    entity="birth",
    kind="leave",
    unit="days",
    clause="二（四）1",
    in_force="extra_paternity_leave.days",
)
def extra_paternity_leave(c: Ctx) -> Rule:
    b, p = c.births, c.persons
    father = c.father_of[b.hh]
    f = np.maximum(father, 0)
    days = c.param("extra_paternity_leave.days", on=b.date)
    return Rule(
        conditions=[
            ("有父亲信息", father >= 0),
            ("父亲在世", c.alive[f]),
            ("父亲为用人单位职工", p.employment[f] == c.EMPLOYMENT["employee"]),
        ],
        amount=days,
        start=b.date,
        beneficiary=father,
        note="encouraged",
        explanation="子女于{start}出生，父亲为用人单位职工：在省规定的陪产假之外，方案鼓励有条件的单位再增加配偶陪产假"
        "{amount}天，期间视为出勤，工资照发，福利待遇不变（单位自愿给予，非强制）",
    )


@program(
    id="zibo.extra_parental_leave",
    title="增加育儿假（鼓励）",
    entity="person",
    kind="leave",
    unit="days/year",
    clause="二（四）1",
    in_force="extra_parental_leave.days_per_year",
)
def extra_parental_leave(c: Ctx) -> Rule:
    p = c.persons
    days = c.param("extra_parental_leave.days_per_year")
    limit = nan_to_num(c.param("extra_parental_leave.child_age_limit")).astype(np.int64)
    youngest = c.youngest_child_birth[p.hh]
    until = add_years(youngest, limit)
    return Rule(
        conditions=[
            ("是父母", c.is_parent),
            ("在世", c.alive),
            ("为用人单位职工", p.employment == c.EMPLOYMENT["employee"]),
            ("有3岁以下子女", c.as_of < until),
        ],
        amount=days,
        start=youngest,
        end=until,
        note="encouraged",
        explanation="本人为用人单位职工，最小子女{end}满3周岁前，方案鼓励有条件的单位为3岁以下婴幼儿父母每年各再增加育儿假"
        "{amount}天，期间视为出勤，工资照发，福利待遇不变（单位自愿给予，非强制）",
    )


@program(
    id="zibo.employee_delivery_reimbursement",
    title="职工住院分娩医疗费用报销",
    entity="birth",
    kind="reimbursement",
    unit="CNY",
    clause="二（四）1",
    in_force="employee_delivery_reimbursement.rate",
)
def employee_delivery_reimbursement(c: Ctx) -> Rule:
    b, p = c.births, c.persons
    mother = np.maximum(b.mother, 0)
    rate = c.param("employee_delivery_reimbursement.rate", on=b.date)
    cost = b.delivery_cost
    flexible = p.employment[mother] == c.EMPLOYMENT["flexible"]
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加职工基本医疗保险", p.medical_insurance[mother] == c.INSURANCE["employee"]),
            ("已填写医保政策范围内住院分娩医疗费用", ~np.isnan(cost)),
        ],
        amount=np.round(cost * rate / 100, 2),
        start=b.date,
        facts={
            "cost": cost,
            "rate": rate,
            "who": np.where(
                flexible,
                "母亲为个体灵活就业人员并参加职工基本医疗保险，按职工住院分娩报销政策执行",
                "母亲参加职工基本医疗保险",
            ),
        },
        explanation="{who}：{start}住院分娩，医保政策范围内医疗费用{cost}元按{rate}%比例报销，报销{amount}元",
    )


@program(
    id="zibo.resident_delivery_payment",
    title="城乡居民住院分娩医疗费用支付",
    entity="birth",
    kind="reimbursement",
    unit="CNY",
    clause="二（四）1",
    in_force="resident_delivery_payment.minimum",
    requires=gates.delivery_cost,
)
def resident_delivery_payment(c: Ctx) -> Rule:
    b, p = c.births, c.persons
    mother = np.maximum(b.mother, 0)
    minimum = c.param("resident_delivery_payment.minimum", on=b.date)
    cost = b.delivery_cost
    below = cost < minimum
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加城乡居民基本医疗保险", p.medical_insurance[mother] == c.INSURANCE["resident"]),
            ("已填写医保政策范围内住院分娩医疗费用", ~np.isnan(cost)),
        ],
        # A floor, not a cap: the payment is never below min(cost, minimum) (see the module's docstring).
        amount=np.minimum(cost, minimum),
        start=b.date,
        note="at least",
        facts={
            "cost": cost,
            "minimum": minimum,
            "paid": lambda: np.where(
                below,
                "实际发生医疗费用低于限额，据实结算，支付",
                "按城乡居民基本医疗保险政策规定支付，支付额不低于",
            ),
            "floor": lambda: np.where(below, "", "（文件只规定下限，实际支付额按医保政策结算，可能更高）"),
        },
        explanation="母亲参加城乡居民基本医疗保险，{start}住院分娩，医疗费用{cost}元（支付额下限{minimum}元），"
        "{paid}{amount}元{floor}",
    )


# --- 二（四）2 降低养育成本 --------------------------------------------------------------------------------------


@program(
    id="zibo.home_purchase_subsidy",
    title="多孩家庭购买新建商品住宅补贴",
    entity="household",
    kind="cash",
    unit="CNY",
    clause="二（四）2",
    in_force="home_purchase_subsidy.two_children_max",
    in_force_on="purchase_date",
)
def home_purchase_subsidy(c: Ctx) -> Rule:
    h = c.households
    when = h.purchase_date
    n = _children_by(c, when)
    window = c.param("housing_policy_window.open", on=when)
    cap = np.where(
        n >= 3,
        c.param("home_purchase_subsidy.three_children_max", on=when),
        c.param("home_purchase_subsidy.two_children_max", on=when),
    )
    return Rule(
        conditions=[
            ("有购房记录", ~np.isnat(when)),
            ("购买新建商品住宅", h.purchase_new_commercial),
            ("在住房保障政策规定期限内购房", window == 1),
            ("购房时为二孩及以上家庭", n >= 2),
        ],
        amount=cap,
        start=when,
        facts={"n": n, "tier": lambda: _tier(n)},
        explanation="购房时家庭有{n}个孩子，于{start}在规定期限内购买新建商品住宅，按{tier}家庭标准给予购房补贴，"
        "最高不超过{amount}元（具体金额按市住房保障政策核定）；文件未说明本项补贴与缴清契税后的购房补贴能否同时享受",
    )


@program(
    id="zibo.deed_tax_subsidy",
    title="多孩家庭购房契税补贴",
    entity="household",
    kind="cash",
    unit="CNY",
    clause="二（四）2",
    in_force="deed_tax_subsidy.two_children_share",
    in_force_on="purchase_date",
)
def deed_tax_subsidy(c: Ctx) -> Rule:
    h = c.households
    when = h.purchase_date
    n = _children_by(c, when)
    window = c.param("housing_policy_window.open", on=when)
    share = np.where(
        n >= 3,
        c.param("deed_tax_subsidy.three_children_share", on=when),
        c.param("deed_tax_subsidy.two_children_share", on=when),
    )
    tax = h.deed_tax_paid
    return Rule(
        conditions=[
            ("有购房记录", ~np.isnat(when)),
            ("购买新建商品住宅", h.purchase_new_commercial),
            ("在规定时间内购房", window == 1),
            ("购房时为二孩及以上家庭", n >= 2),
            ("已缴清契税", tax > 0),
        ],
        amount=np.round(tax * share / 100, 2),
        start=when,
        facts={"n": n, "tier": lambda: _tier(n), "tax": tax, "share": share},
        explanation="购房时家庭有{n}个孩子，于{start}购买新建商品住宅并缴清契税{tax}元，{tier}家庭按所缴契税总额的"
        "{share}%给予购房补贴{amount}元；文件未说明本项补贴与购买新建商品住宅的限额购房补贴能否同时享受",
    )


@program(
    id="zibo.housing_fund_loan_uplift",
    title="多孩家庭住房公积金贷款额度上浮",
    entity="household",
    kind="service",
    unit="percent",
    clause="二（四）2",
    in_force="housing_fund_loan_uplift.percent",
    in_force_on="purchase_date",
)
def housing_fund_loan_uplift(c: Ctx) -> Rule:
    h = c.households
    when = h.purchase_date
    n = _children_by(c, when)
    uplift = c.param("housing_fund_loan_uplift.percent", on=when)
    homes = c.param("housing_fund_loan_uplift.max_home_number", on=when)
    return Rule(
        conditions=[
            ("有购房记录", ~np.isnat(when)),
            ("购买首套或二套自住住房", (h.purchase_home_number >= 1) & (h.purchase_home_number <= homes)),
            ("购房时为二孩及以上家庭", n >= 2),
        ],
        amount=uplift,
        start=when,
        facts={"n": n, "home": h.purchase_home_number},
        explanation="购房时家庭有{n}个孩子，购买第{home}套自住住房，二孩及以上家庭住房公积金可贷额度上浮{amount}%",
    )


@program(
    id="zibo.housing_fund_rent_withdrawal",
    title="多孩家庭按实际房租提取住房公积金",
    entity="household",
    kind="service",
    unit="CNY/month",
    clause="二（四）2",
    in_force="housing_fund_rent_withdrawal.share",
    requires=gates.renting,
)
def housing_fund_rent_withdrawal(c: Ctx) -> Rule:
    h = c.households
    n = _children_by(c, c.as_of)
    share = c.param("housing_fund_rent_withdrawal.share")
    return Rule(
        conditions=[
            ("二孩及以上家庭", n >= 2),
            ("无自有住房", ~h.owns_home),
            ("租赁住房", h.renting),
        ],
        amount=np.round(h.monthly_rent * share / 100, 2),
        facts={"n": n},
        explanation="家庭有{n}个孩子，无自有住房且租赁住房，可按实际房租支出提取住房公积金，每月{amount}元",
    )


@program(
    id="zibo.public_rental_priority",
    title="多孩家庭公租房优先分配",
    entity="household",
    kind="priority",
    unit=None,
    clause="二（四）2",
    in_force="public_rental_priority.min_minor_children",
    requires=gates.housing_support,
)
def public_rental_priority(c: Ctx) -> Rule:
    h = c.households
    need = c.param("public_rental_priority.min_minor_children")
    return Rule(
        conditions=[
            ("符合公租房申请条件", h.public_rental_eligible),
            ("有未成年二孩及以上", c.n_minor_children >= need),
        ],
        facts={"n": c.n_minor_children},
        explanation="家庭符合公租房申请条件且有{n}个未成年子女，申请公租房时优先予以分配",
    )


@program(
    id="zibo.nursery_fee_subsidy",
    title="保育费补助",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（四）2",
    in_force="nursery_fee_subsidy.second_child",
)
def nursery_fee_subsidy(c: Ctx) -> Rule:
    """A monthly subsidy “对符合条件的托育服务机构入托的……婴幼儿”: it is paid while the child is enrolled, so it
    stops at the third birthday or from the month after the child leaves the registered nursery (the 托育
    registry's or the 教育 feed's leaving record, `care.left`), whichever comes first."""
    p = c.persons
    third = c.birthday(3)
    window = c.param("nursery_fee_subsidy.window_open")
    order = c.birth_order
    # the first day of the month after leaving (NaT: still enrolled), worked out for the children who left
    left = ~np.isnat(p.care_left)
    gone = np.flatnonzero(left)
    after_leaving = (p.care_left[gone].astype("datetime64[M]") + 1).astype("datetime64[D]")
    enrolled = ~left
    enrolled[gone] = c.as_of < after_leaving
    end = third
    earlier = after_leaving < third[gone]
    if earlier.any():
        end = third.copy()
        end[gone[earlier]] = after_leaving[earlier]
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("第二孩及以上", order >= 2),
            (
                "在符合条件（已备案）的托育服务机构入托",
                (p.care_type == c.CARE["nursery"]) & p.care_registered,
            ),
            ("在相关政策规定期限内", np.broadcast_to(window == 1, p.hh.shape)),
            ("未满3周岁", c.as_of < third),
            ("未离开托育机构（离托次月起停发）", enrolled),
        ],
        amount=np.where(
            order >= 3,
            c.param("nursery_fee_subsidy.third_child"),
            c.param("nursery_fee_subsidy.second_child"),
        ),
        start=p.birth_date,
        end=end,
        facts={
            "tier": lambda: _tier(order),
            "until": lambda: np.where(left & (end < third), "离托次月起停发", "满3周岁止"),
        },
        explanation="{tier}婴幼儿在已备案的托育服务机构入托，区县按每人每月{amount}元给予保育费补助，至{end}{until}",
    )


@program(
    id="zibo.county_childcare_allowance",
    title="区县育儿补贴（鼓励）",
    entity="household",
    kind="cash",
    unit="CNY",
    clause="二（四）2",
    in_force="county_childcare_allowance.amount",
)
def county_childcare_allowance(c: Ctx) -> Rule:
    """“鼓励各区县结合自身实际情况发放育儿补贴，具体补贴形式及标准由各区县自行确定”: the form, the standard and
    who gets it are the county's; a household raising minor children is told of it, with the county's figure where
    one is recorded (by_region) and none otherwise."""
    n = c.n_minor_children
    return Rule(
        conditions=[("有未成年子女", n >= 1)],
        amount=c.param("county_childcare_allowance.amount", regions=c.households.jurisdiction),
        note="encouraged",
        facts={"n": n},
        explanation="家庭有{n}名未成年子女：方案鼓励各区县结合自身实际情况发放育儿补贴，具体补贴形式及标准由各区县"
        "自行确定（是否发放以所在区县规定为准）",
    )


# --- 二（四）3 降低教育成本 --------------------------------------------------------------------------------------


@program(
    id="zibo.kindergarten_priority_third_child",
    title="三孩优先入普惠性幼儿园",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（四）3",
    citations=[(pack_document("zibo"), "二（三）2")],  # the ages: “满足当地3—6岁幼儿入园需求”
    in_force="kindergarten_priority_third_child.min_birth_order",
)
def kindergarten_priority_third_child(c: Ctx) -> Rule:
    order = c.param("kindergarten_priority_third_child.min_birth_order")
    entry = nan_to_num(c.param("kindergarten_priority_third_child.entry_age")).astype(np.int64)
    leaving = nan_to_num(c.param("kindergarten_priority_third_child.leaving_age")).astype(np.int64)
    end = c.birthday(leaving)
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("第三孩及以上", c.birth_order >= order),
            ("未到学龄（未满6周岁）", c.as_of < end),
        ],
        start=c.birthday(entry),
        end=end,
        facts={"birth_order": c.birth_order},
        note="encouraged",
        explanation="第{birth_order}孩，方案鼓励各区县优先保障三孩入普惠性幼儿园（按二（三）2“3—6岁幼儿入园”，"
        "自{start}起至{end}止）",
    )


@program(
    id="zibo.preschool_financial_aid",
    title="学前教育资助",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="二（四）3",
    in_force="plan.issued",
    requires=gates.in_kindergarten,
)
def preschool_financial_aid(c: Ctx) -> Rule:
    """“落实家庭经济困难儿童、孤儿和残疾儿童等学前教育资助制度”: a kindergarten child who is from a household in
    economic difficulty (低保 or 家庭经济困难), an orphan or disabled; the standard is the existing 资助 rules'."""
    p = c.persons
    needy = c.to_persons(c.households.low_income)

    def who():
        return np.where(p.orphan, "孤儿", np.where(p.disability, "残疾儿童", "家庭经济困难儿童"))

    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("在幼儿园就读", p.care_type == c.CARE["kindergarten"]),
            ("家庭经济困难儿童、孤儿或残疾儿童", needy | p.orphan | p.disability),
        ],
        amount=c.param("preschool_financial_aid.yearly"),
        facts={"who": who},
        explanation="{who}在幼儿园就读，落实学前教育资助制度",
    )


# --- 二（五） 计划生育特殊家庭 ----------------------------------------------------------------------------------


@program(
    id="zibo.special_family_ticket_waiver",
    title="计划生育特殊家庭旅游景点门票减免",
    entity="person",
    kind="waiver",
    unit=None,
    clause="二（五）1",
    in_force="special_family_ticket_waiver.min_age",
    requires=gates.special_family,
)
def special_family_ticket_waiver(c: Ctx) -> Rule:
    special, kind = _special_family(c)
    min_age = c.param("special_family_ticket_waiver.min_age")
    return Rule(
        conditions=[
            ("计划生育特殊家庭成员", special),
            ("在世", c.alive),
            ("年满60周岁", c.age >= min_age),
        ],
        start=c.birthday(min_age),
        facts={"kind": kind, "age": c.age, "min_age": min_age},
        explanation="计划生育特殊家庭（{kind}）成员，{age}岁（{min_age}岁以上），在政府兴办或支持的旅游景点执行门票减免政策",
    )


@program(
    id="zibo.special_family_health_check",
    title="计划生育特殊家庭健康查体",
    entity="person",
    kind="service",
    unit="CNY/year",
    clause="二（五）2",
    in_force="special_family_health_check.min_age",
    requires=gates.special_family,
)
def special_family_health_check(c: Ctx) -> Rule:
    special, kind = _special_family(c)
    min_age = c.param("special_family_health_check.min_age")
    return Rule(
        conditions=[
            ("计划生育特殊家庭成员", special),
            ("在世", c.alive),
            ("年满65周岁", c.age >= min_age),
        ],
        amount=c.param("special_family_health_check.standard"),
        start=c.birthday(min_age),
        facts={"kind": kind, "age": c.age, "min_age": min_age},
        explanation="计划生育特殊家庭（{kind}）成员，{age}岁（{min_age}岁以上），区县每年为其购买一次二级以上公立医院健康查体服务，"
        "具体标准由各区县自行研究确定",
    )


@program(
    id="zibo.special_family_medical_fee_waiver",
    title="计划生育特殊家庭就医费用减免",
    entity="person",
    kind="waiver",
    unit=None,
    clause="二（五）2",
    in_force="special_family_medical_fee_waiver.ordinary_waived",
    requires=gates.special_family,
)
def special_family_medical_fee_waiver(c: Ctx) -> Rule:
    special, kind = _special_family(c)
    ordinary = c.param("special_family_medical_fee_waiver.ordinary_waived")
    expert = c.param("special_family_medical_fee_waiver.expert_waived")
    return Rule(
        conditions=[
            ("计划生育特殊家庭成员", special),
            ("在世", c.alive),
        ],
        facts={"kind": kind, "ordinary": ordinary, "expert": expert},
        explanation="计划生育特殊家庭（{kind}）成员在市及区县定点医疗机构就医，免收普通门诊挂号费和诊查费（减免{ordinary}%），"
        "专家诊查费和大型设备检查费减半收取（减免{expert}%）",
    )


# --- 二（五） 计划生育家庭奖励扶助、特别扶助（国家制度的条件，cradle.policy.family_planning） -----------------------


@program(
    id="zibo.reward_assistance",
    title="计划生育家庭奖励扶助",
    entity="person",
    kind="cash",
    unit="CNY/year",
    clause="二（五）1",
    citations=[family_planning.REWARD_LAW],
    in_force="reward_assistance.yearly",
    requires=gates.certified_family,
)
def reward_assistance(c: Ctx) -> Rule:
    return family_planning.reward(
        c,
        amount="reward_assistance.yearly",
        sentence="{family}父母（{age}岁，{min_age}岁以上），继续实行现行计划生育奖励扶助制度，"
        "奖励扶助金由市及区县财政充分保障、及时足额发放",
    )


@program(
    id="zibo.special_assistance_bereaved",
    title="失独家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（五）1",
    citations=[family_planning.SPECIAL_LAW],
    in_force="special_assistance.bereaved_monthly",
    requires=gates.special_family,
)
def special_assistance_bereaved(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "bereaved",
        amount="special_assistance.bereaved_monthly",
        sentence="家庭为符合条件的失独家庭（女方{mother_age}岁，{min_age}岁以上），在世的{who}按月领取特别扶助金，"
        "由市及区县财政充分保障",
    )


@program(
    id="zibo.special_assistance_disabled",
    title="独生子女伤残家庭特别扶助金",
    entity="person",
    kind="cash",
    unit="CNY/month",
    clause="二（五）1",
    citations=[family_planning.SPECIAL_LAW],
    in_force="special_assistance.disabled_monthly",
    requires=gates.special_family,
)
def special_assistance_disabled(c: Ctx) -> Rule:
    return family_planning.special(
        c,
        "disabled_child",
        amount="special_assistance.disabled_monthly",
        sentence="家庭为独生子女伤（病）残家庭（女方{mother_age}岁，{min_age}岁以上），在世的{who}按月领取特别扶助金，"
        "由市及区县财政充分保障",
    )


@program(
    id="zibo.bereaved_lump_sum",
    title="失独家庭一次性抚慰（扶助）金",
    entity="household",
    kind="cash",
    unit="CNY",
    clause="二（五）2",
    in_force="bereaved_lump_sum.amount",
    requires=gates.special_family,
)
def bereaved_lump_sum(c: Ctx) -> Rule:
    """“对未享受到一次性抚慰（扶助）金的计划生育失独家庭，各区县及时稳妥处置”: the county sets the figure."""
    h = c.households
    return Rule(
        conditions=[
            ("失独家庭", h.special_family == SPECIAL_FAMILY["bereaved"]),
            ("未享受到一次性抚慰（扶助）金", ~h.lump_sum_received),
        ],
        amount=c.param("bereaved_lump_sum.amount", regions=h.jurisdiction),
        explanation="计划生育失独家庭尚未享受到一次性抚慰（扶助）金，由所在区县及时稳妥处置（标准由区县确定）",
    )


@program(
    id="zibo.special_family_hospital_care_insurance",
    title="计划生育特殊家庭住院护理补贴保险",
    entity="person",
    kind="service",
    unit=None,
    clause="二（五）2",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_hospital_care_insurance(c: Ctx) -> Rule:
    member, kind = family_planning.special_member(c)
    return Rule(
        conditions=[("是父母", c.is_parent), ("计划生育特殊家庭成员", member)],
        facts={"kind": kind},
        explanation="计划生育特殊家庭（{kind}）夫妻纳入住院护理补贴保险制度，由各区县落实",
    )


@program(
    id="zibo.special_family_care_home_priority",
    title="计划生育特殊家庭成员优先入住公办养老机构",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（五）2",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_care_home_priority(c: Ctx) -> Rule:
    return family_planning.care_home_priority(
        c,
        sentence="计划生育特殊家庭老年人（{age}岁，{min_age}岁以上），优先安排入住各区县指定的公办养老机构，"
        "享受免费或者低收费托养服务",
    )


@program(
    id="zibo.special_family_housing_priority",
    title="计划生育特殊家庭住房困难优先纳入住房保障",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（五）2",
    in_force="plan.issued",
    requires=(gates.special_family, gates.housing_support),
)
def special_family_housing_priority(c: Ctx) -> Rule:
    return family_planning.housing_priority(
        c, sentence="计划生育特殊家庭（{kind}）成员住房困难，优先纳入住房保障"
    )


@program(
    id="zibo.special_family_social_assistance",
    title="计划生育特殊家庭成员纳入救助保障",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（五）2",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_social_assistance(c: Ctx) -> Rule:
    return family_planning.social_assistance(
        c,
        sentence="计划生育特殊家庭（{kind}）成员符合低保、特困人员救助供养等条件，及时纳入相应救助保障范围和关爱服务体系",
    )


@program(
    id="zibo.special_family_assisted_reproduction_help",
    title="计划生育特殊家庭再生育辅助生殖帮助",
    entity="person",
    kind="service",
    unit=None,
    clause="二（五）2",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_assisted_reproduction_help(c: Ctx) -> Rule:
    member, kind = family_planning.special_member(c)
    return Rule(
        conditions=[
            ("是母亲", c.persons.relation == c.RELATION["mother"]),
            ("计划生育特殊家庭成员", member),
            ("确需实施辅助生殖技术", c.persons.assisted_reproduction),
        ],
        facts={"kind": kind},
        explanation="计划生育特殊家庭（{kind}）科学指导再生育，确需实施辅助生殖技术的，给予必要的帮助",
    )


@program(
    id="zibo.special_family_adoption_help",
    title="计划生育特殊家庭收养登记",
    entity="person",
    kind="service",
    unit=None,
    clause="二（五）2",
    in_force="plan.issued",
    requires=gates.special_family,
)
def special_family_adoption_help(c: Ctx) -> Rule:
    member, kind = family_planning.special_member(c)
    return Rule(
        conditions=[("是父母", c.is_parent), ("计划生育特殊家庭成员", member)],
        facts={"kind": kind},
        explanation="计划生育特殊家庭（{kind}）夫妻有收养意愿、符合收养条件的，依法办理收养登记",
    )


@program(
    id="zibo.jinhui_volunteer_priority",
    title="“金晖助老”志愿者优先服务农村计划生育家庭老年人",
    entity="person",
    kind="priority",
    unit=None,
    clause="二（五）3",
    in_force="jinhui_volunteer_priority.min_age",
    requires=gates.planned_family,
)
def jinhui_volunteer_priority(c: Ctx) -> Rule:
    h, p = c.households, c.persons
    min_age = c.param("jinhui_volunteer_priority.min_age")
    family = h.only_child_certificate | h.rural_two_daughters | (h.special_family != SPECIAL_FAMILY[None])
    return Rule(
        conditions=[
            ("是父母", c.is_parent),
            ("在世", c.alive),
            ("计划生育家庭", c.to_persons(family)),
            ("农村户籍", p.hukou_type == HUKOU_TYPE["rural"]),
            ("年满65周岁", c.age >= min_age),
        ],
        start=c.birthday(min_age),
        facts={"age": c.age, "min_age": min_age},
        explanation="农村计划生育家庭老年人（{age}岁，{min_age}岁以上），“金晖助老”青年志愿者优先为其服务",
    )


# --- 二（三）1 托育机构 ------------------------------------------------------------------------------------------


@program(
    id="zibo.nursery_construction_subsidy",
    title="普惠性托育机构一次性建设补贴",
    entity="facility",
    kind="cash",
    unit="CNY",
    clause="二（三）1",
    in_force="nursery_construction_subsidy.per_slot",
)
def nursery_construction_subsidy(c: Ctx) -> Rule:
    f = c.facilities
    per_slot = c.param("nursery_construction_subsidy.per_slot")
    slots = np.asarray(f.inclusive_slots, dtype=float)
    return Rule(
        conditions=[
            ("位于淄博市", c.within_pack(f.jurisdiction)),
            ("普惠性托育机构", f.inclusive),
            ("已备案", f.registered),
            ("有普惠托位", slots > 0),
        ],
        amount=per_slot * slots,
        facts={"per_slot": per_slot},
        explanation="已备案的普惠性托育机构，普惠托位{inclusive_slots}个，按每个托位{per_slot}元标准给予一次性建设补贴{amount}元",
    )


@program(
    id="zibo.demo_nursery_award",
    title="市级示范托育机构一次性奖励补助",
    entity="facility",
    kind="cash",
    unit="CNY",
    clause="二（三）1",
    in_force="demo_nursery_award.amount",
)
def demo_nursery_award(c: Ctx) -> Rule:
    f = c.facilities
    award = c.param("demo_nursery_award.amount")
    return Rule(
        conditions=[
            ("位于淄博市", c.within_pack(f.jurisdiction)),
            ("为市级具有示范引领作用的托育服务机构", f.demonstration),
        ],
        amount=award,
        explanation="市级具有示范引领作用的托育服务机构，由市财政按每个{amount}元给予一次性奖励补助",
    )
