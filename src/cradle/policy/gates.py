"""What a program's rows cannot do without: cheap checks the engine makes before running a formula.

A program declares the gates it needs, `@program(..., requires=gates.special_family)`: each gate answers, from a
few columns of the population, whether any row could meet one of the program's own conditions. When a gate says
no, no row can qualify, so the engine skips the formula when only the eligible rows are wanted (`engine.run(...,
answers_only=True)`, the calc without explanations): one household meets 18–37 programs, about half of which give
it nothing, most for want of something a gate sees at once (no 计划生育特殊家庭, no 独生子女证, no three children).

A gate is a necessary condition, never the rule itself: the formula's conditions still decide every row, and an
explanation, the batch and the what-if preview run every formula as before. A gate reads the population only
(columns and the Ctx's shared derivations, never a parameter or the pack's region), so one answer serves every
pack's context over that population; the engine keeps it per population (`Ctx.passes`).
`tests/policy/test_gates.py` checks over every pack case that a program its gate turns away has no eligible row.
"""

from __future__ import annotations

import numpy as np

from cradle.policy.population import CARE, DIAGNOSIS, EMPLOYMENT, SOCIAL_INSURANCE, SPECIAL_FAMILY
from cradle.policy.program import Ctx


def special_family(c: Ctx) -> bool:
    """A household marked as a 计划生育特殊家庭 (失独 or 独生子女伤残): every program of those families' help."""
    return bool((c.households.special_family != SPECIAL_FAMILY[None]).any())


def certified_family(c: Ctx) -> bool:
    """A household with the 独生子女父母光荣证 or a rural two-daughter family: 奖励扶助."""
    h = c.households
    return bool(h.only_child_certificate.any() or h.rural_two_daughters.any())


def planned_family(c: Ctx) -> bool:
    """A 计划生育家庭 of either kind (certified or special)."""
    return certified_family(c) or special_family(c)


def only_child_certificate(c: Ctx) -> bool:
    """A household with the 独生子女父母光荣证."""
    return bool(c.households.only_child_certificate.any())


def housing_support(c: Ctx) -> bool:
    """A household meeting the local 住房保障 (公租房) conditions."""
    return bool(c.households.public_rental_eligible.any())


def three_living_children(c: Ctx) -> bool:
    """A household with three living children (三孩家庭 counted by living children)."""
    return bool((c.n_children >= 3).any())


def adult_child(c: Ctx) -> bool:
    """A child aged 18 or more (a grown child's leave to care for a parent)."""
    return bool((c.is_child & (c.age >= 18)).any())


def married(c: Ctx) -> bool:
    """A person with a marriage registration date."""
    return not bool(np.isnat(c.persons.marriage_date).all())


def renting(c: Ctx) -> bool:
    """A household renting its home (提取住房公积金支付房租)."""
    return bool(c.households.renting.any())


def in_kindergarten(c: Ctx) -> bool:
    """A person in kindergarten (幼儿园 fees and 学前教育资助)."""
    return bool((c.persons.care_type == CARE["kindergarten"]).any())


def pregnant(c: Ctx) -> bool:
    """A person in pregnancy (产前检查)."""
    return bool((c.persons.pregnancy_months >= 1).any())


def assisted_reproduction(c: Ctx) -> bool:
    """A person in 辅助生殖 treatment."""
    return bool(c.persons.assisted_reproduction.any())


def disability_or_diagnosis(c: Ctx) -> bool:
    """A person with a disability, or diagnosed with cerebral palsy or autism (康复治疗)."""
    p = c.persons
    return bool(p.disability.any() or (p.diagnosis != DIAGNOSIS[None]).any())


def delivery_cost(c: Ctx) -> bool:
    """A birth whose in-policy delivery cost is given (住院分娩 paid by 医保)."""
    return bool((~np.isnan(c.births.delivery_cost)).any())


def flexible_worker(c: Ctx) -> bool:
    """A person in flexible employment (灵活就业人员)."""
    return bool((c.persons.employment == EMPLOYMENT["flexible"]).any())


def enterprise_insured(c: Ctx) -> bool:
    """A person in the enterprise employees' social insurance (企业职工社会保险)."""
    return bool((c.persons.social_insurance == SOCIAL_INSURANCE["enterprise"]).any())
