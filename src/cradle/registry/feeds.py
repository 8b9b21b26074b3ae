"""The feed format of each department: columns, codes and which events a row may carry.

One format per department (docs/feeds/<dept>.md shows each with examples). Every feed starts with the same seven
columns: record_no (the department's own record number, unique within the department), id_number, name, sex
(GB/T 2261.1: 1 男, 2 女), birth_date, event, event_date (the date from which the fact holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cradle.errors import N_, Invalid
from cradle.health import feeds as health_feeds


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | id_number | date | region | town | enum | int | money | flag
    label: str
    required: bool = False
    codes: dict[str, str] | None = None  # code in the file → stored value
    required_for: tuple[str, ...] = ()  # events for which the column is required
    encrypted: bool = (
        False  # staged and stored encrypted (cradle.fieldcrypt): health results, causes of death
    )
    # Added after the departments' files were specified: a file without the column still loads, and a row whose
    # event needs it is quarantined naming it (so a 民政 file from before adoptions were sent keeps working).
    later: bool = False


@dataclass(frozen=True)
class Feed:
    dept: str
    label: str
    columns: tuple[Column, ...]
    events: dict[str, str]  # event code → Chinese meaning
    id_optional_for: tuple[str, ...] = ()  # events whose subject may lack an ID number (newborns)
    people: tuple[str, ...] = field(default=())  # prefixes of related-person column groups (mother_, …)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SEX = {"1": "M", "2": "F"}
FLAG = {"0": "0", "1": "1"}


def _common(events: dict[str, str]) -> tuple[Column, ...]:
    return (
        Column("record_no", "text", "业务记录号", required=True),
        Column("id_number", "id_number", "公民身份号码", required=True),
        Column("name", "text", "姓名", required=True),
        Column("sex", "enum", "性别", required=True, codes=SEX),
        Column("birth_date", "date", "出生日期", required=True),
        Column("event", "enum", "事项", required=True, codes={k: k for k in events}),
        Column("event_date", "date", "生效日期", required=True),
    )


def _town() -> Column:
    """The 乡镇/街道 the row belongs to (9 digits, the first 6 the row's county): scopes a town official's view."""
    return Column("town", "town", "乡镇（街道）代码")


def _person(
    prefix: str, label: str, required_for: tuple[str, ...] = (), later: bool = False
) -> tuple[Column, ...]:
    return (
        Column(
            f"{prefix}id_number", "id_number", f"{label}公民身份号码", required_for=required_for, later=later
        ),
        Column(f"{prefix}name", "text", f"{label}姓名", required_for=required_for, later=later),
        Column(f"{prefix}birth_date", "date", f"{label}出生日期（空则取自身份证号码）", later=later),
    )


GONGAN_EVENTS = {
    "register": "户籍登记（出生登记或首次登记）",
    "move_in": "迁入",
    "move_out": "迁出",
    "death": "死亡注销",
    "correct": "信息更正（姓名、性别、出生日期）",
}
# GB/T 4761-2008 家庭关系代码 (the codes 公安 户籍 uses for 与户主关系)
RELATION_TO_HEAD = {
    "01": "本人",
    "02": "户主",
    "10": "配偶",
    "11": "夫",
    "12": "妻",
    "20": "子",
    "30": "女",
    "40": "孙子女/外孙子女",
    "50": "父母",
    "60": "祖父母/外祖父母",
    "70": "兄弟姐妹",
    "80": "其他",
}

WEIJIAN_EVENTS = {
    "birth": "出生医学证明签发",
    "only_child_certificate": "领取独生子女父母光荣证",
    "rural_two_daughters": "农村双女户确认",
    "special_bereaved": "计划生育特殊家庭（失独）确认",
    "special_disabled": "计划生育特殊家庭（独生子女伤残）确认",
    "fp_revoke": "计划生育家庭身份注销",
}
MINZHENG_EVENTS = {
    "marriage": "结婚登记",
    "divorce": "离婚登记",
    "death": "死亡（殡葬）登记",
    "low_income_start": "纳入低保/低收入",
    "low_income_end": "退出低保/低收入",
    "orphan": "孤儿认定",
    "adoption": "收养登记（本行为被收养的子女，生效日期为收养日期）",
}
JIAOYU_EVENTS = {"enrol": "入托/入园", "leave": "离托/离园"}
YIBAO_EVENTS = {"enrol": "参保", "stop": "停保"}
RENSHE_EVENTS = {"employed": "单位就业登记", "flexible": "灵活就业登记", "unemployed": "失业/就业登记注销"}
TONGJI_EVENTS = {
    "resident": "常住地登记",
}

FEEDS: dict[str, Feed] = {
    "gongan": Feed(
        "gongan",
        "公安（户籍）",
        _common(GONGAN_EVENTS)
        + (
            Column("hukou_region", "region", "户籍地行政区划代码", required=True),
            Column("household_no", "text", "户号"),
            Column("relation_to_head", "enum", "与户主关系", codes={k: k for k in RELATION_TO_HEAD}),
            Column("hukou_type", "enum", "户口性质", codes={"1": "rural", "2": "urban"}),
            _town(),
        ),
        GONGAN_EVENTS,
    ),
    "weijian": Feed(
        "weijian",
        "卫健（出生医学证明、计划生育）",
        _common(WEIJIAN_EVENTS)
        + (Column("region", "region", "发生地行政区划代码", required=True),)
        + _person("mother_", "母亲", required_for=("birth",))
        + _person("father_", "父亲")
        + (
            Column("birth_order", "int", "孩次"),
            Column("babies", "int", "胎数（本次分娩婴儿数）"),
            Column(
                "delivery_mode", "enum", "分娩方式", codes={"1": "natural", "2": "caesarean", "3": "assisted"}
            ),
            Column("dystocia", "flag", "难产", codes=FLAG),
            Column("in_policy_cost", "money", "政策范围内分娩费用（元）"),
            _town(),
        ),
        WEIJIAN_EVENTS,
        id_optional_for=("birth",),
        people=("mother_", "father_"),
    ),
    "minzheng": Feed(
        "minzheng",
        "民政（婚姻、殡葬、社会救助）",
        _common(MINZHENG_EVENTS)
        + (Column("region", "region", "登记地行政区划代码"),)
        + _person("spouse_", "配偶", required_for=("marriage", "divorce"))
        + (Column("spouse_sex", "enum", "配偶性别", codes=SEX, required_for=("marriage", "divorce")),)
        + _person("adopter_", "收养人", required_for=("adoption",), later=True)
        + (
            Column("adopter_sex", "enum", "收养人性别", codes=SEX, required_for=("adoption",), later=True),
            _town(),
        ),
        MINZHENG_EVENTS,
        people=("spouse_", "adopter_"),
    ),
    "jiaoyu": Feed(
        "jiaoyu",
        "教育（托育、幼儿园在园）",
        _common(JIAOYU_EVENTS)
        + (
            Column(
                "care_type", "enum", "机构类型", required=True, codes={"1": "nursery", "2": "kindergarten"}
            ),
            Column("institution_code", "text", "机构统一社会信用代码"),
            Column("institution_name", "text", "机构名称"),
            Column("public", "flag", "公办", codes=FLAG),
            Column("inclusive", "flag", "普惠性", codes=FLAG),
            Column("registered", "flag", "已备案", codes=FLAG),
            Column("region", "region", "机构所在地行政区划代码"),
            _town(),
        ),
        JIAOYU_EVENTS,
    ),
    "yibao": Feed(
        "yibao",
        "医保（参保）",
        _common(YIBAO_EVENTS)
        + (
            Column(
                "scheme",
                "enum",
                "险种类型",
                required=True,
                codes={"310": "employee_medical", "390": "resident_medical", "510": "maternity"},
            ),
            Column("region", "region", "参保地行政区划代码"),
            _town(),
        ),
        YIBAO_EVENTS,
    ),
    "renshe": Feed(
        "renshe",
        "人社（就业登记）",
        _common(RENSHE_EVENTS)
        + (
            Column("employer_code", "text", "单位统一社会信用代码"),
            Column("employer_avg_monthly_wage", "money", "单位上年度职工月平均工资（元）"),
            Column("region", "region", "就业地行政区划代码"),
            _town(),
        ),
        RENSHE_EVENTS,
    ),
    "tongji": Feed(
        "tongji",
        "统计（常住人口）",
        _common(TONGJI_EVENTS) + (Column("region", "region", "常住地行政区划代码", required=True), _town()),
        TONGJI_EVENTS,
    ),
}

# The 妇幼 feeds, declared by the health domain in this format and stored into its tables by the SQL it gives
# (cradle.health.feeds, cradle.registry.facts).
FEEDS.update(
    {
        dept: Feed(dept, spec.label, tuple(Column(*c) for c in spec.columns), spec.events)
        for dept, spec in health_feeds.FEEDS.items()
    }
)

DEPT_LABELS = {k: f.label for k, f in FEEDS.items()}


def get_feed(dept: str) -> Feed:
    try:
        return FEEDS[dept]
    except KeyError:
        raise Invalid(
            "dept",
            N_("Unknown department %(dept)s; available: %(available)s"),
            dept=dept,
            available=", ".join(FEEDS),
        ) from None
