"""The 妇幼 feeds: what hospitals and 妇幼保健院 send from their own systems, in the population data hub's feed
format (`cradle.registry.feeds`: same first columns, validation and quarantine), and the set-based SQL that stores
a staged batch into the health domain's tables.

Declared here as plain data, in the field order of `cradle.registry.feeds.Column` (name, kind, label, required,
codes, required_for, encrypted), so the registry can build its `Feed`s from them without this module importing
it. Columns marked encrypted are staged and stored encrypted (cradle.fieldcrypt), like ID numbers: results,
diagnoses, causes of death. docs/feeds/<dept>.md shows each format with examples.

In the SQL, `{S}` is the staging table: its rows carry their person (`_person_id`, found or created by the
registry from the ID number) and their source record (`_source_id`); ID numbers are already in stored form.
"""

from __future__ import annotations

from typing import NamedTuple


class Col(NamedTuple):
    name: str
    kind: str
    label: str
    required: bool = False
    codes: dict[str, str] | None = None
    required_for: tuple[str, ...] = ()
    encrypted: bool = False


class FeedSpec(NamedTuple):
    label: str
    events: dict[str, str]
    columns: tuple[Col, ...]


SEX = {"1": "M", "2": "F"}
FLAG = {"0": "0", "1": "1"}
INSTITUTION_KINDS = {"1": "mch", "2": "hospital", "3": "primary"}


def _common(events: dict[str, str], sexes: dict[str, str] = SEX) -> tuple[Col, ...]:
    """The registry's seven first columns, then where the row is counted and which institution sent it."""
    return (
        Col("record_no", "text", "业务记录号", True),
        Col("id_number", "id_number", "公民身份号码", True),
        Col("name", "text", "姓名", True),
        Col("sex", "enum", "性别", True, sexes),
        Col("birth_date", "date", "出生日期", True),
        Col("event", "enum", "事项", True, {k: k for k in events}),
        Col("event_date", "date", "发生日期", True),
        Col("region", "region", "常住地（区县）行政区划代码：统计口径所属地", True),
        Col("town", "town", "乡镇（街道）代码"),
        Col("institution_code", "text", "医疗机构代码（医疗机构执业许可证登记号）", True),
        Col("institution_name", "text", "医疗机构名称"),
        Col(
            "institution_kind",
            "enum",
            "医疗机构类别（1妇幼保健院 2医院 3乡镇卫生院/社区卫生服务中心）",
            False,
            INSTITUTION_KINDS,
        ),
    )


MATERNAL_EVENTS = {
    "file": "早孕建册（建立孕产妇保健手册并进行第一次产前检查）",
    "visit": "产前检查",
    "risk": "妊娠风险评估分级",
    "delivery": "分娩",
    "postpartum": "产后访视",
    "test": "孕期艾滋病、梅毒、乙肝检测",
    "treat": "感染孕产妇治疗（抗病毒/抗梅毒）",
    "exposed_child": "艾滋病、梅毒、乙肝暴露儿童随访结局",
}
CHILD_EVENTS = {
    "metabolic": "新生儿遗传代谢性疾病筛查",
    "hearing": "新生儿听力筛查",
    "defect": "出生缺陷",
    "visit": "0—6岁儿童健康检查",
}
DEATH_EVENTS = {"death": "死亡个案报告（孕产妇死亡、5岁以下儿童死亡）"}
WOMEN_EVENTS = {
    "premarital": "婚前医学检查",
    "preconception": "孕前优生健康检查",
    "cervical": "宫颈癌筛查",
    "breast": "乳腺癌筛查",
    "hpv": "HPV疫苗接种",
}
NEG_POS = {"1": "negative", "2": "positive"}

FEEDS: dict[str, FeedSpec] = {
    "fuyou_maternal": FeedSpec(
        "妇幼（孕产妇保健、预防艾滋病梅毒乙肝母婴传播）",
        MATERNAL_EVENTS,
        _common(MATERNAL_EVENTS, {"2": "F"})
        + (
            Col("pregnancy_no", "text", "孕产妇保健手册编号（同一次妊娠的各条记录相同）", True),
            Col("weeks", "int", "孕周", required_for=("file",)),
            Col("edd", "date", "预产期"),
            Col(
                "risk_grade",
                "enum",
                "妊娠风险分级（1绿 2黄 3橙 4红 5紫），加密存储",
                False,
                {"1": "green", "2": "yellow", "3": "orange", "4": "red", "5": "purple"},
                ("risk",),
                True,
            ),
            Col("risk_factors", "text", "风险因素，加密存储", encrypted=True),
            Col("live_births", "int", "活产数", required_for=("delivery",)),
            Col("stillbirths", "int", "死胎死产数"),
            Col(
                "delivery_mode",
                "enum",
                "分娩方式（1阴道分娩 2剖宫产 3阴道助产），加密存储",
                False,
                {"1": "natural", "2": "caesarean", "3": "assisted"},
                encrypted=True,
            ),
            Col("new_method", "flag", "新法接生（住院分娩或经培训人员接生；空则按是）", False, FLAG),
            Col(
                "hiv_result",
                "enum",
                "艾滋病检测结果（1阴性 2阳性），加密存储",
                False,
                NEG_POS,
                encrypted=True,
            ),
            Col(
                "syphilis_result",
                "enum",
                "梅毒检测结果（1阴性 2阳性），加密存储",
                False,
                NEG_POS,
                encrypted=True,
            ),
            Col(
                "hbv_result",
                "enum",
                "乙肝表面抗原检测结果（1阴性 2阳性），加密存储",
                False,
                NEG_POS,
                encrypted=True,
            ),
            Col(
                "infection",
                "enum",
                "感染（1艾滋病 2梅毒 3乙肝），加密存储",
                False,
                {"1": "hiv", "2": "syphilis", "3": "hbv"},
                ("treat", "exposed_child"),
                True,
            ),
            Col(
                "child_result",
                "enum",
                "暴露儿童最终感染状态（1未感染 2感染），加密存储",
                False,
                NEG_POS,
                ("exposed_child",),
                True,
            ),
        ),
    ),
    "fuyou_child": FeedSpec(
        "妇幼（儿童保健、新生儿疾病筛查、出生缺陷监测）",
        CHILD_EVENTS,
        _common(CHILD_EVENTS)
        + (
            Col(
                "result",
                "enum",
                "筛查结果（1未见异常 2阳性/未通过），加密存储",
                False,
                {"1": "pass", "2": "refer"},
                ("metabolic", "hearing"),
                True,
            ),
            Col(
                "diagnosis",
                "text",
                "出生缺陷诊断（ICD-10），加密存储",
                required_for=("defect",),
                encrypted=True,
            ),
        ),
    ),
    "fuyou_death": FeedSpec(
        "妇幼（孕产妇死亡、5岁以下儿童死亡监测）",
        DEATH_EVENTS,
        _common(DEATH_EVENTS)
        + (
            Col(
                "death_kind",
                "enum",
                "死亡类别（1孕产妇死亡 2五岁以下儿童死亡）",
                True,
                {"1": "maternal", "2": "child"},
            ),
            Col("cause", "text", "根本死因（ICD-10），加密存储", True, encrypted=True),
            Col(
                "place",
                "enum",
                "死亡地点（1医疗机构 2途中 3家中 4其他）",
                False,
                {"1": "hospital", "2": "transit", "3": "home", "4": "other"},
            ),
            Col("pregnancy_no", "text", "孕产妇保健手册编号（孕产妇死亡）"),
        ),
    ),
    "fuyou_women": FeedSpec(
        "妇幼（婚前保健、孕前优生、两癌筛查、HPV疫苗接种）",
        WOMEN_EVENTS,
        _common(WOMEN_EVENTS)
        + (
            Col(
                "result",
                "enum",
                "检查结果（1未见异常 2异常），加密存储",
                False,
                {"1": "normal", "2": "abnormal"},
                ("premarital", "preconception", "cervical", "breast"),
                True,
            ),
            Col("dose", "int", "接种剂次", required_for=("hpv",)),
        ),
    ),
}


def _in(events: tuple[str, ...]) -> str:
    return "s.event IN (" + ", ".join(f"'{e}'" for e in events) + ")"


# Institutions are master data kept by the health domain; a code first seen in a feed is registered with the
# name and kind the row gives (officials set the 危重孕产妇救治中心 designation, `cradle health institutions`).
_INSTITUTIONS = """INSERT INTO health_institution (code, name, region, kind, critical_care)
    SELECT s.institution_code, MAX(COALESCE(s.institution_name, s.institution_code)), MIN(s.region),
           COALESCE(MAX(s.institution_kind), 'hospital'), false
    FROM {S} s WHERE s.institution_code IS NOT NULL GROUP BY s.institution_code
    ON CONFLICT (code) DO NOTHING"""
_WHO = "s._source_id, s._person_id, s.id_number, s.name"


def _changed(groups: tuple[str, ...], *also: str) -> list[str]:
    """Raise the change number of the counties and groups of indicators the batch's rows count in
    (`models.CountChange`): the rows' own regions, and the regions `also` selects."""
    regions = " UNION ".join(("SELECT s.region FROM {S} s", *also))
    return [
        f"""INSERT INTO health_count_change (region, part, change)
            SELECT DISTINCT r.region, '{group}', 1 FROM ({regions}) r WHERE r.region IS NOT NULL
            ON CONFLICT (region, part) DO UPDATE SET change = health_count_change.change + 1"""
        for group in groups
    ]


# a pregnancy's records count where she delivers, a treatment where she tested positive
_PREGNANCY_REGIONS = tuple(
    f"SELECT t.region FROM {table} t WHERE t.pregnancy_no IN (SELECT s.pregnancy_no FROM {{S}} s)"
    for table in ("health_pregnancy", "health_delivery", "health_infection_record")
)
# a 孕前优生 check counts for the woman's pregnancies
_PRECONCEPTION_REGIONS = """SELECT t.region FROM health_pregnancy t
    WHERE t.id_number IN (SELECT s.id_number FROM {S} s WHERE s.event = 'preconception')"""
_WHERE = "s.region, s.town, s.institution_code"

FACT_SQL: dict[str, list[str]] = {
    "fuyou_maternal": [
        _INSTITUTIONS,
        # a second 建册 row for a 手册编号 already filed keeps the first (the later one stays a source record)
        f"""INSERT INTO health_pregnancy (source_id, person_id, id_number, name, birth_date, region, town,
                                          institution_code, pregnancy_no, filed_on, weeks_at_filing, edd, status)
            SELECT {_WHO}, s.birth_date, {_WHERE}, s.pregnancy_no, s.event_date, s.weeks, s.edd, 'open'
            FROM {{S}} s WHERE s.event = 'file'
            ON CONFLICT (pregnancy_no) DO NOTHING""",
        f"""INSERT INTO health_maternal_visit (source_id, pregnancy_no, kind, visited_on, weeks, region,
                                               institution_code)
            SELECT s._source_id, s.pregnancy_no, CASE s.event WHEN 'visit' THEN 'antenatal' ELSE 'postpartum' END,
                   s.event_date, s.weeks, s.region, s.institution_code
            FROM {{S}} s WHERE {_in(("visit", "postpartum"))}""",
        """INSERT INTO health_risk_assessment (source_id, pregnancy_no, assessed_on, grade, factors, weeks,
                                               institution_code, case_checked)
            SELECT s._source_id, s.pregnancy_no, s.event_date, s.risk_grade, s.risk_factors, s.weeks,
                   s.institution_code, false
            FROM {S} s WHERE s.event = 'risk'""",
        f"""INSERT INTO health_delivery (source_id, person_id, id_number, pregnancy_no, delivered_on, region, town,
                                         institution_code, live_births, stillbirths, weeks, mode, new_method)
            SELECT s._source_id, s._person_id, s.id_number, s.pregnancy_no, s.event_date, {_WHERE},
                   s.live_births, COALESCE(s.stillbirths, 0), s.weeks, s.delivery_mode, COALESCE(s.new_method, true)
            FROM {{S}} s WHERE s.event = 'delivery'
            ON CONFLICT (pregnancy_no) DO NOTHING""",
        """UPDATE health_pregnancy SET status = 'delivered'
            WHERE status = 'open' AND pregnancy_no IN (SELECT s.pregnancy_no FROM {S} s WHERE s.event = 'delivery')""",
        f"""INSERT INTO health_infection_record (source_id, pregnancy_no, kind, recorded_on, region,
                                                 institution_code, hiv, syphilis, hbv, infection, result)
            SELECT s._source_id, s.pregnancy_no, CASE s.event WHEN 'exposed_child' THEN 'child' ELSE s.event END,
                   s.event_date, s.region, s.institution_code, s.hiv_result, s.syphilis_result, s.hbv_result,
                   s.infection, s.child_result
            FROM {{S}} s WHERE {_in(("test", "treat", "exposed_child"))}""",
        *_changed(("births", "infections", "women"), *_PREGNANCY_REGIONS),
    ],
    "fuyou_child": [
        _INSTITUTIONS,
        f"""INSERT INTO health_child_record (source_id, person_id, id_number, name, sex, birth_date, kind,
                                             recorded_on, result, diagnosis, region, town, institution_code)
            SELECT {_WHO}, s.sex, s.birth_date, s.event, s.event_date, s.result, s.diagnosis, {_WHERE}
            FROM {{S}} s""",
        *_changed(("births", "children")),
    ],
    "fuyou_death": [
        _INSTITUTIONS,
        f"""INSERT INTO health_death (source_id, person_id, id_number, name, sex, birth_date, kind, died_on, cause,
                                      place, pregnancy_no, region, town, institution_code, review_status)
            SELECT {_WHO}, s.sex, s.birth_date, s.death_kind, s.event_date, s.cause, s.place, s.pregnancy_no,
                   {_WHERE}, 'pending'
            FROM {{S}} s""",
        *_changed(("births",)),
    ],
    "fuyou_women": [
        _INSTITUTIONS,
        f"""INSERT INTO health_women_service (source_id, person_id, id_number, name, sex, birth_date, kind,
                                              served_on, result, dose, region, town, institution_code)
            SELECT {_WHO}, s.sex, s.birth_date, s.event, s.event_date, s.result, s.dose, {_WHERE}
            FROM {{S}} s""",
        *_changed(("women",), _PRECONCEPTION_REGIONS),
    ],
}
