"""Checking facility records (from the API, the web form or an imported list) before they are stored.

`check_facility(data)` returns the cleaned record and every problem found, each naming its field path;
callers that store one record raise the first problem, the importer quarantines the row with all of them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from cradle.childcare import places
from cradle.childcare.errors import ChildcareError
from cradle.childcare.vocab import AGE_GROUPS, EDUCATION, FACILITY_TYPES, PUBLIC_TYPES, STAFF_ROLES
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


class _Collector:
    def __init__(self) -> None:
        self.problems: list[ChildcareError] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(ChildcareError(field, message))


def _text(c: _Collector, data: dict, key: str, path: str, max_len: int, required: bool) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            c.add(path, "必填")
        return None
    if not isinstance(value, str):
        c.add(path, "应为文本")
        return None
    value = value.strip()
    if len(value) > max_len:
        c.add(path, f"不能超过{max_len}个字符")
        return None
    return value


def _int(c: _Collector, value, path: str, minimum: int | None = 0, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            c.add(path, "必填")
        return None
    if isinstance(value, bool):
        c.add(path, "应为整数")
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            c.add(path, "应为整数")
            return None
    if isinstance(value, float):
        if not value.is_integer():
            c.add(path, "应为整数")
            return None
        value = int(value)
    if not isinstance(value, int):
        c.add(path, "应为整数")
        return None
    if minimum is not None and value < minimum:
        c.add(path, "不能为负数" if minimum == 0 else f"不能小于{minimum}")
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
            c.add(path, "必填")
        return None
    if isinstance(value, bool):
        c.add(path, "应为数字")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        c.add(path, "应为数字")
        return None
    if not number.is_finite():
        c.add(path, "应为数字")
        return None
    if positive and number <= 0:
        c.add(path, "应大于0")
        return None
    if not positive and lo is None and number < 0:
        c.add(path, "不能为负数")
        return None
    if (lo is not None and number < Decimal(str(lo))) or (hi is not None and number > Decimal(str(hi))):
        c.add(path, f"应在{lo}到{hi}之间")
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
    c.add(path, "应为 true/false（是/否）")
    return default


def parse_date(c: _Collector, value, path: str, required: bool) -> dt.date | None:
    if value is None or value == "":
        if required:
            c.add(path, "必填")
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
    c.add(path, "日期格式应为 YYYY-MM-DD")
    return None


def _slots(c: _Collector, value) -> list[dict]:
    if not isinstance(value, list) or not value:
        c.add("slots", "至少填写一个班型的托位")
        return []
    out, seen = [], set()
    for i, row in enumerate(value):
        path = f"slots[{i}]"
        if not isinstance(row, dict):
            c.add(path, "应为对象")
            continue
        for key in sorted(set(row) - SLOT_FIELDS):
            c.add(f"{path}.{key}", "未知字段")
        group = row.get("age_group")
        if group not in AGE_GROUPS:
            c.add(f"{path}.age_group", f"应为 {'、'.join(AGE_GROUPS)} 之一")
            group = None
        elif group in seen:
            c.add(f"{path}.age_group", "班型重复")
        seen.add(group)
        slots = _int(c, row.get("slots"), f"{path}.slots")
        classes = _int(c, row.get("classes", 1), f"{path}.classes", minimum=1)
        fee = _int(c, row.get("fee_monthly"), f"{path}.fee_monthly")
        if group and slots is not None and classes:
            limit = AGE_GROUPS[group]["class_size"] * classes
            if slots > limit:
                c.add(
                    f"{path}.slots",
                    f"{AGE_GROUPS[group]['label']}每班不超过{AGE_GROUPS[group]['class_size']}人，"
                    f"{classes}个班最多{limit}个托位",
                )
        if group and slots is not None and fee is not None and classes:
            out.append({"age_group": group, "slots": slots, "classes": classes, "fee_monthly": fee})
    return out


def _staff(c: _Collector, value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        c.add("staff", "应为列表")
        return []
    out = []
    for i, row in enumerate(value):
        path = f"staff[{i}]"
        if not isinstance(row, dict):
            c.add(path, "应为对象")
            continue
        for key in sorted(set(row) - STAFF_FIELDS):
            c.add(f"{path}.{key}", "未知字段")
        name = _text(c, row, "name", f"{path}.name", 100, True)
        role = row.get("role")
        if role not in STAFF_ROLES:
            c.add(f"{path}.role", f"应为 {'、'.join(STAFF_ROLES)} 之一")
        education = row.get("education")
        if education is not None and education not in EDUCATION:
            c.add(f"{path}.education", f"应为 {'、'.join(EDUCATION)} 之一")
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


def check_facility(data: object) -> tuple[dict, list[ChildcareError]]:
    c = _Collector()
    if not isinstance(data, dict):
        return {}, [ChildcareError("$", "应为对象")]
    for key in sorted(set(data) - FACILITY_FIELDS):
        c.add(key, "未知字段")
    clean: dict = {}
    code = data.get("credit_code")
    if not code:
        c.add("credit_code", "必填")
    else:
        code = str(code).strip().upper()
        problem = check_credit_code(code)
        if problem:
            c.add("credit_code", problem.message)
        clean["credit_code"] = code
    clean["name"] = _text(c, data, "name", "name", 200, True)
    clean["address"] = _text(c, data, "address", "address", 300, True)
    clean["community"] = _text(c, data, "community", "community", 100, False)
    ftype = data.get("type")
    if ftype not in FACILITY_TYPES:
        c.add("type", f"应为 {'、'.join(FACILITY_TYPES)} 之一")
    clean["type"] = ftype
    region = data.get("region_code")
    region = str(region).strip() if region is not None else None
    if not region:
        c.add("region_code", "必填")
    elif not places.exists(region) or places.level(region) != "county":
        c.add("region_code", f"{region} 不是有效的县级行政区划代码")
    clean["region_code"] = region
    clean["floor_area_m2"] = _decimal(c, data.get("floor_area_m2"), "floor_area_m2", True, positive=True)
    clean["outdoor_area_m2"] = _decimal(c, data.get("outdoor_area_m2"), "outdoor_area_m2", False)
    clean["rooms"] = _int(c, data.get("rooms"), "rooms")
    default_inclusive = ftype in PUBLIC_TYPES or ftype == "inclusive_private"
    clean["inclusive"] = _bool(c, data.get("inclusive"), "inclusive", default_inclusive)
    if ftype == "inclusive_private" and not clean["inclusive"]:
        c.add("inclusive", "普惠性民办托育机构应为普惠（inclusive=true）")
    for flag in ("demonstration", "comprehensive_centre", "guidance_role"):
        clean[flag] = _bool(c, data.get(flag), flag)
    clean["opening_date"] = parse_date(c, data.get("opening_date"), "opening_date", True)
    clean["closed_on"] = parse_date(c, data.get("closed_on"), "closed_on", False)
    if clean["opening_date"] and clean["closed_on"] and clean["closed_on"] < clean["opening_date"]:
        c.add("closed_on", "停办日期早于开办日期")
    clean["lat"] = _decimal(c, data.get("lat"), "lat", False, lo=-90, hi=90)
    clean["lon"] = _decimal(c, data.get("lon"), "lon", False, lo=-180, hi=180)
    if (clean["lat"] is None) != (clean["lon"] is None) and not any(
        p.field in ("lat", "lon") for p in c.problems
    ):
        c.add("lat" if clean["lat"] is None else "lon", "经纬度须同时填写")
    clean["slots"] = _slots(c, data.get("slots"))
    clean["staff"] = _staff(c, data.get("staff"))
    return clean, c.problems


def clean_facility(data: object) -> dict:
    """The cleaned record, or the first problem raised as ChildcareError."""
    clean, problems = check_facility(data)
    if problems:
        raise problems[0]
    return clean
