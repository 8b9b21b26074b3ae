"""The household input format (POLICY_CATALOGUE.md "Household input"), validated with Pydantic.

`parse_household(data, as_of)` returns a Household or raises `cradle.errors.Problems` listing every problem with
its field path (`members[2].birth_date`), so the CLI (exit 2) and the API (422) show the same list, each message
said in the reader's language when answered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Literal

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from cradle import idcard, regions
from cradle.errors import N_, Invalid, Problems


def _known_region(code: str) -> str:
    if not regions.exists(code):
        raise PydanticCustomError("unknown_code", "unknown region code {region}", {"region": code})
    return code


Code = Annotated[str, Field(pattern=r"^\d{6}$"), AfterValidator(_known_region)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Care(_Model):
    type: Literal["none", "home", "nursery", "kindergarten"] = "none"
    public: bool = False
    inclusive: bool = False
    registered: bool = False
    left: dt.date | None = None  # the day the child left this nursery or kindergarten (its enrolment record)


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
    # what the family-planning families' support turns on (optional; absent: not given)
    hukou_type: Literal["rural", "urban"] | None = None  # 户口性质 (农村/城镇)
    death_date: dt.date | None = None  # with deceased: true
    disability_grade: Annotated[int, Field(ge=1, le=4)] | None = None  # 残疾等级 一级…四级, with disability
    adopted: bool = False  # a child adopted (合法收养)
    adopted_on: dt.date | None = None  # the adoption's date (民政 收养登记), with adopted: true
    cannot_self_care: bool = False  # 生活长期不能自理
    hospitalized: bool = False  # in hospital on the as-of date


class FamilyPlanning(_Model):
    only_child_certificate: bool = False
    rural_two_daughters: bool = False
    special_family: Literal["bereaved", "disabled_child"] | None = None
    certificate_date: dt.date | None = None  # 独生子女父母光荣证 issued on, with only_child_certificate
    lump_sum_received: bool = False  # the 失独 family had its 一次性抚慰（扶助）金


class Housing(_Model):
    owns_home: bool = False
    public_rental_eligible: bool = False


class BirthEvent(_Model):
    """One delivery: its newborns (`children`, member ids), or one of them in the earlier one-child form
    (`child`, with `babies` counting the others). Birth events on one date are one delivery (the old form gave
    twins as two events)."""

    type: Literal["birth"]
    date: dt.date
    children: Annotated[list[str], Field(min_length=1, max_length=9)] | None = None
    child: str | None = None
    babies: Annotated[int, Field(ge=1, le=9)] | None = None  # default: the children named
    dystocia: bool = False
    in_policy_delivery_cost: Annotated[float, Field(ge=0)] | None = None

    @property
    def newborns(self) -> list[str]:
        """The member ids this event names, in either form."""
        return list(self.children or ([self.child] if self.child else []))


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


# Pydantic's error types said in our words; a message's %(name)s parts come from the error's `ctx`.
_MESSAGES = {
    "missing": N_("Required field missing"),
    "extra_forbidden": N_("Unknown field"),
    "literal_error": N_("Not one of the allowed values (%(expected)s)"),
    "date_from_datetime_parsing": N_("Enter the date as YYYY-MM-DD"),
    "date_parsing": N_("Enter the date as YYYY-MM-DD"),
    "date_type": N_("Enter the date as YYYY-MM-DD"),
    "string_pattern_mismatch": N_("Should be a 6-digit region code"),
    "string_type": N_("Should be a text string"),
    "bool_parsing": N_("Should be true or false"),
    "bool_type": N_("Should be true or false"),
    "int_parsing": N_("Should be a whole number"),
    "int_type": N_("Should be a whole number"),
    "int_from_float": N_("Should be a whole number"),
    "float_parsing": N_("Should be a number"),
    "float_type": N_("Should be a number"),
    "greater_than_equal": N_("Cannot be less than %(ge)s"),
    "less_than_equal": N_("Cannot be more than %(le)s"),
    "too_short": N_("Cannot be empty"),
    "too_long": N_("Too many entries"),
    "list_type": N_("Should be a list"),
    "model_type": N_("Should be an object"),
    "dict_type": N_("Should be an object"),
    "union_tag_invalid": N_("Unknown event type (%(expected_tags)s)"),
    "union_tag_not_found": N_("The event type (type) is missing"),
    "string_too_short": N_("Cannot be empty"),
    "string_too_long": N_("Too long"),
    "unknown_code": N_("Unknown region code %(region)s"),
}
_PARAMS = {kind: tuple(re.findall(r"%\((\w+)\)s", message)) for kind, message in _MESSAGES.items()}

# cradle.idcard's problem codes said as message ids
_ID_NUMBER = {
    "length": N_("The ID number should have 18 characters"),
    "format": N_("The ID number is not in the right format"),
    "checksum": N_("The ID number's check digit is wrong"),
    "birth_date": N_("The birth date inside the ID number is not a valid date"),
    "region": N_("The region code inside the ID number is not valid"),
    "birth_date_mismatch": N_("The birth date inside the ID number differs from the date of birth"),
}
_ONLY_ONE = {
    "mother": N_("A household can have only one mother"),
    "father": N_("A household can have only one father"),
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


def pydantic_problems(exc: ValidationError) -> list[Invalid]:
    """Each of pydantic's errors as a problem naming its field (pydantic's own English words for a type that
    `_MESSAGES` does not say)."""
    problems = []
    for e in exc.errors(include_url=False):
        kind, ctx = e["type"], e.get("ctx") or {}
        path = field_path(tuple(e["loc"]))
        names = _PARAMS.get(kind)
        if names is None or any(name not in ctx for name in names):
            problems.append(Invalid(path, e["msg"], code=kind))
        else:
            problems.append(Invalid(path, _MESSAGES[kind], code=kind, **{n: str(ctx[n]) for n in names}))
    return problems


def _family_planning_facts(m: Member, where: str, as_of: dt.date | None) -> list[Invalid]:
    """A member's death date, disability grade and adoption agree with the rest of the member."""
    problems = []
    if m.death_date:
        if not m.deceased:
            message = N_("A death date needs deceased: true")
            problems.append(Invalid(f"{where}.death_date", message, code="not_deceased"))
        elif m.death_date < m.birth_date:
            message = N_("The death date is before the birth date")
            problems.append(Invalid(f"{where}.death_date", message, code="before_birth"))
        elif as_of and m.death_date > as_of:
            message = N_("The death date is after the as-of date")
            problems.append(Invalid(f"{where}.death_date", message, code="after_as_of"))
    if m.disability_grade and not m.disability:
        message = N_("A disability grade needs disability: true")
        problems.append(Invalid(f"{where}.disability_grade", message, code="not_disabled"))
    if m.adopted and m.relation != "child":
        message = N_("Only a child can be adopted")
        problems.append(Invalid(f"{where}.adopted", message, code="not_a_child"))
    if m.adopted_on:
        if not m.adopted:
            message = N_("An adoption date needs adopted: true")
            problems.append(Invalid(f"{where}.adopted_on", message, code="not_adopted"))
        elif m.adopted_on < m.birth_date:
            message = N_("The adoption date is before the birth date")
            problems.append(Invalid(f"{where}.adopted_on", message, code="before_birth"))
        elif as_of and m.adopted_on > as_of:
            message = N_("The adoption date is after the as-of date")
            problems.append(Invalid(f"{where}.adopted_on", message, code="after_as_of"))
    return problems


def _check_facts(h: Household, as_of: dt.date | None) -> list[Invalid]:
    problems: list[Invalid] = []
    add = problems.append
    seen: dict[str, int] = {}
    for i, m in enumerate(h.members):
        where = f"members[{i}]"
        if m.id in seen:
            add(
                Invalid(
                    f"{where}.id",
                    N_("Same member id as %(other)s"),
                    code="duplicate",
                    other=f"members[{seen[m.id]}]",
                )
            )
        seen.setdefault(m.id, i)
        if as_of and m.birth_date > as_of:
            add(
                Invalid(
                    f"{where}.birth_date", N_("The birth date is after the as-of date"), code="after_as_of"
                )
            )
        if m.id_number:
            problem = idcard.check_id_number(m.id_number, birth_date=m.birth_date)
            if problem:
                message = _ID_NUMBER.get(problem.code, problem.message)
                add(Invalid(f"{where}.id_number", message, code=problem.code))
        if m.relation != "child" and (m.birth_order or m.care):
            key = "birth_order" if m.birth_order else "care"
            add(
                Invalid(
                    f"{where}.{key}",
                    N_("Only a child can have a birth order or a care arrangement"),
                    code="not_a_child",
                )
            )
        problems.extend(_family_planning_facts(m, where, as_of))
    fp = h.family_planning
    if fp.certificate_date and not fp.only_child_certificate:
        add(
            Invalid(
                "family_planning.certificate_date",
                N_("A certificate date needs only_child_certificate: true"),
                code="without_certificate",
            )
        )
    if fp.certificate_date and as_of and fp.certificate_date > as_of:
        add(
            Invalid(
                "family_planning.certificate_date",
                N_("The certificate date is after the as-of date"),
                code="after_as_of",
            )
        )
    for rel in ("mother", "father"):
        idx = [i for i, m in enumerate(h.members) if m.relation == rel]
        for i in idx[1:]:
            add(Invalid(f"members[{i}].relation", _ONLY_ONE[rel], code="duplicate"))
    mother = next((m for m in h.members if m.relation == "mother"), None)
    if mother:
        for i, m in enumerate(h.members):
            if m.relation != "child":
                continue
            if m.birth_date <= mother.birth_date:
                add(
                    Invalid(
                        f"members[{i}].birth_date",
                        N_("A child cannot be born before its mother"),
                        code="before_mother",
                    )
                )
            elif (m.birth_date - mother.birth_date).days < 12 * 365:
                add(
                    Invalid(
                        f"members[{i}].birth_date",
                        N_("The mother was under 12 when the child was born"),
                        code="mother_too_young",
                    )
                )
    for j, ev in enumerate(h.events):
        # a field's value from the model's own dict: an event without a date (renting) raises no AttributeError
        if as_of and ev.__dict__.get("date") and ev.date > as_of:
            add(
                Invalid(f"events[{j}].date", N_("The event date is after the as-of date"), code="after_as_of")
            )
    problems += _check_births(h)
    problems += _check_birth_order(h, {p.field for p in problems})
    problems += _check_person_facts(h, as_of)
    for kind in ("home_purchase", "renting"):
        idx = [j for j, ev in enumerate(h.events) if ev.type == kind]
        for j in idx[1:]:
            add(
                Invalid(
                    f"events[{j}].type",
                    N_("A household can have only one event of this type"),
                    code="duplicate",
                )
            )
    return problems


def _check_births(h: Household) -> list[Invalid]:
    """Each birth event names its newborns in one form, each a child born on its date and in no other event;
    events on one date are one delivery, so they cannot give it two different costs."""
    problems: list[Invalid] = []
    add = problems.append
    by_id = {m.id: (i, m) for i, m in enumerate(h.members)}
    named: set[str] = set()
    delivery: dict[dt.date, int] = {}  # date -> the first event of that delivery
    for j, ev in enumerate(h.events):
        if not isinstance(ev, BirthEvent):
            continue
        if ev.child is not None and ev.children is not None:
            message = N_("Name the newborns in children or in child, not in both")
            add(Invalid(f"events[{j}].child", message, code="both_forms"))
            continue
        if not ev.newborns:
            add(Invalid(f"events[{j}].children", _MESSAGES["missing"], code="missing"))
            continue
        if ev.children is None:
            fields = [f"events[{j}].child"]
        else:
            fields = [f"events[{j}].children[{k}]" for k in range(len(ev.children))]
        for field, kid in zip(fields, ev.newborns, strict=True):
            if kid not in by_id:
                add(Invalid(field, N_("No member has the id %(id)s"), code="unknown_member", id=kid))
                continue
            i, m = by_id[kid]
            if m.relation != "child":
                message = N_("%(member)s is not a child and cannot have a birth event")
                add(Invalid(field, message, code="not_a_child", member=f"members[{i}]"))
            elif ev.date != m.birth_date:
                message = N_("The birth event's date differs from %(field)s")
                add(
                    Invalid(
                        f"events[{j}].date", message, code="date_mismatch", field=f"members[{i}].birth_date"
                    )
                )
            if kid in named:
                add(Invalid(field, N_("A child can have only one birth event"), code="duplicate"))
            named.add(kid)
        if ev.babies is not None and ev.babies < len(ev.newborns):
            message = N_("Fewer babies than the children named (%(count)s)")
            add(Invalid(f"events[{j}].babies", message, code="too_few", count=len(ev.newborns)))
        first = delivery.setdefault(ev.date, j)
        other = h.events[first].in_policy_delivery_cost
        cost = ev.in_policy_delivery_cost
        if first != j and cost is not None and other is not None and cost != other:
            message = N_("A birth on the same day (%(other)s) is the same delivery: give its cost once")
            add(
                Invalid(
                    f"events[{j}].in_policy_delivery_cost",
                    message,
                    code="same_delivery",
                    other=f"events[{first}]",
                )
            )
    return problems


def _check_birth_order(h: Household, refused: set[str]) -> list[Invalid]:
    """A given birth order agrees with the dates: it is above every order the elder children listed have (given,
    or counted one after the other), so a child born later never comes first. It may leave gaps: the parents'
    children not listed (an adult living elsewhere) count too. Children born on one day take their orders in
    either sequence. A child whose birth date is already refused is left out."""
    problems = []
    kids = sorted(
        (m.birth_date, m.birth_order or 99, i)
        for i, m in enumerate(h.members)
        if m.relation == "child" and f"members[{i}].birth_date" not in refused
    )
    before = 0  # the order of the child before, given or counted
    for _born, _order, i in kids:
        given = h.members[i].birth_order
        if given is not None and given <= before:
            message = N_(
                "The birth order does not agree with the birth dates: it should be at least %(least)s"
            )
            problems.append(
                Invalid(f"members[{i}].birth_order", message, code="order_mismatch", least=before + 1)
            )
        before = max(before + 1, given or 0)
    return problems


# the least age at which a marriage can be registered (婚姻法 1950: 20 and 18; from 1981-01-01, 22 and 20)
_MARRIAGE_AGE = ((dt.date(1981, 1, 1), {"M": 22, "F": 20}), (dt.date.min, {"M": 20, "F": 18}))
# the least age for 企业职工 or 机关事业单位 insurance, which come with employment (劳动法 第十五条: 16)
_WORKING_AGE = 16


def _years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _check_person_facts(h: Household, as_of: dt.date | None) -> list[Invalid]:
    """The optional person facts against the member: pregnancy, marriage, treatment and employee insurance."""
    problems = []
    add = problems.append
    youngest = max((m.birth_date for m in h.members if m.relation == "child"), default=None)
    for i, m in enumerate(h.members):
        where = f"members[{i}]"
        if m.pregnancy_months is not None:
            if m.sex != "F":
                add(
                    Invalid(
                        f"{where}.pregnancy_months", N_("Only a woman can be pregnant"), code="not_a_woman"
                    )
                )
            elif m.relation == "child":
                message = N_("A member listed as a child cannot be recorded as pregnant")
                add(Invalid(f"{where}.pregnancy_months", message, code="child"))
            elif m.deceased:
                message = N_("A deceased member cannot be recorded as pregnant")
                add(Invalid(f"{where}.pregnancy_months", message, code="deceased"))
            elif (
                as_of
                and m.relation == "mother"
                and youngest
                and _months(youngest, as_of) < m.pregnancy_months
            ):
                message = N_("%(months)s months pregnant, but a child was born on %(date)s")
                add(
                    Invalid(
                        f"{where}.pregnancy_months",
                        message,
                        code="after_birth",
                        months=m.pregnancy_months,
                        date=youngest,
                    )
                )
        if m.marriage_date is not None:
            least = next(ages[m.sex] for since, ages in _MARRIAGE_AGE if m.marriage_date >= since)
            if m.marriage_date <= m.birth_date:
                message = N_("The marriage date is before the person's birth")
                add(Invalid(f"{where}.marriage_date", message, code="before_birth"))
            elif _years(m.birth_date, m.marriage_date) < least:
                message = N_("A marriage can be registered from age %(age)s only")
                add(Invalid(f"{where}.marriage_date", message, code="under_age", age=least))
            elif as_of and m.marriage_date > as_of:
                message = N_("The marriage date is after the as-of date")
                add(Invalid(f"{where}.marriage_date", message, code="after_as_of"))
        if m.assisted_reproduction:
            if m.deceased:
                message = N_("A deceased member cannot be in assisted reproduction treatment")
                add(Invalid(f"{where}.assisted_reproduction", message, code="deceased"))
            elif as_of and _years(m.birth_date, as_of) < 18:
                message = N_("A member under 18 cannot be in assisted reproduction treatment")
                add(Invalid(f"{where}.assisted_reproduction", message, code="minor"))
        if m.care is not None and m.care.left is not None:
            if m.care.left < m.birth_date:
                message = N_("The child cannot leave care before being born")
                add(Invalid(f"{where}.care.left", message, code="before_birth"))
            elif as_of and m.care.left > as_of:
                add(Invalid(f"{where}.care.left", N_("The date is after the as-of date"), code="after_as_of"))
        employee_scheme = m.social_insurance in ("enterprise", "public_institution")
        if employee_scheme and as_of and _years(m.birth_date, as_of) < _WORKING_AGE:
            message = N_("Employees' social insurance is for members aged %(age)s or more")
            add(Invalid(f"{where}.social_insurance", message, code="under_age", age=_WORKING_AGE))
    return problems


def _months(since: dt.date, on: dt.date) -> int:
    """Whole months from `since` to `on`."""
    return (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day)


def json_object(data: dict | str | bytes, not_an_object: str) -> dict:
    """`data` (a JSON text, or already a dict) as a dict, or `Problems` naming where a broken text breaks off, or
    the root "$" with the message id `not_an_object` for a document that is not an object."""
    if isinstance(data, str | bytes):
        data = _loads(data)
    if not isinstance(data, dict):
        raise Problems([Invalid(ROOT, not_an_object, code="model_type")])
    return data


# Digits as "0", so that 19 digits in a row (a number maybe past 64 bits) are found as a run of "0"s
_DIGITS_AS_ZERO, _NINETEEN_DIGITS = bytes.maketrans(b"123456789", b"0" * 9), b"0" * 19


def _loads(data: str | bytes):
    """The JSON text read by orjson (a few times quicker than json), unless a number may be past 64 bits (orjson
    reads it as a float, json as an integer); what orjson refuses is read by json, whose answer or refusal
    stands."""
    try:
        raw = data if isinstance(data, bytes) else data.encode()
    except UnicodeEncodeError:  # text that is no Unicode (a lone surrogate): json's
        return _json_loads(data)
    if _NINETEEN_DIGITS in raw.translate(_DIGITS_AS_ZERO):
        return _json_loads(data)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _json_loads(data)


def _json_loads(data: str | bytes):
    """`json.loads(data)`, or `Problems` naming where a broken text breaks off."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as e:
        malformed = N_("JSON format error: line %(line)s, column %(column)s, %(reason)s")
        where = json_path_at(e.doc, e.pos)
        raise Problems(
            [Invalid(where, malformed, code="malformed_json", line=e.lineno, column=e.colno, reason=e.msg)]
        ) from None
    except (UnicodeDecodeError, RecursionError):  # bytes in no UTF-8/16/32 encoding; nesting too deep
        message = N_("JSON format error: use JSON encoded in UTF-8")
        raise Problems([Invalid(ROOT, message, code="malformed_json")]) from None


def parse_household(data: dict | str | bytes, as_of: dt.date | None = None) -> Household:
    """A validated Household, or `Problems` with every problem found."""
    data = json_object(data, N_("The household data should be a JSON object"))
    try:
        household = Household.model_validate(data)
    except ValidationError as exc:
        raise Problems(pydantic_problems(exc)) from None
    problems = _check_facts(household, as_of)
    if problems:
        raise Problems(problems)
    return household
