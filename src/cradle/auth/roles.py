"""Roles, departments and what each may see. A role's region scope level is checked when an account is made."""

from __future__ import annotations

from cradle.errors import N_

CITIZEN = "citizen"
VILLAGE = "village_official"  # 村/社区: a 12-digit code (its town's 9 digits and 3 more)
TOWN = "town_official"
COUNTY = "county_official"
CITY = "city_official"
PROVINCE = "province_official"
DEPT = "dept_clerk"
OPERATOR = "facility_operator"
AUDITOR = "auditor"
HEALTH = "health_worker"  # 妇幼 doctor or nurse of one 医疗机构/妇幼保健院 (Account.institution_id)
ADMIN = "administrator"

ROLES = (CITIZEN, VILLAGE, TOWN, COUNTY, CITY, PROVINCE, DEPT, OPERATOR, HEALTH, AUDITOR, ADMIN)
ROLE_LABELS = {
    CITIZEN: N_("Citizen"),
    VILLAGE: N_("Village official"),
    TOWN: N_("Town official"),
    COUNTY: N_("County official"),
    CITY: N_("City official"),
    PROVINCE: N_("Province official"),
    DEPT: N_("Department clerk"),
    OPERATOR: N_("Facility operator"),
    HEALTH: N_("Maternal and child health worker"),
    AUDITOR: N_("Auditor"),
    ADMIN: N_("Administrator"),
}

# Department codes (pinyin of the usual short names): the data hub's feeds and every unit the implementation plans
# name as 责任单位 (cradle.monitoring.units names their offices by level).
DEPARTMENTS = {
    "gongan": N_("Public security"),
    "weijian": N_("Health commission"),
    "yibao": N_("Medical insurance"),
    "renshe": N_("Human resources and social security"),
    "minzheng": N_("Civil affairs"),
    "jiaoyu": N_("Education"),
    "tongji": N_("Statistics"),
    "caizheng": N_("Finance"),
    "fagai": N_("Development and reform"),
    "zhujian": N_("Housing and urban-rural development"),
    "shuiwu": N_("Taxation"),
    "gonghui": N_("Trade union federation"),
    "fulian": N_("Women's federation"),
    "jishengxie": N_("Family planning association"),
    "shichang": N_("Market regulation"),
    "ziyuan": N_("Natural resources"),
    "jinrong": N_("Financial affairs"),
    "sifa": N_("Justice"),
    "gongxin": N_("Industry and information technology"),
    "wenlv": N_("Culture and tourism"),
    "nongye": N_("Agriculture and rural affairs"),
    "shangwu": N_("Commerce"),
    "yingji": N_("Emergency management"),
    "xiaofang": N_("Fire and rescue"),
    "canlian": N_("Disabled persons' federation"),
    "tuanwei": N_("Communist Youth League"),
    "bianban": N_("Staffing commission office"),
    "gongjijin": N_("Housing provident fund"),
    "renhang": N_("People's Bank of China"),
    "jinjian": N_("Financial regulation"),
    "xuanchuan": N_("Publicity department"),
    "zhengfu": N_("Party committee and government"),
}

# Officials scoped to a region; they see persons, cases, facilities and payments only inside it.
OFFICIALS = (TOWN, COUNTY, CITY, PROVINCE, DEPT)
# A village (村/社区) official works on the lists of the one village only (the assistance cycle's check, 公示 and
# objections), none of the officials' desks over persons and cases.
STAFF = (*OFFICIALS, VILLAGE, OPERATOR, HEALTH, AUDITOR, ADMIN)
# The level a role's region code must have ("town" is a 9-digit 乡镇/街道 code, "village" a 12-digit 村/社区 code);
# None: any level or "cn".
REGION_LEVEL = {
    VILLAGE: "village",
    TOWN: "town",
    COUNTY: "county",
    CITY: "city",
    PROVINCE: "province",
    OPERATOR: "county",
    HEALTH: "county",
}
NATIONAL_ALLOWED = (AUDITOR, ADMIN)
# Roles that handle individual cases and so see full ID and phone numbers (each such view is audited);
# everybody else gets masked numbers. A citizen always sees their own.
UNMASKED_ROLES = (TOWN, COUNTY)
UNMASKED_DEPARTMENTS = ("gongan", "weijian", "yibao", "renshe", "minzheng", "jiaoyu")
# Created by an administrator (citizens register themselves).
ADMIN_CREATED = tuple(r for r in ROLES if r != CITIZEN)
