"""National layer: rules every jurisdiction builds on. Their texts are not loaded yet, so every value is
verified: false and every explanation says 待核实. The local documents that restate a national rule are cited
beside it (through their packs): each of the five restates the 个税 deduction and the 生育津贴."""

from __future__ import annotations

from functools import cache

import numpy as np

from cradle.policy import leave
from cradle.policy.dates import add_days, months_between
from cradle.policy.program import Ctx, Rule, nan_to_num, pack_document, program

# “落实3岁以下婴幼儿照护个人所得税专项附加扣除” and the like, in each document
TAX_DEDUCTION_RESTATED = [
    (pack_document("luhe"), "促进支持政策优惠减免"),
    (pack_document("shaoxing"), "（三）"),
    (pack_document("baiyin"), "二、16"),
    (pack_document("zibo"), "二（四）2"),
    (pack_document("sx"), "二（四）16"),
]
# “生育津贴待遇保障”, “参保女职工按规定享受生育津贴” and the like
MATERNITY_ALLOWANCE_RESTATED = [
    (pack_document("luhe"), "促进福利待遇健全完善"),
    (pack_document("shaoxing"), "（四）"),
    (pack_document("baiyin"), "二、14"),
    (pack_document("zibo"), "二（四）1"),
    (pack_document("sx"), "二（四）15"),
]

# After the national rules are in force, a birth's leave days are unknown only where a province's figure that
# replaces a national one was not yet in force at the birth (Guangdong's 30 days for dystocia, from 2016).
DAYS_KNOWN = "生育时适用的产假天数已有规定"
# What the sentence says of a dystocia, by the birth's flag: picked by index (NumPy's `where` over text costs
# several microseconds a call whatever the length)
DYSTOCIA = np.array(["", "，难产"])


def extension_days(c: Ctx) -> np.ndarray:
    """Per birth: the province's extra maternity leave in force at the birth (0 where none is known), for
    births within the province's policy (its `policy.max_birth_order`, when it sets one)."""
    b = c.births
    order = c.delivery_order
    first = c.layered("maternity_leave_extension.first_child_days", on=b.date, hh=b.hh)
    later = c.layered("maternity_leave_extension.later_child_days", on=b.date, hh=b.hh)
    limit = c.layered("policy.max_birth_order", on=b.date, hh=b.hh)
    within = np.isnan(limit) | (order <= nan_to_num(limit))
    return np.where(within, nan_to_num(np.where(order >= 2, later, first)), 0)


@program(
    id="cn.maternity_leave",
    title="产假",
    entity="birth",
    kind="leave",
    unit="days",
    # 山西 二（四）14 “女方在享受国家及本省规定产假的基础上”
    citations=[("女职工劳动保护特别规定", "第七条"), (pack_document("sx"), "二（四）14")],
    in_force="maternity_leave.base_days",
)
def maternity_leave(c: Ctx) -> Rule:
    b = c.births
    mother = np.maximum(b.mother, 0)
    days = leave.national_days(c)
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲为职工", c.persons.employment[mother] == c.EMPLOYMENT["employee"]),
            (DAYS_KNOWN, ~np.isnan(days)),
        ],
        amount=days,
        start=b.date,
        end=add_days(b.date, days),
        facts={"babies": b.babies, "dystocia": lambda: DYSTOCIA[b.dystocia.astype(np.intp)]},
        explanation="女职工生育享受产假{amount}天（基本98天{dystocia}，生育{babies}个婴儿），自{start}起，{end}返岗",
    )


@program(
    id="cn.maternity_allowance",
    title="生育津贴",
    entity="birth",
    kind="cash",
    unit="CNY",
    citations=[("社会保险法", "第五十六条"), *MATERNITY_ALLOWANCE_RESTATED],
    in_force="maternity_leave.base_days",
)
def maternity_allowance(c: Ctx) -> Rule:
    b = c.births
    p = c.persons
    mother = np.maximum(b.mother, 0)
    days = leave.national_days(c) + extension_days(c)
    wage = p.employer_avg_monthly_wage[mother]
    amount = np.round(wage / c.param("maternity_allowance.days_per_month") * days, 2)
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲参加生育保险", p.maternity_insurance[mother]),
            (DAYS_KNOWN, ~np.isnan(days)),
            ("已知用人单位上年度职工月平均工资", ~np.isnan(wage)),
        ],
        amount=amount,
        start=b.date,
        end=add_days(b.date, days),
        facts={"wage": wage, "days": days},
        explanation="母亲参加生育保险，按用人单位上年度职工月平均工资{wage}元÷30×产假{days}天计发生育津贴{amount}元",
    )


@program(
    id="cn.infant_care_tax_deduction",
    title="3岁以下婴幼儿照护个人所得税专项附加扣除",
    entity="person",
    kind="deduction",
    unit="CNY/month",
    citations=[("国发〔2022〕8号", "全文"), ("国发〔2023〕13号", "全文"), *TAX_DEDUCTION_RESTATED],
    in_force="infant_care_tax_deduction.monthly",
)
def infant_care_tax_deduction(c: Ctx) -> Rule:
    p = c.persons
    third = c.birthday(3)
    monthly = c.param("infant_care_tax_deduction.monthly")
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("未满3周岁", c.age < 3),
        ],
        amount=monthly,
        start=p.birth_date,
        end=third,
        explanation="子女未满3周岁，父母可按每孩每月{amount}元标准扣除（一方全额或双方各50%），至{end}满3周岁止",
    )


@program(
    id="cn.childcare_subsidy",
    title="国家育儿补贴",
    entity="person",
    kind="cash",
    unit="CNY/year",
    citations=[("育儿补贴制度实施方案", "全文")],
    in_force="childcare_subsidy.yearly",
)
def childcare_subsidy(c: Ctx) -> Rule:
    p = c.persons
    limit = c.param("childcare_subsidy.age_limit")
    end = c.birthday(limit)
    start = np.maximum(p.birth_date, c.in_force_from)  # the months counted in the explanation
    yearly = c.param("childcare_subsidy.yearly")
    # the months counted, for the explanation: worked out once, when written, for both figures that name them
    months = cache(lambda: months_between(start, end))
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", c.alive),
            ("未满3周岁", c.as_of < end),
        ],
        amount=yearly,
        start=start,
        end=end,
        facts={"months": months, "total": lambda: yearly / 12 * months()},
        explanation="3周岁以下婴幼儿按每孩每年{amount}元发放育儿补贴，自{start}至{end}满3周岁共{months}个月，合计{total}元",
    )
