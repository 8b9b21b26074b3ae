"""Demo data for `cradle init-db`: a few synthetic facilities (made-up names, valid-format credit codes) in
淄博, 白银 and 太原, filed and accepted, with children enrolled and one inspection awaiting corrections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from cradle.childcare import enrolment, filing, inspections
from cradle.childcare.facilities import register_facility
from cradle.childcare.standards import CHECKLIST
from cradle.idcard import make_id_number

FACILITIES = [
    (
        "370303",
        "张店区示范托育中心",
        "public",
        36.807,
        118.054,
        {"infant": 10, "toddler": 30, "older": 40},
        {"guidance_role": True, "comprehensive_centre": True, "demonstration": True},
    ),
    (
        "370303",
        "张店区阳光宝贝托育园",
        "inclusive_private",
        36.789,
        118.030,
        {"toddler": 15, "older": 40},
        {},
    ),
    ("370302", "淄川区机关托育园", "employer", 36.643, 117.967, {"older": 20}, {}),
    (
        "620402",
        "白银区社区托育驿站",
        "community_station",
        36.545,
        104.171,
        {"older": 20},
        {"community": "人民路社区", "floor_area_m2": 220},
    ),
    (
        "140105",
        "小店区公办托育园",
        "public",
        37.736,
        112.565,
        {"toddler": 15, "older": 40},
        {"guidance_role": True},
    ),
]
FEES = {"infant": 1800, "toddler": 1500, "older": 1200}


def _code(region: str, n: int) -> str:
    body = f"52{region}MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def load_demo(session: Session) -> None:
    opened = dt.date(2024, 9, 1)
    for n, (region, name, ftype, lat, lon, slots, extra) in enumerate(FACILITIES, start=1):
        groups = [
            {
                "age_group": g,
                "slots": s,
                "classes": -(-s // {"infant": 10, "toddler": 15, "older": 20}[g]),
                "fee_monthly": FEES[g] if ftype not in ("public", "community_station") else FEES[g] // 2,
            }
            for g, s in slots.items()
        ]
        caregivers = sum(-(-s // {"infant": 3, "toddler": 5, "older": 7}[g]) for g, s in slots.items())
        data = {
            "credit_code": _code(region, n),
            "name": name,
            "type": ftype,
            "address": f"示例路{n}号",
            "region_code": region,
            "floor_area_m2": extra.pop("floor_area_m2", 100 + 8 * sum(slots.values())),
            "outdoor_area_m2": 2 * sum(slots.values()),
            "rooms": len(groups) + 2,
            "opening_date": "2024-09-01",
            "lat": lat,
            "lon": lon,
            "slots": groups,
            "staff": [{"name": "负责人", "role": "director", "education": "bachelor", "years_experience": 5}]
            + [
                {"name": f"保育员{i + 1}", "role": "caregiver", "qualification": "保育师"}
                for i in range(caregivers)
            ]
            + [{"name": "保健员", "role": "health"}, {"name": "保安", "role": "security"}],
            **extra,
        }
        facility = register_facility(session, data)
        f = filing.open_filing(session, facility.id, actor="demo", role="system", on=opened)
        filing.transition(session, f.id, "complete", actor="demo", role="system", on=opened)
        filing.record_checks(session, f.id, {k: "pass" for k, v in CHECKLIST.items() if not v["auto"]})
        filing.transition(session, f.id, "accept", actor="demo", role="system", on=opened)
        if n == 1:
            for i in range(12):
                birth = dt.date(2023, 1 + i % 12, 10)
                enrolment.enrol(
                    session,
                    facility.id,
                    {
                        "child_id_number": make_id_number(region, birth, i, "F" if i % 2 else "M"),
                        "child_name": f"示例儿童{i + 1}",
                        "start_on": "2025-03-01",
                    },
                )
        if n == 2:
            inspections.record_inspection(
                session,
                facility.id,
                {
                    "visited_on": "2025-04-01",
                    "inspector": "区卫健局",
                    "result": "corrections",
                    "findings": [
                        {
                            "item": "fire_safety",
                            "description": "疏散通道堆放杂物",
                            "severity": "major",
                            "deadline": "2025-04-15",
                        }
                    ],
                },
            )
            inspections.set_grade(session, facility.id, "B", "2025-03-15", "市托育质量评估组")
