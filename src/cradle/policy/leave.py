"""Provincial leave layers share one shape; the provinces differ in their figures and their regulation.

A province's pack defines the parameters (any it lacks, its programs do not use):
    maternity_leave_extension.first_child_days / .later_child_days   extra maternity leave (also read by the
                                                                     national 生育津贴 through `c.layered`)
    paternity_leave.days                                              the father's leave (护理假/陪产假)
    parental_leave.days_per_year [, parental_leave.child_age_limit]  each parent, child under the limit (3)
    only_child_parent_care_leave.days[_per_year]                      the only child's leave to care for parents
    policy.max_birth_order                                            births "符合政策规定" (three-child policy)
and each program is one line: `return leave.paternity(c, law="…")`. `law` names the regulation in the sentence.
The program declares when it is in force with the parameter the function reads (IN_FORCE), e.g.
`@program(..., in_force=leave.IN_FORCE["paternity"])`: the engine judges a birth's leave on the birth's date.
"""

from __future__ import annotations

import numpy as np

from cradle.policy.dates import NAT, add_days, add_years
from cradle.policy.program import Ctx, Rule, nan_to_num

NO_DAY = np.iinfo(np.int64).min
# What the sentence calls a parent, by whether the parent is the mother: picked by index (NumPy's `where` over
# text costs several times a pick)
ROLE = np.array(["父亲", "母亲"])
_FEW = 16  # persons (one household's members) worked out in Python rather than through NumPy's calls
# The parameter each function's program is in force from.
IN_FORCE = {
    "extension": "maternity_leave_extension.first_child_days",
    "paternity": "paternity_leave.days",
    "parental": "parental_leave.days_per_year",
    "employer_allowance": "childcare_fee_allowance.monthly",
}


def national_days(c: Ctx) -> np.ndarray:
    """Per birth: national maternity-leave days in force at the birth (98, + dystocia, + each extra baby),
    each figure layered so that a province replacing one (Guangdong: 30 days for dystocia) wins."""
    return c.memo("national_leave_days", lambda: _national_days(c), across_packs=True)


def _national_days(c: Ctx) -> np.ndarray:
    b = c.births
    base = c.layered("maternity_leave.base_days", on=b.date, hh=b.hh)
    dystocia = c.layered("maternity_leave.dystocia_days", on=b.date, hh=b.hh)
    extra = c.layered("maternity_leave.extra_baby_days", on=b.date, hh=b.hh)
    return base + np.where(b.dystocia, dystocia, 0) + (b.babies - 1) * extra


def in_policy(c: Ctx, order: np.ndarray, on=None) -> np.ndarray:
    """Births within the province's policy (`policy.max_birth_order`); every birth where it sets none."""
    if not c.has_param("policy.max_birth_order"):
        return np.ones(np.shape(order), dtype=bool)
    return order <= nan_to_num(c.param("policy.max_birth_order", on=on), nan=-1)


def _days(days) -> np.ndarray:
    return nan_to_num(days).astype(np.int64)


def extension(c: Ctx, *, law: str) -> Rule:
    """Extra maternity leave, taken after the national leave."""
    b, p = c.births, c.persons
    mother = np.maximum(b.mother, 0)
    order = c.delivery_order
    days = np.where(
        order >= 2,
        c.param("maternity_leave_extension.later_child_days", on=b.date),
        c.param("maternity_leave_extension.first_child_days", on=b.date),
    )
    national = national_days(c)
    start = add_days(b.date, _days(national))
    return Rule(
        conditions=[
            ("有母亲信息", b.mother >= 0),
            ("母亲为职工", p.employment[mother] == c.EMPLOYMENT["employee"]),
            ("符合政策规定生育", in_policy(c, order, on=b.date)),
        ],
        amount=days,
        start=start,
        end=add_days(start, days),
        facts={"order": order, "national": national, "law": law},
        explanation="第{order}孩符合政策规定生育，女方在国家规定产假{national}天的基础上，按{law}延长产假{amount}天，"
        "自{start}起，{end}返岗",
    )


def paternity(c: Ctx, *, law: str, name: str = "护理假") -> Rule:
    """The father's leave from the birth, for a living father who is an employee."""
    b, p = c.births, c.persons
    father = c.father_of[b.hh]
    f = np.maximum(father, 0)
    order = c.delivery_order
    days = c.param("paternity_leave.days", on=b.date)
    return Rule(
        conditions=[
            ("有父亲信息", father >= 0),
            ("父亲在世", c.alive[f]),
            ("父亲为职工", p.employment[f] == c.EMPLOYMENT["employee"]),
            ("符合政策规定生育", in_policy(c, order, on=b.date)),
        ],
        amount=days,
        start=b.date,
        end=add_days(b.date, days),
        beneficiary=father,
        facts={"order": order, "law": law, "name": name},
        explanation="第{order}孩符合政策规定生育，男方为职工，按{law}享受{name}{amount}天，自{start}起，{end}返岗",
    )


def _young_children(c: Ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per household: living children under the age limit and born within the policy, the first such child's
    birth date and the day the youngest reaches the limit (NaT without such a child)."""
    p = c.persons
    limit = (
        nan_to_num(c.param("parental_leave.child_age_limit"), nan=3).astype(np.int64)
        if c.has_param("parental_leave.child_age_limit")
        else 3
    )
    until = c.birthday(limit)
    # the few persons under the limit first, then the other tests on them alone
    young = np.flatnonzero(c.as_of < until)
    young = young[c.is_child[young] & c.alive[young] & ~np.isnat(p.birth_date[young])]
    young = young[in_policy(c, c.birth_order[young])]
    if len(p.hh) <= _FEW:  # a household's members: the same per household in Python
        return _young_children_few(p.hh, young, p.birth_date, until, len(c.households))
    hh = p.hh[young]
    count = np.bincount(hh, minlength=len(c.households))
    last = np.full(len(c.households), NO_DAY, dtype=np.int64)
    first = np.full(len(c.households), np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(last, hh, until[young].astype(np.int64))
    np.minimum.at(first, hh, p.birth_date[young].astype(np.int64))
    first[count == 0] = NO_DAY  # NaT's day number
    return count, first.view("datetime64[D]"), last.view("datetime64[D]")


def _young_children_few(
    person_hh: np.ndarray, young: np.ndarray, birth: np.ndarray, until: np.ndarray, n_households: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_young_children's per-household count, first birth date and last day under the limit, for a few
    persons: the same arrays without the masks and `ufunc.at`."""
    count: dict[int, int] = {}
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    hh_of = person_hh.tolist()
    rows = young.tolist()
    for row, born, ends in zip(
        rows, birth[young].astype(np.int64).tolist(), until[young].astype(np.int64).tolist(), strict=True
    ):
        hh = hh_of[row]
        count[hh] = count.get(hh, 0) + 1
        first[hh] = min(first.get(hh, born), born)
        last[hh] = max(last.get(hh, ends), ends)
    households = range(n_households)
    n = np.array([count.get(hh, 0) for hh in households], dtype=np.int64)
    start = np.array([first.get(hh, NO_DAY) for hh in households], dtype=np.int64).view("datetime64[D]")
    end = np.array([last.get(hh, NO_DAY) for hh in households], dtype=np.int64).view("datetime64[D]")
    return n, start, end


def _parent_rule(
    c: Ctx, key: str, facts: dict, explanation: str, note: str | None = None, encouraged: bool = False
) -> Rule:
    p = c.persons
    count, first, last = c.memo(
        "young_children", lambda: _young_children(c)
    )  # 育儿假 and 保教费: the same children
    hh = p.hh
    return Rule(
        conditions=[
            ("是父母", c.is_parent),
            ("在世", c.alive),
            ("为职工（由所在单位给予）", p.employment == c.EMPLOYMENT["employee"]),
            # the household's children, read at the parents still qualifying (a batch's few)
            ("有符合政策规定生育且未满3周岁的子女", lambda rows: count[hh[rows]] > 0),
        ],
        amount=c.param(key),
        start=lambda rows: first[hh[rows]],
        end=lambda rows: last[hh[rows]],
        note=note,
        encouraged=encouraged,
        facts={
            "n": lambda: count[hh],
            "role": lambda: ROLE[(p.relation == c.RELATION["mother"]).astype(np.intp)],
            **facts,
        },
        explanation=explanation,
    )


def parental(c: Ctx, *, law: str) -> Rule:
    """Each employed parent's yearly leave while a child is under the age limit."""
    return _parent_rule(
        c,
        IN_FORCE["parental"],
        {"law": law},
        "家中有{n}名不满3周岁的子女，{role}按{law}每年享受育儿假{amount}天，至{end}最小子女满3周岁止",
    )


def employer_allowance(c: Ctx, *, law: str) -> Rule:
    """The monthly 婴幼儿保教费 an employer may pay each parent while a child is under 3."""
    return _parent_rule(
        c,
        IN_FORCE["employer_allowance"],
        {"law": law},
        "家中有{n}名不满3周岁的子女，按{law}，{role}所在单位可以每月发放不低于{amount}元的婴幼儿保教费"
        "（由单位决定，非强制），至{end}最小子女满3周岁止",
        note="at least",  # “不低于”: the amount is a floor
        encouraged=True,
    )


def infant(c: Ctx, years: int) -> tuple[np.ndarray, np.ndarray]:
    """Per person: the birth date of the youngest living child in the household under `years` on the as-of date
    and the day it reaches that age (NaT where there is none), for 哺乳: the mother of such a child nurses it."""
    born, until = infant_by_household(c, years)
    return c.to_persons(born), c.to_persons(until)


def infant_by_household(c: Ctx, years: int) -> tuple[np.ndarray, np.ndarray]:
    """`infant` per household. Only children born within the last `years` years and a day can be that young,
    so the birthdays are worked out on those few rows (a batch has a child under one in about one household in
    a hundred)."""
    p = c.persons
    recent = np.flatnonzero(
        c.is_child & c.alive & (p.birth_date > c.as_of - np.timedelta64(366 * years + 1, "D"))
    )
    young = recent[c.as_of < add_years(p.birth_date[recent], years)]
    last = np.full(len(c.households), NO_DAY, dtype=np.int64)
    np.maximum.at(last, p.hh[young], p.birth_date[young].astype(np.int64))
    born = np.where(last == NO_DAY, NAT.astype(np.int64), last).astype("datetime64[D]")
    return born, add_years(born, years)


_TWO_CHILD_POLICY = np.datetime64("2016-01-01", "D")


def only_child_care(c: Ctx, *, law: str, key: str = "only_child_parent_care_leave.days") -> Rule:
    """The only child's leave to care for the parents: an adult, employed child of a household holding the
    独生子女父母光荣证 (a declared status, issued before 全面两孩 on 2016-01-01), with a living parent."""
    p = c.persons
    is_parent, alive, age, hh = c.is_parent, c.alive, c.age, p.hh
    return Rule(
        conditions=[
            ("是子女", c.is_child),
            ("在世", alive),
            ("已成年", lambda rows: age[rows] >= 18),
            ("家庭持有独生子女父母光荣证", c.of_household(c.households.only_child_certificate)),
            ("出生于全面两孩政策调整（2016-01-01）前", lambda rows: p.birth_date[rows] < _TWO_CHILD_POLICY),
            ("本人为职工（由所在单位给予）", lambda rows: p.employment[rows] == c.EMPLOYMENT["employee"]),
            ("父母在世", lambda rows: c.count_members(hh[rows], lambda m: is_parent[m] & alive[m]) > 0),
        ],
        amount=c.param(key),
        facts={"law": law},
        explanation="独生子女本人为职工，父母患病住院等需要照料时，按{law}享受独生子女父母照料（护理）假",
    )
