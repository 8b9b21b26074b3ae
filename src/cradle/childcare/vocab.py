"""Vocabulary of the childcare domain: facility types, age groups (班型), staff roles, with Chinese labels."""

from __future__ import annotations

FACILITY_TYPES: dict[str, str] = {
    "public": "公办托育机构",
    "inclusive_private": "普惠性民办托育机构",
    "private": "民办托育机构",
    "employer": "用人单位办托育机构",
    "community_station": "婴幼儿照护服务驿站（托育驿站）",
    "family_point": "家庭托育点",
    "kindergarten_class": "幼儿园托班",
}
PUBLIC_TYPES = {"public"}  # 具有公办性质 (山西 "公办托育机构", 淄博 "具有公办性质的托育机构")

# 托育机构设置标准（试行）(国卫人口发〔2019〕58号) 第十条、第十二条: class types, class size and
# caregiver-to-child ratios. Months are the age at enrolment: [min, max).
AGE_GROUPS: dict[str, dict] = {
    "infant": {"label": "乳儿班", "min_months": 6, "max_months": 12, "class_size": 10, "ratio": 3},
    "toddler": {"label": "托小班", "min_months": 12, "max_months": 24, "class_size": 15, "ratio": 5},
    "older": {"label": "托大班", "min_months": 24, "max_months": 36, "class_size": 20, "ratio": 7},
}

STAFF_ROLES: dict[str, str] = {
    "director": "机构负责人",
    "caregiver": "保育人员",
    "health": "保健人员",
    "cook": "炊事人员",
    "security": "保安人员",
    "other": "其他人员",
}
EDUCATION = {
    "postgraduate": "研究生",
    "bachelor": "本科",
    "college": "大专",
    "secondary": "中专/高中",
    "other": "其他",
}
COLLEGE_OR_ABOVE = {"postgraduate", "bachelor", "college"}

FILING_STATUS = {
    "draft": "草稿",
    "submitted": "已提交",
    "complete": "材料齐全",
    "returned": "已退回",
    "accepted": "已备案",
    "revoked": "已撤销",
}
GRADES = {"A": "优秀", "B": "良好", "C": "合格", "D": "不合格"}
CREDIT_LISTS = {"red": "红名单", "black": "黑名单"}
SEVERITIES = {"minor": "一般", "major": "较重", "critical": "严重"}
INSPECTION_KINDS = {
    "routine": "日常检查",
    "complaint": "投诉核查",
    "followup": "整改复查",
    "joint": "多部门联合督导",
}
INSPECTION_RESULTS = {"passed": "合格", "corrections": "限期整改", "failed": "不合格"}


def months_between(birth, on) -> int:
    """Whole months of age on `on` (a child born 2024-03-15 is 11 months on 2025-03-14, 12 on 2025-03-15)."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if on.day < birth.day:
        months -= 1
    return months


def age_group_for(birth, on) -> str | None:
    m = months_between(birth, on)
    for key, g in AGE_GROUPS.items():
        if g["min_months"] <= m < g["max_months"]:
            return key
    return None
