"""The household input format (POLICY_CATALOGUE.md "Household input"), validated with Pydantic.

`parse_household(data, as_of)` returns a Household or raises InputError listing every problem with its field
path (`members[2].birth_date`), in Chinese, so the CLI (exit 2) and the API (422) can show the same list.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from cradle import idcard, regions
from cradle.policy.errors import FieldError, InputError


def _known_region(code: str) -> str:
    if not regions.exists(code):
        raise PydanticCustomError("unknown_code", "未知的行政区划代码 {code}", {"code": code})
    return code


Code = Annotated[str, Field(pattern=r"^\d{6}$"), AfterValidator(_known_region)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Care(_Model):
    type: Literal["none", "home", "nursery", "kindergarten"] = "none"
    public: bool = False
    inclusive: bool = False
    registered: bool = False


class Member(_Model):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    relation: Literal["mother", "father", "child", "grandparent", "other"]
    sex: Literal["F", "M"]
    birth_date: dt.date
    name: str | None = None
    id_number: str | None = None
    hukou: Code | None = None
    employment: Literal["employee", "flexible", "none"] = "none"
    medical_insurance: Literal["employee", "resident", "none"] = "none"
    maternity_insurance: bool = False
    employer_avg_monthly_wage: Annotated[float, Field(ge=0)] | None = None
    birth_order: Annotated[int, Field(ge=1, le=20)] | None = None
    care: Care | None = None
    deceased: bool = False
    disability: bool = False
    orphan: bool = False
    # facts that some documents' entitlements turn on (optional)
    diagnosis: Literal["cerebral_palsy", "autism"] | None = None  # 脑瘫, 孤独症
    pregnancy_months: Annotated[int, Field(ge=1, le=10)] | None = None  # completed months on the as-of date
    # the scheme of social insurance: 企业职工, 机关事业单位, 城乡居民
    social_insurance: Literal["enterprise", "public_institution", "resident", "none"] = "none"
    marriage_date: dt.date | None = None  # 结婚登记日
    assisted_reproduction: bool = False  # in 辅助生殖技术 treatment


class FamilyPlanning(_Model):
    only_child_certificate: bool = False
    rural_two_daughters: bool = False
    special_family: Literal["bereaved", "disabled_child"] | None = None


class Housing(_Model):
    owns_home: bool = False
    public_rental_eligible: bool = False


class BirthEvent(_Model):
    type: Literal["birth"]
    child: str
    date: dt.date
    babies: Annotated[int, Field(ge=1, le=9)] = 1
    dystocia: bool = False
    in_policy_delivery_cost: Annotated[float, Field(ge=0)] | None = None


class HomePurchaseEvent(_Model):
    type: Literal["home_purchase"]
    date: dt.date
    new_commercial: bool = False
    home_number: Annotated[int, Field(ge=1)] = 1
    deed_tax_paid: Annotated[float, Field(ge=0)] | None = None


class RentingEvent(_Model):
    type: Literal["renting"]
    monthly_rent: Annotated[float, Field(ge=0)]


Event = Annotated[BirthEvent | HomePurchaseEvent | RentingEvent, Field(discriminator="type")]


class Household(_Model):
    jurisdiction: Code
    members: Annotated[list[Member], Field(min_length=1, max_length=50)]
    family_planning: FamilyPlanning = FamilyPlanning()
    low_income: bool = False
    housing: Housing = Housing()
    events: list[Event] = []


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "literal_error": "取值不在允许范围内（{expected}）",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "string_pattern_mismatch": "应为6位行政区划代码",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "too_short": "不能为空",
    "too_long": "条目过多",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "dict_type": "应为对象",
    "union_tag_invalid": "未知的事件类型（{expected_tags}）",
    "union_tag_not_found": "缺少事件类型 type",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "unknown_code": "未知的行政区划代码 {code}",
}

_EVENT_TAGS = {"birth", "home_purchase", "renting"}


def field_path(loc: tuple) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _EVENT_TAGS and i > 0 and isinstance(loc[i - 1], int) and loc[0] == "events":
            continue  # the discriminator's branch name is not a field
        else:
            out += ("." if out else "") + str(part)
    return out or ROOT


_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# the field path of the whole document (JSONPath's root), named when the document itself is refused
ROOT = "$"


def json_path_at(doc: str, pos: int) -> str:
    """The field path of the value a JSON text was reading at `pos` when it broke off there
    ('{"members": [{"id": ' -> "members[0].id"): a cut or mistyped document names where it went wrong."""
    stack: list[list] = []  # [is_object, key or index, expecting a key]
    i, end = 0, min(pos, len(doc))
    while i < end:
        ch = doc[i]
        if ch == '"':
            j = i + 1
            while j < len(doc) and doc[j] != '"':
                j += 2 if doc[j] == "\\" else 1
            if stack and stack[-1][0] and stack[-1][2]:
                try:
                    stack[-1][1] = json.loads(doc[i : j + 1])
                except ValueError:
                    stack[-1][1] = doc[i + 1 : j]
                stack[-1][2] = False
            i = j + 1
            continue
        if ch == "{":
            stack.append([True, None, True])
        elif ch == "[":
            stack.append([False, 0, False])
        elif ch in "}]" and stack:
            stack.pop()
        elif ch == "," and stack:
            if stack[-1][0]:
                stack[-1][1:] = [None, True]
            else:
                stack[-1][1] += 1
        i += 1
    path = ""
    for is_object, key, _ in stack:
        if not is_object:
            path += f"[{key}]"
        elif key is not None:
            if not _KEY.match(str(key)):  # a key broken by the damage itself (a lost quote): name its parent
                break
            path += ("." if path else "") + str(key)
    return path or ROOT


def _pydantic_errors(exc: ValidationError) -> list[FieldError]:
    errors = []
    for e in exc.errors(include_url=False):
        template = _MESSAGES.get(e["type"])
        ctx = {k: str(v) for k, v in (e.get("ctx") or {}).items()}
        try:
            message = template.format(**ctx) if template else e["msg"]
        except KeyError:
            message = e["msg"]
        errors.append(FieldError(field_path(tuple(e["loc"])), e["type"], message))
    return errors


def _check_facts(h: Household, as_of: dt.date | None) -> list[FieldError]:
    errors: list[FieldError] = []
    add = errors.append
    seen: dict[str, int] = {}
    for i, m in enumerate(h.members):
        where = f"members[{i}]"
        if m.id in seen:
            add(FieldError(f"{where}.id", "duplicate", f"成员编号与 members[{seen[m.id]}] 重复"))
        seen.setdefault(m.id, i)
        if as_of and m.birth_date > as_of:
            add(FieldError(f"{where}.birth_date", "after_as_of", "出生日期晚于参考日期"))
        if m.id_number:
            problem = idcard.check_id_number(m.id_number, birth_date=m.birth_date)
            if problem:
                add(FieldError(f"{where}.id_number", problem.code, problem.message))
        if m.relation != "child" and (m.birth_order or m.care):
            key = "birth_order" if m.birth_order else "care"
            add(FieldError(f"{where}.{key}", "not_a_child", "只有子女可以填写孩次和照护方式"))
    for rel in ("mother", "father"):
        idx = [i for i, m in enumerate(h.members) if m.relation == rel]
        for i in idx[1:]:
            add(
                FieldError(
                    f"members[{i}].relation",
                    "duplicate",
                    f"家庭中只能有一位{'母亲' if rel == 'mother' else '父亲'}",
                )
            )
    mother = next((m for m in h.members if m.relation == "mother"), None)
    if mother:
        for i, m in enumerate(h.members):
            if m.relation != "child":
                continue
            if m.birth_date <= mother.birth_date:
                add(FieldError(f"members[{i}].birth_date", "before_mother", "子女出生日期早于母亲出生日期"))
            elif (m.birth_date - mother.birth_date).days < 12 * 365:
                add(FieldError(f"members[{i}].birth_date", "mother_too_young", "子女出生时母亲不满12周岁"))
    by_id = {m.id: (i, m) for i, m in enumerate(h.members)}
    births = set()
    for j, ev in enumerate(h.events):
        if as_of and getattr(ev, "date", None) and ev.date > as_of:
            add(FieldError(f"events[{j}].date", "after_as_of", "事件日期晚于参考日期"))
        if isinstance(ev, BirthEvent):
            if ev.child not in by_id:
                add(FieldError(f"events[{j}].child", "unknown_member", f"没有编号为 {ev.child} 的成员"))
                continue
            i, m = by_id[ev.child]
            if m.relation != "child":
                add(FieldError(f"events[{j}].child", "not_a_child", f"members[{i}] 不是子女，不能有出生事件"))
            elif ev.date != m.birth_date:
                add(
                    FieldError(
                        f"events[{j}].date", "date_mismatch", f"出生事件日期与 members[{i}].birth_date 不一致"
                    )
                )
            if ev.child in births:
                add(FieldError(f"events[{j}].child", "duplicate", "同一子女只能有一个出生事件"))
            births.add(ev.child)
    for kind in ("home_purchase", "renting"):
        idx = [j for j, ev in enumerate(h.events) if ev.type == kind]
        for j in idx[1:]:
            add(FieldError(f"events[{j}].type", "duplicate", "每个家庭只填写一个该类事件"))
    return errors


def parse_household(data: dict | str | bytes, as_of: dt.date | None = None) -> Household:
    """A validated Household, or InputError with every problem found."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as e:
            raise InputError(
                [
                    FieldError(
                        json_path_at(e.doc, e.pos),
                        "malformed_json",
                        f"JSON 格式错误：第{e.lineno}行第{e.colno}列，{e.msg}",
                    )
                ]
            ) from None
        except (UnicodeDecodeError, RecursionError):  # bytes in no UTF-8/16/32 encoding; nesting too deep
            raise InputError(
                [FieldError(ROOT, "malformed_json", "JSON 格式错误：请用 UTF-8 编码的 JSON")]
            ) from None
    if not isinstance(data, dict):
        raise InputError([FieldError(ROOT, "model_type", "家庭数据应为 JSON 对象")])
    try:
        household = Household.model_validate(data)
    except ValidationError as exc:
        raise InputError(_pydantic_errors(exc)) from None
    problems = _check_facts(household, as_of)
    if problems:
        raise InputError(problems)
    return household
