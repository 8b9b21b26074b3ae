"""One household of the batch layout as the catalogue's household JSON, the input of `cradle calc`.

This is how a batch row is checked against the single-household engine: the same facts, through the public
format, give the same entitlements.
"""

from __future__ import annotations

import math

import polars as pl

from cradle.policy.population import (
    CARE,
    DIAGNOSIS,
    EMPLOYMENT,
    HUKOU_TYPE,
    INSURANCE,
    RELATION,
    SOCIAL_INSURANCE,
    SPECIAL_FAMILY,
)

_RELATION = {v: k for k, v in RELATION.items()}
_EMPLOYMENT = {v: k for k, v in EMPLOYMENT.items()}
_INSURANCE = {v: k for k, v in INSURANCE.items()}
_CARE = {v: k for k, v in CARE.items()}
_SPECIAL = {v: k for k, v in SPECIAL_FAMILY.items()}
_SOCIAL_INSURANCE = {v: k for k, v in SOCIAL_INSURANCE.items()}
_DIAGNOSIS = {v: k for k, v in DIAGNOSIS.items()}
_HUKOU_TYPE = {v: k for k, v in HUKOU_TYPE.items()}


def _num(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def household_json(household: dict, persons: list[dict], births: list[dict]) -> dict:
    """`household`: a row of households; `persons`, `births`: that household's rows (as dicts)."""
    jurisdiction = str(household["jurisdiction"])
    members = []
    for p in persons:
        m = {
            "id": str(p["person_id"]),
            "relation": _RELATION[p["relation"]],
            "sex": "F" if p["female"] else "M",
            "birth_date": p["birth_date"].isoformat(),
            "employment": _EMPLOYMENT[p["employment"]],
            "medical_insurance": _INSURANCE[p["medical_insurance"]],
            "maternity_insurance": bool(p["maternity_insurance"]),
            "deceased": bool(p["deceased"]),
            "disability": bool(p["disability"]),
            "orphan": bool(p["orphan"]),
        }
        if p["hukou"] and str(p["hukou"]) != jurisdiction:
            m["hukou"] = str(p["hukou"])
        wage = _num(p["employer_avg_monthly_wage"])
        if wage is not None:
            m["employer_avg_monthly_wage"] = wage
        if p["birth_order"]:
            m["birth_order"] = int(p["birth_order"])
        # optional columns (a table may lack them): written only when given
        if p.get("diagnosis"):
            m["diagnosis"] = _DIAGNOSIS[p["diagnosis"]]
        if p.get("pregnancy_months"):
            m["pregnancy_months"] = int(p["pregnancy_months"])
        if p.get("social_insurance"):
            m["social_insurance"] = _SOCIAL_INSURANCE[p["social_insurance"]]
        if p.get("marriage_date") is not None:
            m["marriage_date"] = p["marriage_date"].isoformat()
        if p.get("assisted_reproduction"):
            m["assisted_reproduction"] = True
        if p.get("hukou_type"):
            m["hukou_type"] = _HUKOU_TYPE[p["hukou_type"]]
        if p.get("death_date") is not None:
            m["death_date"] = p["death_date"].isoformat()
        if p.get("disability_grade"):
            m["disability_grade"] = int(p["disability_grade"])
        for flag in ("adopted", "cannot_self_care", "hospitalized"):
            if p.get(flag):
                m[flag] = True
        if p["care_type"]:
            m["care"] = {
                "type": _CARE[p["care_type"]],
                "public": bool(p["care_public"]),
                "inclusive": bool(p["care_inclusive"]),
                "registered": bool(p["care_registered"]),
            }
            if p.get("care_left") is not None:
                m["care"]["left"] = p["care_left"].isoformat()
        members.append(m)
    events: list[dict] = []
    deliveries: dict = {}  # date -> the birth event: the batch's rows per newborn of one date are one delivery
    for b in births:
        e = deliveries.get(b["date"])
        if e is None:
            e = deliveries[b["date"]] = {"type": "birth", "children": [], "date": b["date"].isoformat()}
            e.update(babies=0, dystocia=False)
            events.append(e)
        e["children"].append(str(b["child_id"]))
        e["babies"] = max(e["babies"], int(b["babies"]), len(e["children"]))
        e["dystocia"] |= bool(b["dystocia"])
        cost = _num(b["delivery_cost"])
        if cost is not None:
            e["in_policy_delivery_cost"] = max(cost, e.get("in_policy_delivery_cost", cost))
    if household["purchase_date"] is not None:
        e = {
            "type": "home_purchase",
            "date": household["purchase_date"].isoformat(),
            "new_commercial": bool(household["purchase_new_commercial"]),
            "home_number": int(household["purchase_home_number"] or 1),
        }
        tax = _num(household["deed_tax_paid"])
        if tax is not None:
            e["deed_tax_paid"] = tax
        events.append(e)
    if household["renting"]:
        events.append({"type": "renting", "monthly_rent": _num(household["monthly_rent"]) or 0.0})
    return {
        "jurisdiction": jurisdiction,
        "members": members,
        "family_planning": {
            "only_child_certificate": bool(household["only_child_certificate"]),
            "rural_two_daughters": bool(household["rural_two_daughters"]),
            "special_family": _SPECIAL[household["special_family"]],
            **_family_planning_dates(household),
        },
        "low_income": bool(household["low_income"]),
        "housing": {
            "owns_home": bool(household["owns_home"]),
            "public_rental_eligible": bool(household["public_rental_eligible"]),
        },
        "events": events,
    }


def _family_planning_dates(household: dict) -> dict:
    """The optional family-planning columns a household table may carry, when given."""
    out = {}
    if household.get("certificate_date") is not None:
        out["certificate_date"] = household["certificate_date"].isoformat()
    if household.get("lump_sum_received"):
        out["lump_sum_received"] = True
    return out


def households_json(
    households: pl.DataFrame, persons: pl.DataFrame, births: pl.DataFrame, ids: list
) -> dict[object, dict]:
    """household_id -> household JSON, for the households `ids`."""
    hh = households.filter(pl.col("household_id").is_in(ids))
    ps = persons.filter(pl.col("household_id").is_in(ids))
    bs = births.filter(pl.col("household_id").is_in(ids))
    out = {}
    for row in hh.iter_rows(named=True):
        hid = row["household_id"]
        out[hid] = household_json(
            row,
            ps.filter(pl.col("household_id") == hid).to_dicts(),
            bs.filter(pl.col("household_id") == hid).to_dicts(),
        )
    return out
