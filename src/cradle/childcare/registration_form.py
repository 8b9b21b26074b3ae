"""The officials' registration form (登记) read into the record `facilities.register_facility` checks, as the API's
body would carry it: the facility's fields, the 托位 of each age group, and the staff one person a line
("王芳，保育人员，保育师"; a post by its code or its name in either language)."""

from __future__ import annotations

import re

from cradle.childcare.vocab import AGE_GROUPS, STAFF_ROLES, chinese

FIELDS = (
    "credit_code",
    "name",
    "type",
    "address",
    "community",
    "region_code",
    "floor_area_m2",
    "outdoor_area_m2",
    "rooms",
    "opening_date",
)
_SLOT_FIELDS = ("slots", "classes", "fee_monthly")
_SEPARATORS = re.compile(r"\s*[,，、\t]\s*")


def _post(text: str) -> str:
    """A staff post's code from its code, Chinese name or English name; anything else as written (refused by the
    domain's check, naming the line)."""
    wanted = text.strip().lower()
    for code, label in STAFF_ROLES.items():
        if wanted in (code, label.lower(), chinese(label)):
            return code
    return text.strip()


def record_from_form(form) -> dict:
    """The record of a submitted form; empty inputs are left out, so the check tells a missing field."""
    record = {k: str(form.get(k)).strip() for k in FIELDS if str(form.get(k) or "").strip()}
    slots = []
    for group in AGE_GROUPS:
        entry = {
            k: form.get(f"{k}_{group}").strip()
            for k in _SLOT_FIELDS
            if (form.get(f"{k}_{group}") or "").strip()
        }
        if entry:
            slots.append({"age_group": group, **entry})
    record["slots"] = slots
    staff = []
    for line in str(form.get("staff") or "").splitlines():
        parts = _SEPARATORS.split(line.strip()) if line.strip() else []
        if parts:
            person = {"name": parts[0], "role": _post(parts[1]) if len(parts) > 1 else ""}
            if len(parts) > 2 and parts[2]:
                person["qualification"] = parts[2]
            staff.append(person)
    record["staff"] = staff
    return record
