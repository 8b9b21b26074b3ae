"""Asking the rules engine whether one household's member is entitled to one program, with the explanation."""

from __future__ import annotations

import datetime as dt

from cradle.policy.calc import calc_household
from cradle.policy.errors import InputError
from cradle.services.errors import Invalid


def check(household: dict, program: str, beneficiary: str | None, as_of: dt.date,
          overrides: dict | None = None) -> dict:
    """{"eligible": bool, "entitlement": {...} | None, "reason": str | None, "entitlements": [...]}.

    Bad household input raises Invalid naming `household.<path>`.
    """
    try:
        result = calc_household(household, as_of, explain=True, overrides=overrides or None)
    except InputError as exc:
        first = exc.errors[0]
        raise Invalid(f"household.{first.field}" if first.field else "household", first.message) from None
    found = [e for e in result["entitlements"] if e["program"] == program]
    chosen = next((e for e in found if beneficiary in (None, e["beneficiary"])), None)
    if chosen is not None:
        return {"eligible": True, "entitlement": chosen, "reason": None, "as_of": as_of.isoformat()}
    skipped = next((n for n in result.get("not_applicable", []) if n["program"] == program), None)
    if found:
        reason = f"该项目的受益人为 {', '.join(e['beneficiary'] for e in found)}，不是 {beneficiary}"
    elif skipped:
        reason = skipped["reason"]
    else:
        reason = "该项目不适用于此户籍地/居住地"
    return {"eligible": False, "entitlement": None, "reason": reason, "as_of": as_of.isoformat()}
