"""Checking facility records (from the API, the web form or an imported list) before they are stored.

`check_facility(data)` returns the cleaned record and every problem found (`cradle.errors.Invalid`), each naming
its field path; callers that store one record raise the first problem, the importer quarantines the row with all
of them (`stored`: as the quarantine keeps them, in Chinese).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from cradle.childcare import places
from cradle.childcare.vocab import AGE_GROUPS, EDUCATION, FACILITY_TYPES, PUBLIC_TYPES, STAFF_ROLES
from cradle.errors import N_, Invalid
from cradle.idcard import check_credit_code

FACILITY_FIELDS = {
    "credit_code",
    "name",
    "type",
    "address",
    "region_code",
    "community",
    "floor_area_m2",
    "outdoor_area_m2",
    "rooms",
    "inclusive",
    "demonstration",
    "comprehensive_centre",
    "guidance_role",
    "opening_date",
    "closed_on",
    "lat",
    "lon",
    "slots",
    "staff",
}
REQUIRED = (
    "credit_code",
    "name",
    "type",
    "address",
    "region_code",
    "floor_area_m2",
    "rooms",
    "opening_date",
    "slots",
)
SLOT_FIELDS = {"age_group", "slots", "classes", "fee_monthly"}
STAFF_FIELDS = {"name", "role", "qualification", "education", "years_experience"}

MISSING = N_("Required")
UNKNOWN_FIELD = N_("Unknown field")
NOT_AN_OBJECT = N_("Should be an object")
NOT_A_LIST = N_("Should be a list")
NOT_A_WHOLE_NUMBER = N_("Should be a whole number")
NOT_A_NUMBER = N_("Should be a number")
NEGATIVE = N_("Cannot be negative")
ONE_OF = N_("Should be one of %(choices)s")
DATE_FORMAT = N_("Enter the date as YYYY-MM-DD")
# What `cradle.idcard.check_id_number` finds wrong, by its code
ID_NUMBER_PROBLEMS = {
    "length": N_("The ID number should have 18 characters"),
    "format": N_("The ID number's format is wrong"),
    "checksum": N_("The ID number's check digit is wrong"),
    "birth_date": N_("The birth date inside the ID number is not a valid date"),
    "region": N_("The region code inside the ID number is not valid"),
    "birth_date_mismatch": N_("The birth date inside the ID number does not match the date of birth"),
}
# What `cradle.idcard.check_credit_code` finds wrong, by its code
CREDIT_CODE_PROBLEMS = {
    "length": N_("The unified social credit code should have 18 characters"),
    "checksum": N_("The unified social credit code's check digit is wrong"),
    "format": N_("The unified social credit code's format is wrong"),
}
# A class type's places beyond its class size, by age group (the label is part of the sentence)
TOO_MANY_PLACES = {
    "infant": N_(
        "An infant class takes at most %(size)s children: %(classes)s classes have at most %(limit)s places"
    ),
    "toddler": N_(
        "A younger toddler class takes at most %(size)s children: %(classes)s classes have at most %(limit)s places"
    ),
    "older": N_(
        "An older toddler class takes at most %(size)s children: %(classes)s classes have at most %(limit)s places"
    ),
}


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Invalid] = []

    def add(self, field: str, message: str, **params) -> None:
        self.problems.append(Invalid(field, message, **params))


def choices(options) -> str:
    """The allowed codes as a message names them."""
    return "、".join(options)


def stored(problem: Invalid) -> dict:
    """A problem as the quarantine keeps it beside the row: the field and the Chinese message."""
    return {"field": problem.field, "message": problem.message}


def _text(c: _Collector, data: dict, key: str, path: str, max_len: int, required: bool) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            c.add(path, MISSING)
        return None
    if not isinstance(value, str):
        c.add(path, N_("Should be a text value"))
        return None
    value = value.strip()
    if len(value) > max_len:
        c.add(path, N_("At most %(n)s characters"), n=max_len)
        return None
    return value


def _int(c: _Collector, value, path: str, minimum: int | None = 0, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            c.add(path, MISSING)
        return None
    if isinstance(value, bool):
        c.add(path, NOT_A_WHOLE_NUMBER)
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            c.add(path, NOT_A_WHOLE_NUMBER)
            return None
    if isinstance(value, float):
        if not value.is_integer():
            c.add(path, NOT_A_WHOLE_NUMBER)
            return None
        value = int(value)
    if not isinstance(value, int):
        c.add(path, NOT_A_WHOLE_NUMBER)
        return None
    if minimum is not None and value < minimum:
        if minimum == 0:
            c.add(path, NEGATIVE)
        else:
            c.add(path, N_("Cannot be less than %(minimum)s"), minimum=minimum)
        return None
    return value


def _decimal(
    c: _Collector,
    value,
    path: str,
    required: bool,
    positive: bool = False,
    lo: float | None = None,
    hi: float | None = None,
) -> Decimal | None:
    if value is None or value == "":
        if required:
            c.add(path, MISSING)
        return None
    if isinstance(value, bool):
        c.add(path, NOT_A_NUMBER)
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        c.add(path, NOT_A_NUMBER)
        return None
    if not number.is_finite():
        c.add(path, NOT_A_NUMBER)
        return None
    if positive and number <= 0:
        c.add(path, N_("Should be greater than 0"))
        return None
    if not positive and lo is None and number < 0:
        c.add(path, NEGATIVE)
        return None
    if (lo is not None and number < Decimal(str(lo))) or (hi is not None and number > Decimal(str(hi))):
        c.add(path, N_("Should be from %(lo)s to %(hi)s"), lo=lo, hi=hi)
        return None
    return number


def _bool(c: _Collector, value, path: str, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "1", "yes", "y", "是"):
            return True
        if low in ("false", "0", "no", "n", "否"):
            return False
    c.add(path, N_("Should be true or false (yes or no)"))
    return default


def parse_date(c: _Collector, value, path: str, required: bool) -> dt.date | None:
    if value is None or value == "":
        if required:
            c.add(path, MISSING)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    c.add(path, DATE_FORMAT)
    return None


def _slots(c: _Collector, value) -> list[dict]:
    if not isinstance(value, list) or not value:
        c.add("slots", N_("Give the places of at least one class type"))
        return []
    out, seen = [], set()
    for i, row in enumerate(value):
        path = f"slots[{i}]"
        if not isinstance(row, dict):
            c.add(path, NOT_AN_OBJECT)
            continue
        for key in sorted(set(row) - SLOT_FIELDS):
            c.add(f"{path}.{key}", UNKNOWN_FIELD)
        group = row.get("age_group")
        if group not in AGE_GROUPS:
            c.add(f"{path}.age_group", ONE_OF, choices=choices(AGE_GROUPS))
            group = None
        elif group in seen:
            c.add(f"{path}.age_group", N_("Class type given twice"))
        seen.add(group)
        slots = _int(c, row.get("slots"), f"{path}.slots")
        classes = _int(c, row.get("classes", 1), f"{path}.classes", minimum=1)
        fee = _int(c, row.get("fee_monthly"), f"{path}.fee_monthly")
        if group and slots is not None and classes:
            limit = AGE_GROUPS[group]["class_size"] * classes
            if slots > limit:
                size = AGE_GROUPS[group]["class_size"]
                c.add(f"{path}.slots", TOO_MANY_PLACES[group], size=size, classes=classes, limit=limit)
        if group and slots is not None and fee is not None and classes:
            out.append({"age_group": group, "slots": slots, "classes": classes, "fee_monthly": fee})
    return out


def _staff(c: _Collector, value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        c.add("staff", NOT_A_LIST)
        return []
    out = []
    for i, row in enumerate(value):
        path = f"staff[{i}]"
        if not isinstance(row, dict):
            c.add(path, NOT_AN_OBJECT)
            continue
        for key in sorted(set(row) - STAFF_FIELDS):
            c.add(f"{path}.{key}", UNKNOWN_FIELD)
        name = _text(c, row, "name", f"{path}.name", 100, True)
        role = row.get("role")
        if role not in STAFF_ROLES:
            c.add(f"{path}.role", ONE_OF, choices=choices(STAFF_ROLES))
        education = row.get("education")
        if education is not None and education not in EDUCATION:
            c.add(f"{path}.education", ONE_OF, choices=choices(EDUCATION))
        qual = _text(c, row, "qualification", f"{path}.qualification", 200, False)
        years = _int(c, row.get("years_experience", 0), f"{path}.years_experience")
        out.append(
            {
                "name": name,
                "role": role,
                "qualification": qual,
                "education": education,
                "years_experience": years or 0,
            }
        )
    return out


def check_facility(data: object) -> tuple[dict, list[Invalid]]:
    c = _Collector()
    if not isinstance(data, dict):
        return {}, [Invalid("$", NOT_AN_OBJECT)]
    for key in sorted(set(data) - FACILITY_FIELDS):
        c.add(key, UNKNOWN_FIELD)
    clean: dict = {}
    code = data.get("credit_code")
    if not code:
        c.add("credit_code", MISSING)
    else:
        code = str(code).strip().upper()
        problem = check_credit_code(code)
        if problem:
            c.add("credit_code", CREDIT_CODE_PROBLEMS[problem.code])
        clean["credit_code"] = code
    clean["name"] = _text(c, data, "name", "name", 200, True)
    clean["address"] = _text(c, data, "address", "address", 300, True)
    clean["community"] = _text(c, data, "community", "community", 100, False)
    ftype = data.get("type")
    if ftype not in FACILITY_TYPES:
        c.add("type", ONE_OF, choices=choices(FACILITY_TYPES))
    clean["type"] = ftype
    region = data.get("region_code")
    region = str(region).strip() if region is not None else None
    if not region:
        c.add("region_code", MISSING)
    elif not places.exists(region) or places.level(region) != "county":
        c.add("region_code", N_("%(region)s is not a valid county-level region code"), region=region)
    clean["region_code"] = region
    clean["floor_area_m2"] = _decimal(c, data.get("floor_area_m2"), "floor_area_m2", True, positive=True)
    clean["outdoor_area_m2"] = _decimal(c, data.get("outdoor_area_m2"), "outdoor_area_m2", False)
    clean["rooms"] = _int(c, data.get("rooms"), "rooms")
    default_inclusive = ftype in PUBLIC_TYPES or ftype == "inclusive_private"
    clean["inclusive"] = _bool(c, data.get("inclusive"), "inclusive", default_inclusive)
    if ftype == "inclusive_private" and not clean["inclusive"]:
        c.add(
            "inclusive", N_("An inclusive private childcare institution must be inclusive (inclusive=true)")
        )
    for flag in ("demonstration", "comprehensive_centre", "guidance_role"):
        clean[flag] = _bool(c, data.get(flag), flag)
    clean["opening_date"] = parse_date(c, data.get("opening_date"), "opening_date", True)
    clean["closed_on"] = parse_date(c, data.get("closed_on"), "closed_on", False)
    if clean["opening_date"] and clean["closed_on"] and clean["closed_on"] < clean["opening_date"]:
        c.add("closed_on", N_("The closing date is before the opening date"))
    clean["lat"] = _decimal(c, data.get("lat"), "lat", False, lo=-90, hi=90)
    clean["lon"] = _decimal(c, data.get("lon"), "lon", False, lo=-180, hi=180)
    if (clean["lat"] is None) != (clean["lon"] is None) and not any(
        p.field in ("lat", "lon") for p in c.problems
    ):
        c.add("lat" if clean["lat"] is None else "lon", N_("Give both latitude and longitude"))
    clean["slots"] = _slots(c, data.get("slots"))
    clean["staff"] = _staff(c, data.get("staff"))
    return clean, c.problems


def clean_facility(data: object) -> dict:
    """The cleaned record, or the first problem raised."""
    clean, problems = check_facility(data)
    if problems:
        raise problems[0]
    return clean
