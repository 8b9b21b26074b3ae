"""A fixed subset of cradle's programs written as an OpenFisca tax-benefit system (openfisca-core).

Programs: cn.infant_care_tax_deduction, cn.childcare_subsidy, zibo.nursery_fee_subsidy, zibo.deed_tax_subsidy,
baiyin.childcare_allowance (with a set monthly amount, the county's figure being open in the document), and
Shanxi's leave days (sx.maternity_leave_extension, sx.paternity_leave, sx.parental_leave).

Entities: person, and household with roles mother, father, child, other. OpenFisca has no birth entity: a
birth event is carried by the child (has_birth_event, birth_event_date, …) and the leave it gives is summed
onto the mother or father. The parameters are cradle's own dated figures (packs/*/parameters.yaml), loaded
into an OpenFisca ParameterNode. Dates are datetime64[D] throughout (value_type date).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from cradle.policy.packs import all_parameters

BAIYIN_MONTHLY = 200.0  # the set amount of baiyin.childcare_allowance.monthly used by the comparison
NAT = np.datetime64("NaT", "D")

Person = build_entity(key="person", plural="persons", label="个人", is_person=True)
Household = build_entity(
    key="household",
    plural="households",
    label="家庭",
    roles=[
        {"key": "mother", "max": 1},
        {"key": "father", "max": 1},
        {"key": "child", "plural": "children"},
        {"key": "other", "plural": "others"},
    ],
)
ENTITIES = [Person, Household]

PARAMS = [
    "cn.infant_care_tax_deduction.monthly",
    "cn.childcare_subsidy.yearly",
    "cn.childcare_subsidy.age_limit",
    "zibo.nursery_fee_subsidy.window_open",
    "zibo.nursery_fee_subsidy.second_child",
    "zibo.nursery_fee_subsidy.third_child",
    "zibo.housing_policy_window.open",
    "zibo.deed_tax_subsidy.two_children_share",
    "zibo.deed_tax_subsidy.three_children_share",
    "baiyin.childcare_allowance.age_limit",
    "sx.policy.max_birth_order",
    "sx.maternity_leave_extension.first_child_days",
    "sx.maternity_leave_extension.later_child_days",
    "sx.paternity_leave.days",
    "sx.parental_leave.days_per_year",
]


def _parameter_data() -> dict:
    """cradle's dated values as an OpenFisca parameter tree (null values, left to a lower level, are absent)."""
    source = all_parameters()
    tree: dict = {}
    for name in PARAMS:
        values = {v.start.isoformat(): {"value": v.value} for v in source[name].values if v.value is not None}
        node = tree
        parts = name.replace(".", "__", 1).split(".")  # pack__key.sub → one level per dot after the pack
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = {"values": values}
    tree.setdefault("baiyin__childcare_allowance", {})["monthly"] = {
        "values": {"2024-01-01": {"value": BAIYIN_MONTHLY}}
    }
    return tree


# --- helpers: calendar arithmetic and dated lookups on arrays -------------------------------------------------


def _ymd(d):
    z = d.astype(np.int64) + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, doy - (153 * mp + 2) // 5 + 1


def add_years(d, years):
    """`d` plus whole years, clamped to the end of the month (29 Feb + 1 year = 28 Feb)."""
    nat = np.isnat(d)
    y, m, day = _ymd(np.where(nat, np.datetime64("2000-01-01", "D"), d))
    total = (y - 1970 + years) * 12 + (m - 1)
    first = total.astype("datetime64[M]").astype("datetime64[D]")
    last = ((total + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(np.int64)
    return np.where(nat, NAT, first + (np.minimum(day, last) - 1).astype("timedelta64[D]"))


def age(birth, on):
    y, m, d = _ymd(birth)
    oy, om, od = _ymd(np.datetime64(on, "D"))
    return oy - y - ((om < m) | ((om == m) & (od < d)))


def at_dates(parameter, dates):
    """A parameter's value in force on each date (NaN before its first value)."""
    entries = sorted((np.datetime64(v.instant_str, "D"), v.value) for v in parameter.values_list)
    starts = np.array([s for s, _ in entries], dtype="datetime64[D]")
    values = np.array([np.nan if v is None else v for _, v in entries], dtype=float)
    idx = np.searchsorted(starts, dates, side="right") - 1
    return np.where(idx >= 0, values[np.clip(idx, 0, None)], np.nan)


def first_start(parameter) -> np.datetime64:
    return min(np.datetime64(v.instant_str, "D") for v in parameter.values_list)


def tree(entity):
    """The whole parameter tree, with each parameter's dated history (for values in force on per-row dates)."""
    return entity.simulation.tax_benefit_system.parameters


def on(period) -> np.datetime64:
    return np.datetime64(str(period.start), "D")


def within(code, region: int):
    if region % 10000 == 0:
        return code // 10000 == region // 10000
    if region % 100 == 0:
        return code // 100 == region // 100
    return code == region


# --- inputs ---------------------------------------------------------------------------------------------------


def _input(name, entity, value_type, default=None, label=""):
    attrs = {
        "value_type": value_type,
        "entity": entity,
        "definition_period": DateUnit.ETERNITY,
        "label": label,
    }
    if default is not None:
        attrs["default_value"] = default
    return type(name, (Variable,), attrs)


INPUTS = [
    _input("birth_date", Person, dt.date, label="出生日期"),
    _input("relation", Person, int, label="1 母亲 2 父亲 3 子女 4 祖辈 5 其他"),
    _input("deceased", Person, bool),
    _input("birth_order", Person, int),
    _input("nursery_registered", Person, bool, label="在已备案托育机构入托"),
    _input("hukou", Person, int),
    _input("employee", Person, bool),
    _input("has_birth_event", Person, bool, label="子女有出生事件"),
    _input("jurisdiction", Household, int),
    _input("purchase_date", Household, dt.date),
    _input("has_purchase", Household, bool),
    _input("purchase_new_commercial", Household, bool),
    _input("deed_tax_paid", Household, float),
]


def _v(name, entity, value_type, formula, label=""):
    return type(
        name,
        (Variable,),
        {
            "value_type": value_type,
            "entity": entity,
            "label": label,
            "definition_period": DateUnit.MONTH,
            "formula": formula,
        },
    )


def _is_child(person, period):
    return (person("relation", period) == 3) & ~person("deceased", period)


def _serves(person, period, region):
    return within(person.household("jurisdiction", period), region)


# --- national ---------------------------------------------------------------------------------------------


def infant_care_tax_deduction(person, period, parameters):
    monthly = parameters(period).cn__infant_care_tax_deduction.monthly
    ok = _is_child(person, period) & (age(person("birth_date", period), on(period)) < 3)
    return np.where(ok, monthly, 0)


def childcare_subsidy(person, period, parameters):
    p = parameters(period).cn__childcare_subsidy
    end = add_years(person("birth_date", period), int(p.age_limit))
    return np.where(_is_child(person, period) & (on(period) < end), p.yearly, 0)


# --- 淄博 ---------------------------------------------------------------------------------------------------


def nursery_fee_subsidy(person, period, parameters):
    p = parameters(period).zibo__nursery_fee_subsidy
    order = person("birth_order", period)
    ok = (
        _serves(person, period, 370300)
        & _is_child(person, period)
        & (order >= 2)
        & person("nursery_registered", period)
        & (p.window_open == 1)
        & (on(period) < add_years(person("birth_date", period), 3))
    )
    return np.where(ok, np.where(order >= 3, p.third_child, p.second_child), 0)


def deed_tax_subsidy_cents(household, period, parameters):
    when = household("purchase_date", period)
    has = household("has_purchase", period)
    born = (
        (household.members("relation", period) == 3)
        & ~household.members("deceased", period)
        & (household.members("birth_date", period) <= household.project(when))
    )
    n = np.maximum(
        household.sum(born), household.max(np.where(born, household.members("birth_order", period), 0))
    )
    zibo = tree(household).zibo__deed_tax_subsidy
    share = np.where(
        n >= 3, at_dates(zibo.three_children_share, when), at_dates(zibo.two_children_share, when)
    )
    window = at_dates(tree(household).zibo__housing_policy_window.open, when)
    tax = household("deed_tax_paid", period)
    ok = (
        within(household("jurisdiction", period), 370300)
        & has
        & household("purchase_new_commercial", period)
        & (window == 1)
        & (n >= 2)
        & (tax > 0)
    )
    return np.where(ok, np.round(np.round(tax * share / 100, 2) * 100), 0).astype(np.int64)


# --- 白银 ---------------------------------------------------------------------------------------------------


def baiyin_childcare_allowance(person, period, parameters):
    p = parameters(period).baiyin__childcare_allowance
    birth = person("birth_date", period)
    order = person("birth_order", period)
    ok = (
        _serves(person, period, 620400)
        & _is_child(person, period)
        & ((order == 2) | (order == 3))
        & (birth >= np.datetime64("2024-01-01"))
        & within(person("hukou", period), 620400)
        & (on(period) < add_years(birth, int(p.age_limit)))
    )
    return np.where(ok, p.monthly, 0)


# --- 山西 leave days --------------------------------------------------------------------------------------------


def _sx_birth(person, period, parameters):
    """Per child: a birth within the policy, in Shanxi, the rule in force at the birth."""
    birth = person("birth_date", period)
    sx = tree(person).sx__policy
    limit = at_dates(sx.max_birth_order, birth)
    return (
        _serves(person, period, 140000)
        & person("has_birth_event", period)
        & (person("birth_order", period) <= np.nan_to_num(limit, nan=-1))
    )


def sx_maternity_extension_of_birth(person, period, parameters):
    birth = person("birth_date", period)
    ext = tree(person).sx__maternity_leave_extension
    days = np.where(
        person("birth_order", period) >= 2,
        at_dates(ext.later_child_days, birth),
        at_dates(ext.first_child_days, birth),
    )
    hh = person.simulation.populations["household"]
    mother_employee = hh.value_from_person(person("employee", period), role=Household.MOTHER)
    has_mother = hh.nb_persons(Household.MOTHER) > 0
    ok = (
        _sx_birth(person, period, parameters)
        & hh.project(has_mother & mother_employee)
        & (birth >= first_start(ext.first_child_days))
    )
    return np.where(ok, days, 0)


def sx_maternity_leave_extension(person, period, parameters):
    total = person.household.sum(person("sx_maternity_extension_of_birth", period))
    return np.where(person.has_role(Household.MOTHER), total, 0)


def sx_paternity_of_birth(person, period, parameters):
    birth = person("birth_date", period)
    days = at_dates(tree(person).sx__paternity_leave.days, birth)
    hh = person.simulation.populations["household"]
    father_ok = hh.value_from_person(
        person("employee", period) & ~person("deceased", period), role=Household.FATHER
    )
    ok = (
        _sx_birth(person, period, parameters)
        & hh.project(father_ok)
        & (birth >= first_start(tree(person).sx__paternity_leave.days))
    )
    return np.where(ok, days, 0)


def sx_paternity_leave(person, period, parameters):
    total = person.household.sum(person("sx_paternity_of_birth", period))
    return np.where(person.has_role(Household.FATHER), total, 0)


def sx_parental_leave(person, period, parameters):
    birth = person("birth_date", period)
    young = (
        _is_child(person, period)
        & (on(period) < add_years(birth, 3))
        & (
            person("birth_order", period)
            <= np.nan_to_num(parameters(period).sx__policy.max_birth_order, nan=-1)
        )
    )
    n = person.household.sum(young)
    relation = person("relation", period)
    ok = (
        _serves(person, period, 140000)
        & ((relation == 1) | (relation == 2))
        & ~person("deceased", period)
        & person("employee", period)
        & (n > 0)
        & (on(period) >= first_start(tree(person).sx__parental_leave.days_per_year))
    )
    return np.where(ok, parameters(period).sx__parental_leave.days_per_year, 0)


PROGRAMS = {  # cradle program id -> OpenFisca variable
    "cn.infant_care_tax_deduction": "infant_care_tax_deduction",
    "cn.childcare_subsidy": "childcare_subsidy",
    "zibo.nursery_fee_subsidy": "nursery_fee_subsidy",
    "zibo.deed_tax_subsidy": "deed_tax_subsidy_cents",
    "baiyin.childcare_allowance": "baiyin_childcare_allowance",
    "sx.maternity_leave_extension": "sx_maternity_leave_extension",
    "sx.paternity_leave": "sx_paternity_leave",
    "sx.parental_leave": "sx_parental_leave",
}

FORMULAS = [
    _v("infant_care_tax_deduction", Person, float, infant_care_tax_deduction),
    _v("childcare_subsidy", Person, float, childcare_subsidy),
    _v("nursery_fee_subsidy", Person, float, nursery_fee_subsidy),
    _v("deed_tax_subsidy_cents", Household, int, deed_tax_subsidy_cents),
    _v("baiyin_childcare_allowance", Person, float, baiyin_childcare_allowance),
    _v("sx_maternity_extension_of_birth", Person, float, sx_maternity_extension_of_birth),
    _v("sx_maternity_leave_extension", Person, float, sx_maternity_leave_extension),
    _v("sx_paternity_of_birth", Person, float, sx_paternity_of_birth),
    _v("sx_paternity_leave", Person, float, sx_paternity_leave),
    _v("sx_parental_leave", Person, float, sx_parental_leave),
]


class CradleSubset(TaxBenefitSystem):
    def __init__(self):
        super().__init__(ENTITIES)
        for variable in INPUTS + FORMULAS:
            self.add_variable(variable)
        self.parameters = ParameterNode("", data=_parameter_data())
