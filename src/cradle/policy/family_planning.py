"""Family-planning families' support: 奖励扶助, 特别扶助 and the special families' help, one rule each for every pack.

The documents continue the national systems without restating their conditions (“继续实行现行各项奖励扶助制度”,
“对符合条件的……”), so the conditions are the national ones, read from the national layer's parameters
(`cn/parameters.yaml`, verified: false until the texts are loaded): 农村部分计划生育家庭奖励扶助制度
(国办发〔2004〕21号) and 计划生育家庭特别扶助制度 (国人口发〔2007〕78号). Amounts are each pack's own parameter.

- 奖励扶助: a parent, alive, with the hukou inside the pack's region (who moved away leaves the list), of an
  only-child family (独生子女父母光荣证, issued before 全面两孩) or a rural two-daughter family, with no child born
  since 全面两孩, aged 60 or more.
- 特别扶助: a parent, alive, with the hukou inside the pack's region, of a 失独 family (no living child, none born
  or adopted since) or of a family whose only child is disabled (grade 3 or worse where a grade is given; no
  other living child); the mother 49 or more.
- The special families' help (`special_member`): every living member of a household marked `special_family`.

A pack's program is one call: `return family_planning.reward(c, amount="reward_assistance.yearly", sentence=…)`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cradle.policy.population import HUKOU_TYPE, SPECIAL_FAMILY
from cradle.policy.program import Ctx, Rule

REWARD_LAW = ("农村部分计划生育家庭奖励扶助制度（国办发〔2004〕21号）", "全文")
SPECIAL_LAW = ("计划生育家庭特别扶助制度（国人口发〔2007〕78号）", "全文")
KINDS = {"bereaved": "失独家庭", "disabled_child": "独生子女伤残家庭"}


def _national(c: Ctx, key: str) -> np.ndarray:
    """Per person: a national-rule figure (a lower layer may replace it). Read at rows only, never written:
    one figure for every household (a county's partition) is a read-only view of it, not a column filled."""
    per_household = c.layered(f"family_planning.{key}")
    if len(per_household) > 1 and (per_household == per_household[0]).all():
        return np.broadcast_to(per_household[:1], (len(c.persons),))
    return c.to_persons(per_household)


def two_child_policy(c: Ctx) -> np.ndarray:
    """Per household: the day 全面两孩 took effect."""
    return c.layered("family_planning.two_child_policy_from").astype("datetime64[D]")


def _born_since(c: Ctx, day: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """At person rows: their household has a child (living or not, born or adopted) born on or after `day` (per
    household)."""
    p = c.persons
    is_child, hh = c.is_child, p.hh
    if len(day) > 1 and (day == day[0]).all():  # one day for every household (a county's): compared as it is
        one = day[0]

        def since(m: np.ndarray) -> np.ndarray:
            return is_child[m] & (p.birth_date[m] >= one)
    else:

        def since(m: np.ndarray) -> np.ndarray:
            return is_child[m] & (p.birth_date[m] >= day[hh[m]])

    def born_since(rows: np.ndarray) -> np.ndarray:
        return c.count_members(hh[rows], since) > 0

    return born_since


def reward(c: Ctx, *, amount: str, sentence: str, note: str | None = None) -> Rule:
    """奖励扶助 for each parent; `amount` the pack's parameter, `sentence` the explanation (facts: family, age,
    min_age)."""
    h, p = c.households, c.persons
    cutoff = two_child_policy(c)
    min_age = _national(c, "reward_min_age")
    certified_before = np.isnat(h.certificate_date) | (h.certificate_date < cutoff)
    only = h.only_child_certificate & certified_before
    two_daughters = h.rural_two_daughters & ~h.only_child_certificate
    born_since = _born_since(c, cutoff)
    hh, age = p.hh, c.age
    return Rule(
        conditions=[
            ("是父母", c.is_parent),
            ("在世", c.alive),
            ("户籍在本地", c.within_pack()),
            (
                "独生子女家庭或农村二女户家庭",
                c.of_household(h.only_child_certificate | h.rural_two_daughters),
            ),
            ("独生子女父母光荣证于全面两孩政策实施前领取", c.of_household(only | two_daughters)),
            ("全面两孩政策实施后未再生育", lambda rows: ~born_since(rows)),
            (
                "二女户为农村户籍",
                lambda rows: ~(two_daughters[hh[rows]] & (p.hukou_type[rows] == HUKOU_TYPE["urban"])),
            ),
            ("年满60周岁", lambda rows: age[rows] >= min_age[rows]),
        ],
        amount=c.param(amount),
        start=c.birthday_at(min_age),
        note=note,
        facts={
            "family": lambda: c.to_persons(np.where(only, "独生子女家庭", "农村计划生育双女家庭")),
            "age": c.age,
            "min_age": min_age,
        },
        explanation=sentence,
    )


def _grade_ok(c: Ctx, max_grade: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """At household rows: a disabled child's grade is three or worse (一级 is the worst), or no grade is given
    (the family's certification as 伤残家庭 stands for it); `max_grade` per person."""
    p = c.persons
    is_child = c.is_child

    def ok(households: np.ndarray) -> np.ndarray:
        def graded(m: np.ndarray) -> np.ndarray:
            return is_child[m] & p.disability[m] & (p.disability_grade[m] > 0)

        return (c.count_members(households, graded) == 0) | (
            c.count_members(households, lambda m: graded(m) & (p.disability_grade[m] <= max_grade[m])) > 0
        )

    return ok


def special(c: Ctx, kind: str, *, amount: str, sentence: str) -> Rule:
    """特别扶助 for each parent of a `kind` family (`bereaved` or `disabled_child`); `sentence` over the facts who,
    mother_age, min_age."""
    h, p = c.households, c.persons
    is_child, alive, hh, age = c.is_child, c.alive, p.hh, c.age
    mother = c.mother_of
    min_age = _national(c, "special_mother_min_age")

    def living(m: np.ndarray) -> np.ndarray:
        return is_child[m] & alive[m]

    conditions = [
        ("是父母", c.is_parent),
        ("在世", c.alive),
        ("户籍在本地", c.within_pack()),
        (KINDS[kind], c.of_household(h.special_family == SPECIAL_FAMILY[kind])),
    ]
    if kind == "bereaved":
        conditions.append(
            ("独生子女死亡后未再生育或收养子女", lambda rows: c.count_members(hh[rows], living) == 0)
        )
    else:
        grade_ok = _grade_ok(c, _national(c, "special_max_disability_grade"))
        conditions += [
            ("独生子女伤残等级达到三级以上", lambda rows: grade_ok(hh[rows])),
            (
                "未再生育或收养其他子女",
                lambda rows: c.count_members(hh[rows], lambda m: living(m) & ~p.disability[m]) == 0,
            ),
        ]

    def mother_age_at(rows: np.ndarray) -> np.ndarray:
        at = mother[hh[rows]]
        return np.where(at >= 0, age[np.maximum(at, 0)], -1)

    conditions.append(("女方年满49周岁", lambda rows: mother_age_at(rows) >= min_age[rows]))
    return Rule(
        conditions=conditions,
        amount=c.param(amount),
        facts={
            "who": lambda: np.where(p.female, "母亲", "父亲"),
            "mother_age": lambda: mother_age_at(np.arange(len(hh))),
            "min_age": min_age,
        },
        explanation=sentence,
    )


def special_member(c: Ctx) -> tuple[np.ndarray, Callable[[], np.ndarray]]:
    """Per person: a living member of a 计划生育特殊家庭, and which kind (a fact for the explanation)."""
    family = c.households.special_family

    def kind() -> np.ndarray:
        code = c.to_persons(family)
        return np.where(code == SPECIAL_FAMILY["bereaved"], KINDS["bereaved"], KINDS["disabled_child"])

    member = np.zeros(len(c.persons), dtype=bool)
    rows = c.members_of(np.flatnonzero(family != SPECIAL_FAMILY[None]))  # a few households in a thousand
    member[rows] = c.alive[rows]
    return member, kind


def special_elder(c: Ctx) -> tuple[np.ndarray, np.ndarray]:
    """Per person: a living special-family member aged 60 or more (老年人), and the age limit."""
    member, _ = special_member(c)
    min_age = _national(c, "elderly_min_age")
    rows = np.flatnonzero(member)
    member[rows] = c.age[rows] >= min_age[rows]
    return member, min_age


def care_home_priority(c: Ctx, *, sentence: str) -> Rule:
    """Special-family elders: priority entry to a public care home, free or low-fee (facts age, min_age)."""
    elder, min_age = special_elder(c)
    return Rule(
        conditions=[("计划生育特殊家庭老年人（年满60周岁）", elder)],
        facts={"age": c.age, "min_age": min_age},
        explanation=sentence,
    )


def housing_priority(c: Ctx, *, sentence: str) -> Rule:
    """Special-family members with housing difficulty (the household meets the local 住房保障 conditions):
    priority for 住房保障 (fact kind)."""
    member, kind = special_member(c)
    return Rule(
        conditions=[
            ("计划生育特殊家庭成员", member),
            ("住房困难（符合当地住房保障条件）", c.of_household(c.households.public_rental_eligible)),
        ],
        facts={"kind": kind},
        explanation=sentence,
    )


def social_assistance(c: Ctx, *, sentence: str) -> Rule:
    """Special-family members meeting the 低保 / 特困 conditions (`low_income`): brought into that protection."""
    member, kind = special_member(c)
    return Rule(
        conditions=[
            ("计划生育特殊家庭成员", member),
            ("符合最低生活保障或特困人员救助供养条件", c.of_household(c.households.low_income)),
        ],
        facts={"kind": kind},
        explanation=sentence,
    )


def nursing_allowance(c: Ctx, *, amount: str, sentence: str) -> Rule:
    """Special-family elders long unable to care for themselves and in economic difficulty: 护理补贴, the figure
    the county sets (`amount`, per county; facts age, min_age)."""
    elder, min_age = special_elder(c)
    return Rule(
        conditions=[
            ("计划生育特殊家庭老年人（年满60周岁）", elder),
            ("生活长期不能自理", lambda rows: c.persons.cannot_self_care[rows]),
            ("经济困难", c.of_household(c.households.low_income)),
        ],
        amount=c.param(amount, regions=c.jurisdiction),
        facts={"age": c.age, "min_age": min_age},
        explanation=sentence,
    )
