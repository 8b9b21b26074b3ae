"""The plans' 责任单位 as department accounts: a unit as a document names it (市教育局, 教育部门, 县级民政部门,
人力资源和社会保障行政部门, 各县区党委和政府) is a department code of `cradle.auth.roles.DEPARTMENTS`, and a
department of a region is its office as people read it (白银市教育局, 陆河县卫生健康局; Baiyin City Education
Bureau). A department account (role dept_clerk, its region and department) is the unit of that region.
"""

from __future__ import annotations

from cradle import regions
from cradle.auth import roles
from cradle.errors import N_, translate

LEAD_OFFICE = "weijian"  # the plans' 牵头 office: 卫生健康 (it accepts or returns the units' reports)
ANY = "*"  # 市直各有关部门: every department of the region
# (word in the unit's name, department code), the more specific first (住房公积金 before 住房, 金融监督 before 金融).
STEMS = [
    ("各有关部门", ANY),
    ("卫生健康", "weijian"),
    ("发展改革", "fagai"),
    ("财政", "caizheng"),
    ("人力资源", "renshe"),
    ("人社", "renshe"),
    ("社保", "renshe"),
    ("住房公积金", "gongjijin"),
    ("住建", "zhujian"),
    ("住房城乡建设", "zhujian"),
    ("教育", "jiaoyu"),
    ("民政", "minzheng"),
    ("医保", "yibao"),
    ("医疗保障", "yibao"),
    ("税务", "shuiwu"),
    ("工会", "gonghui"),
    ("妇联", "fulian"),
    ("计划生育协会", "jishengxie"),
    ("计生协", "jishengxie"),
    ("市场监管", "shichang"),
    ("自然资源", "ziyuan"),
    ("金融监督", "jinjian"),
    ("金融监管", "jinjian"),
    ("人民银行", "renhang"),
    ("金融", "jinrong"),
    ("公安", "gongan"),
    ("司法", "sifa"),
    ("统计", "tongji"),
    ("工信", "gongxin"),
    ("文广旅", "wenlv"),
    ("农业农村", "nongye"),
    ("商务", "shangwu"),
    ("应急", "yingji"),
    ("消防", "xiaofang"),
    ("残联", "canlian"),
    ("团市委", "tuanwei"),
    ("共青团", "tuanwei"),
    ("编办", "bianban"),
    ("机构编制", "bianban"),
    ("宣传", "xuanchuan"),
    ("党委和政府", "zhengfu"),
]


def code_of(name: str) -> str | None:
    """The department code of a unit as a document names it; ANY for 各有关部门; None when it is none of them."""
    for stem, code in STEMS:
        if stem in name:
            return code
    return None


def _offices(province: str, city: str, county: str | None = None) -> dict[str, str]:
    return {"province": province, "city": city, "county": county or city}


# Each department's office at each level (English message ids; the zh catalogue holds the Chinese names).
OFFICES = {
    "gongan": _offices(N_("Public Security Department"), N_("Public Security Bureau")),
    "weijian": _offices(N_("Health Commission"), N_("Health Commission"), N_("Health Bureau")),
    "yibao": _offices(N_("Healthcare Security Administration"), N_("Healthcare Security Administration")),
    "renshe": _offices(
        N_("Human Resources and Social Security Department"), N_("Human Resources and Social Security Bureau")
    ),
    "minzheng": _offices(N_("Civil Affairs Department"), N_("Civil Affairs Bureau")),
    "jiaoyu": _offices(N_("Education Department"), N_("Education Bureau")),
    "tongji": _offices(N_("Statistics Bureau"), N_("Statistics Bureau")),
    "caizheng": _offices(N_("Finance Department"), N_("Finance Bureau")),
    "fagai": _offices(
        N_("Development and Reform Commission"),
        N_("Development and Reform Commission"),
        N_("Development and Reform Bureau"),
    ),
    "zhujian": _offices(
        N_("Housing and Urban-Rural Development Department"), N_("Housing and Urban-Rural Development Bureau")
    ),
    "shuiwu": _offices(N_("Tax Service"), N_("Tax Service")),
    "gonghui": _offices(N_("Federation of Trade Unions"), N_("Federation of Trade Unions")),
    "fulian": _offices(N_("Women's Federation"), N_("Women's Federation")),
    "jishengxie": _offices(N_("Family Planning Association"), N_("Family Planning Association")),
    "shichang": _offices(N_("Market Regulation Administration"), N_("Market Regulation Administration")),
    "ziyuan": _offices(N_("Natural Resources Department"), N_("Natural Resources Bureau")),
    "jinrong": _offices(N_("Financial Affairs Office"), N_("Financial Affairs Office")),
    "sifa": _offices(N_("Justice Department"), N_("Justice Bureau")),
    "gongxin": _offices(
        N_("Industry and Information Technology Department"), N_("Industry and Information Technology Bureau")
    ),
    "wenlv": _offices(N_("Culture and Tourism Department"), N_("Culture and Tourism Bureau")),
    "nongye": _offices(
        N_("Agriculture and Rural Affairs Department"), N_("Agriculture and Rural Affairs Bureau")
    ),
    "shangwu": _offices(N_("Commerce Department"), N_("Commerce Bureau")),
    "yingji": _offices(N_("Emergency Management Department"), N_("Emergency Management Bureau")),
    "xiaofang": _offices(
        N_("Fire and Rescue Corps"), N_("Fire and Rescue Detachment"), N_("Fire and Rescue Brigade")
    ),
    "canlian": _offices(N_("Disabled Persons' Federation"), N_("Disabled Persons' Federation")),
    "tuanwei": _offices(N_("Communist Youth League Committee"), N_("Communist Youth League Committee")),
    "bianban": _offices(N_("Party Committee Staffing Office"), N_("Party Committee Staffing Office")),
    "gongjijin": _offices(N_("Housing Provident Fund Centre"), N_("Housing Provident Fund Centre")),
    "renhang": _offices(N_("People's Bank of China Branch"), N_("People's Bank of China Branch")),
    "jinjian": _offices(N_("Financial Regulatory Branch"), N_("Financial Regulatory Branch")),
    "xuanchuan": _offices(
        N_("Party Committee Publicity Department"), N_("Party Committee Publicity Department")
    ),
    "zhengfu": _offices(N_("People's Government"), N_("People's Government")),
}
EVERY_DEPARTMENT = N_("every department concerned")
OFFICE_NAME = N_("%(region)s %(office)s")


def _level(region: str) -> str:
    level = regions.get(region).level
    return level if level in ("province", "city") else "county"


def office_id(code: str, region: str) -> str:
    """The office's message id (its Chinese name in the zh catalogue)."""
    return OFFICES[code][_level(region)]


def office(code: str, region: str, locale: str = "zh") -> str:
    """The department ``code`` of ``region`` as people read it: 白银市教育局, Baiyin City Education Bureau."""
    if code == ANY:
        return translate(EVERY_DEPARTMENT, {}, locale)
    if code not in OFFICES:  # a report kept from before the units were accounts names its department in words
        return code
    name = regions.local_name(region, locale)
    return translate(
        OFFICE_NAME, {"region": name, "office": translate(office_id(code, region), {}, locale)}, locale
    )


def label(code: str, locale: str = "zh") -> str:
    """The department's short name (教育, 卫健) without a region."""
    return translate(roles.DEPARTMENTS[code], {}, locale)
