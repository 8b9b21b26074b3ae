"""The 托育机构设置标准（试行）(国卫人口发〔2019〕58号) as a review checklist.

Items marked `auto` are pre-assessed from the registered record (class sizes, caregiver ratios, the director's
education and experience); the county 卫健 reviewer confirms or overrides them and records the items that
need a site visit or documents. The clause numbers refer to the national standard; the text of that standard
is not among the project's seed documents, so the checklist is marked unverified until it is loaded.
"""

from __future__ import annotations

from cradle.childcare.models import Facility
from cradle.childcare.vocab import AGE_GROUPS, COLLEGE_OR_ABOVE, chinese

SOURCE = {"document": "托育机构设置标准（试行）国卫人口发〔2019〕58号", "verified": False}

CHECKLIST: dict[str, dict] = {
    "sponsor": {
        "title": "举办者具备相应资质，已依法登记（事业单位、社会服务机构或企业）",
        "clause": "第二章",
        "auto": False,
    },
    "site_tenure": {"title": "有自有场地或租赁期不少于3年的场地", "clause": "第三章", "auto": False},
    "site_safety": {
        "title": "场地符合卫生、环保、消防要求，远离污染源和危险源",
        "clause": "第三章",
        "auto": False,
    },
    "living_rooms": {
        "title": "生活用房独立使用，乳儿班、托小班、托大班生活单元分设",
        "clause": "第三章",
        "auto": True,
    },
    "outdoor": {
        "title": "室外活动场地人均面积不小于2平方米（有条件的机构）",
        "clause": "第三章",
        "auto": True,
    },
    "class_size": {
        "title": "乳儿班10人以下、托小班15人以下、托大班20人以下",
        "clause": "第四章",
        "auto": True,
    },
    "director": {
        "title": "负责人具有大专以上学历和3年以上儿童保育教育、卫生健康等相关管理经历",
        "clause": "第四章",
        "auto": True,
    },
    "caregiver_ratio": {
        "title": "保育人员与婴幼儿比例：乳儿班≥1:3、托小班≥1:5、托大班≥1:7",
        "clause": "第四章",
        "auto": True,
    },
    "health_staff": {"title": "配备保健人员", "clause": "第四章", "auto": True},
    "security_staff": {"title": "配备安保人员", "clause": "第四章", "auto": True},
    "fire_safety": {"title": "消防设施和安全疏散符合要求", "clause": "第三章", "auto": False},
    "food_safety": {"title": "提供餐饮服务的，食品安全符合要求", "clause": "第三章", "auto": False},
    "surveillance": {"title": "视频监控覆盖婴幼儿活动区域", "clause": "第三章", "auto": False},
}


def _count(facility: Facility, role: str) -> int:
    return sum(1 for s in facility.staff if s.role == role)


def assess(facility: Facility) -> dict[str, dict]:
    """Pre-assessment of the `auto` items: {item: {"result": pass|fail|na, "note": ...}}."""
    out: dict[str, dict] = {}
    groups = {g.age_group: g for g in facility.slots if g.slots > 0}
    classes = sum(g.classes for g in groups.values())
    out["living_rooms"] = (
        {"result": "pass", "note": f"{facility.rooms}间用房，{classes}个班"}
        if facility.rooms >= classes
        else {"result": "fail", "note": f"{facility.rooms}间用房少于{classes}个班"}
    )
    children = sum(g.slots for g in groups.values())
    if facility.outdoor_area_m2 is None:
        out["outdoor"] = {"result": "na", "note": "未设室外活动场地"}
    else:
        need = 2 * children
        ok = float(facility.outdoor_area_m2) >= need
        out["outdoor"] = {
            "result": "pass" if ok else "fail",
            "note": f"室外{float(facility.outdoor_area_m2):g}㎡，{children}托位需{need}㎡",
        }
    over = [
        f"{chinese(AGE_GROUPS[k]['label'])}{g.slots}人/{g.classes}班"
        for k, g in groups.items()
        if g.slots > AGE_GROUPS[k]["class_size"] * g.classes
    ]
    out["class_size"] = {"result": "fail" if over else "pass", "note": "；".join(over) or "班额符合"}
    directors = [s for s in facility.staff if s.role == "director"]
    good = [s for s in directors if s.education in COLLEGE_OR_ABOVE and s.years_experience >= 3]
    out["director"] = (
        {"result": "pass", "note": good[0].name}
        if good
        else {"result": "fail", "note": "未登记负责人" if not directors else "负责人学历或经历不足"}
    )
    need_caregivers = sum(-(-g.slots // AGE_GROUPS[k]["ratio"]) for k, g in groups.items())
    have = _count(facility, "caregiver")
    out["caregiver_ratio"] = {
        "result": "pass" if have >= need_caregivers else "fail",
        "note": f"保育人员{have}人，按满员需{need_caregivers}人",
    }
    out["health_staff"] = {
        "result": "pass" if _count(facility, "health") else "fail",
        "note": f"保健人员{_count(facility, 'health')}人",
    }
    out["security_staff"] = {
        "result": "pass" if _count(facility, "security") else "fail",
        "note": f"保安人员{_count(facility, 'security')}人",
    }
    return out


def required_caregivers(facility: Facility) -> int:
    return sum(-(-g.slots // AGE_GROUPS[g.age_group]["ratio"]) for g in facility.slots)
