"""Vocabulary of the childcare domain: facility types, age groups (班型), staff roles, statuses, each code with
its label as an English message id.

Pages show a label in the reader's language (`{{ _(labels.type[f.type]) }}`, `labels` being `LABELS`); the JSON
API, the CLI and the department's facility lists say it in Chinese, the zh catalogue's text (`chinese`).
"""

from __future__ import annotations

from cradle.errors import N_, translate

FACILITY_TYPES: dict[str, str] = {
    "public": N_("Public childcare institution"),
    "inclusive_private": N_("Inclusive private childcare institution"),
    "private": N_("Private childcare institution"),
    "employer": N_("Employer-run childcare institution"),
    "community_station": N_("Community childcare station"),
    "family_point": N_("Family childcare point"),
    "kindergarten_class": N_("Kindergarten nursery class"),
}
PUBLIC_TYPES = {"public"}  # 具有公办性质 (山西 "公办托育机构", 淄博 "具有公办性质的托育机构")

# 托育机构设置标准（试行）(国卫人口发〔2019〕58号) 第十条、第十二条: class types, class size and
# caregiver-to-child ratios. Months are the age at enrolment: [min, max).
AGE_GROUPS: dict[str, dict] = {
    "infant": {"label": N_("Infant class"), "min_months": 6, "max_months": 12, "class_size": 10, "ratio": 3},
    "toddler": {
        "label": N_("Younger toddler class"),
        "min_months": 12,
        "max_months": 24,
        "class_size": 15,
        "ratio": 5,
    },
    "older": {
        "label": N_("Older toddler class"),
        "min_months": 24,
        "max_months": 36,
        "class_size": 20,
        "ratio": 7,
    },
}

STAFF_ROLES: dict[str, str] = {
    "director": N_("Director"),
    "caregiver": N_("Caregiver"),
    "health": N_("Health staff"),
    "cook": N_("Cook"),
    "security": N_("Security guard"),
    "other": N_("Other staff"),
}
EDUCATION = {
    "postgraduate": N_("Postgraduate"),
    "bachelor": N_("Bachelor's degree"),
    "college": N_("Junior college"),
    "secondary": N_("Vocational or senior high school"),
    "other": N_("Other education"),
}
COLLEGE_OR_ABOVE = {"postgraduate", "bachelor", "college"}

FILING_STATUS = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "complete": N_("Documents complete"),
    "returned": N_("Returned"),
    "accepted": N_("Filed"),
    "revoked": N_("Revoked"),
}
NOT_FILED = N_("Not filed")
GRADES = {"A": N_("Excellent"), "B": N_("Good"), "C": N_("Satisfactory"), "D": N_("Unsatisfactory")}
NOT_ASSESSED = N_("Not assessed")
CREDIT_LISTS = {"red": N_("Red list"), "black": N_("Blacklist")}
SEVERITIES = {"minor": N_("Minor"), "major": N_("Serious"), "critical": N_("Critical")}
INSPECTION_KINDS = {
    "routine": N_("Routine inspection"),
    "complaint": N_("Complaint check"),
    "followup": N_("Correction follow-up"),
    "joint": N_("Joint inspection"),
}
INSPECTION_RESULTS = {
    "passed": N_("Passed"),
    "corrections": N_("Corrections required"),
    "failed": N_("Failed"),
}
# A checklist item's result in a 备案 review (standards.CHECKLIST)
CHECK_RESULTS = {"pass": N_("Complies"), "fail": N_("Does not comply"), "na": N_("Not applicable")}

PROGRAMS = {
    "zibo.nursery_construction_subsidy": N_(
        "One-off construction subsidy for inclusive childcare institutions"
    ),
    "zibo.demo_nursery_award": N_("One-off award for city model childcare institutions"),
}
SUBSIDY_STATUS = {
    "applied": N_("Applied for"),
    "payable": N_("Awaiting payment"),
    "rejected": N_("Rejected"),
    "paid": N_("Payment made"),
    "cancelled": N_("Cancelled"),
}

# What the templates look a stored code up in: `{{ _(labels.filing[q.status]) }}`.
LABELS = {
    "type": FACILITY_TYPES,
    "age_group": {key: group["label"] for key, group in AGE_GROUPS.items()},
    "filing": FILING_STATUS,
    "grade": GRADES,
    "credit": CREDIT_LISTS,
    "severity": SEVERITIES,
    "kind": INSPECTION_KINDS,
    "result": INSPECTION_RESULTS,
    "check": CHECK_RESULTS,
    "program": PROGRAMS,
    "subsidy": SUBSIDY_STATUS,
}


def chinese(label: str) -> str:
    """A label as the JSON API, the CLI and a department's facility list say it: the zh catalogue's text."""
    return translate(label, {})


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
