"""Codes of the 妇幼 records and their labels (English message ids; the zh catalogue holds the Chinese).

The five colours of pregnancy risk are those of the national 孕产妇妊娠风险评估与管理工作规范 (国家卫生计生委,
2017; docs/health.md): 绿 低风险, 黄 一般风险, 橙 较高风险, 红 高风险, 紫 传染病. Orange, red and purple pregnancies
are managed as 高危专案 (one case per pregnancy, a responsible doctor, a follow-up plan, referrals).
"""

from __future__ import annotations

from cradle.errors import N_

GRADES: dict[str, str] = {
    "green": N_("Green (low risk)"),
    "yellow": N_("Yellow (general risk)"),
    "orange": N_("Orange (higher risk)"),
    "red": N_("Red (high risk)"),
    "purple": N_("Purple (infectious disease)"),
}
HIGH_RISK = ("orange", "red", "purple")
# Days between 专案 follow-ups by grade. The 规范 asks for 专人专案、全程管理、动态监管 without fixing an interval;
# these are the intervals county 妇幼保健院 commonly use (red weekly, orange and purple fortnightly).
FOLLOW_UP_DAYS = {"red": 7, "orange": 14, "purple": 14}
# A grade outranks another when it is further right (purple is kept whatever else the pregnancy carries).
GRADE_ORDER = {g: i for i, g in enumerate(GRADES)}

INSTITUTION_KINDS: dict[str, str] = {
    "mch": N_("Maternal and child health hospital"),
    "hospital": N_("Hospital"),
    "primary": N_("Township or community health centre"),
}

RESULTS: dict[str, str] = {  # screenings and checks
    "normal": N_("No abnormality"),
    "abnormal": N_("Abnormal"),
    "pass": N_("Passed"),
    "refer": N_("Positive, referred"),
}
INFECTIONS: dict[str, str] = {"hiv": N_("HIV"), "syphilis": N_("Syphilis"), "hbv": N_("Hepatitis B")}
TEST_RESULTS: dict[str, str] = {"negative": N_("Negative"), "positive": N_("Positive")}
DELIVERY_MODES: dict[str, str] = {
    "natural": N_("Vaginal delivery"),
    "caesarean": N_("Caesarean section"),
    "assisted": N_("Assisted delivery"),
}

DEATH_KINDS: dict[str, str] = {"maternal": N_("Maternal death"), "child": N_("Death of a child under 5")}
DEATH_PLACES: dict[str, str] = {
    "hospital": N_("Health facility"),
    "transit": N_("On the way"),
    "home": N_("Home"),
    "other": N_("Elsewhere"),
}
# 孕产妇死亡评审 and 儿童死亡评审: the review's classification and its judgement of avoidability.
DEATH_CLASSES: dict[str, dict[str, str]] = {
    "maternal": {
        "direct": N_("Direct obstetric death"),
        "indirect": N_("Indirect obstetric death"),
    },
    "child": {
        "neonatal": N_("Neonatal death (under 28 days)"),
        "infant": N_("Infant death (under 1 year)"),
        "under5": N_("Death at 1 to 4 years"),
    },
}
AVOIDABILITY: dict[str, str] = {
    "avoidable": N_("Avoidable"),
    "conditional": N_("Avoidable under better conditions"),
    "unavoidable": N_("Unavoidable"),
}
RESCUE_OUTCOMES: dict[str, str] = {
    "recovered": N_("Recovered"),
    "transferred": N_("Transferred"),
    "died": N_("Died"),
}
CASE_CLOSE_REASONS: dict[str, str] = {
    "postpartum": N_("42 days after delivery"),
    "terminated": N_("Pregnancy ended"),
    "moved": N_("Moved away"),
    "died": N_("Died"),
}

CHILD_KINDS: dict[str, str] = {
    "metabolic": N_("Newborn metabolic screening"),
    "hearing": N_("Newborn hearing screening"),
    "defect": N_("Birth defect"),
    "visit": N_("Child health check (0-6 years)"),
}
WOMEN_KINDS: dict[str, str] = {
    "premarital": N_("Premarital medical check"),
    "preconception": N_("Preconception health check"),
    "cervical": N_("Cervical cancer screening"),
    "breast": N_("Breast cancer screening"),
    "hpv": N_("HPV vaccination"),
}
OFFER_KINDS = ("premarital", "preconception")  # 婚育一件事: the two free checks a married couple is offered
OFFER_STATUSES: dict[str, str] = {
    "offered": N_("Offered"),
    "booked": N_("Booked"),
    "done": N_("Done"),
    "declined": N_("Declined"),
}
PREGNANCY_STATUSES: dict[str, str] = {
    "open": N_("In pregnancy"),
    "delivered": N_("Delivered"),
    "closed": N_("Closed"),
}
CASE_STATUSES: dict[str, str] = {"open": N_("Open"), "closed": N_("Closed")}
REVIEW_STATUSES: dict[str, str] = {"pending": N_("Awaiting review"), "reviewed": N_("Reviewed")}
GUIDANCE_STATUSES: dict[str, str] = {"open": N_("Due"), "done": N_("Done")}
INTERVIEW_REASONS: dict[str, str] = {
    "maternal_death": N_("Maternal death"),
    "child_death": N_("Death of a child under 5"),
    "overdue": N_("Repeated overdue follow-ups"),
}
