"""A test double of the policy API contract, so the page tests check the web layer on its own.

It answers like the real API: /regions, /documents, /documents/{d}/clauses/{c}, /programs and /calc, with a
422 naming `members[i].birth_date` when a child is born before its mother.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Body, HTTPException, Query
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/api/v1")

ZIBO_DOC = "003_9583e153e8ef1680.txt"
CLAUSES = {
    (
        ZIBO_DOC,
        "二（四）2",
    ): "2.降低养育成本。……对在备案的普惠托育机构入托的二孩、三孩，分别按每人每月300元、500元给予保育费补助。",
}
REGIONS = [
    {"code": "370000", "name": "山东省", "level": "province", "parent": None},
    {"code": "370300", "name": "淄博市", "level": "city", "parent": "370000"},
    {"code": "370302", "name": "淄川区", "level": "county", "parent": "370300"},
    {"code": "370303", "name": "张店区", "level": "county", "parent": "370300"},
    {"code": "140000", "name": "山西省", "level": "province", "parent": None},
    {"code": "140100", "name": "太原市", "level": "city", "parent": "140000"},
]


@router.get("/regions")
def regions():
    return REGIONS


@router.get("/documents")
def documents():
    return [
        {
            "document": ZIBO_DOC,
            "title": "淄博市优化生育政策促进人口长期均衡发展实施方案",
            "jurisdiction": "370300",
            "status": "issued 2023-09-20",
        }
    ]


@router.get("/documents/{document}/clauses/{clause}")
def clause(document: str, clause: str):
    if (document, clause) not in CLAUSES:
        raise HTTPException(
            404, {"errors": [{"field": None, "code": "unknown_clause", "message": "未找到该条款"}]}
        )
    return {"document": document, "clause": clause, "text": CLAUSES[(document, clause)]}


@router.get("/programs")
def programs(jurisdiction: str):
    if jurisdiction not in {r["code"] for r in REGIONS}:
        return JSONResponse(
            {"errors": [{"field": "jurisdiction", "code": "unknown_region", "message": "未知的地区代码"}]},
            status_code=422,
        )
    return [
        {
            "id": "zibo.nursery_fee_subsidy",
            "title": "保育费补助",
            "kind": "cash",
            "unit": "CNY/month",
            "jurisdiction": "370300",
            "level": "city",
            "citations": [{"document": ZIBO_DOC, "clause": "二（四）2"}],
            "parameters": [
                {
                    "name": "second_child",
                    "description": "二孩每人每月",
                    "value": 300,
                    "unit": "CNY/month",
                    "start": "2023-09-20",
                    "document": ZIBO_DOC,
                    "clause": "二（四）2",
                    "verified": True,
                    "note": None,
                },
                {
                    "name": "county_top_up",
                    "description": "县区加发",
                    "value": None,
                    "unit": "CNY/month",
                    "start": None,
                    "document": ZIBO_DOC,
                    "clause": "二（四）2",
                    "verified": False,
                    "note": "由县区核定",
                },
            ],
        }
    ]


@router.post("/calc")
def calc(household: dict = Body(...), on: dt.date = Query(...), explain: bool = False):
    members = household.get("members", [])
    mother = next((m for m in members if m.get("relation") == "mother"), None)
    for i, m in enumerate(members):
        if (
            m.get("relation") == "child"
            and mother
            and m.get("birth_date", "9") < mother.get("birth_date", "0")
        ):
            return JSONResponse(
                {
                    "errors": [
                        {
                            "field": f"members[{i}].birth_date",
                            "code": "born_before_mother",
                            "message": "子女出生日期早于母亲出生日期",
                        }
                    ]
                },
                status_code=422,
            )
    entitlements = []
    for m in members:
        care = m.get("care") or {}
        if m.get("birth_order") == 2 and care.get("type") == "nursery" and care.get("registered"):
            entitlements.append(
                {
                    "program": "zibo.nursery_fee_subsidy",
                    "title": "保育费补助",
                    "beneficiary": m["id"],
                    "kind": "cash",
                    "amount": 300,
                    "unit": "CNY/month",
                    "period": {"start": m["birth_date"], "end": None},
                    "citations": [{"document": ZIBO_DOC, "clause": "二（四）2"}],
                    "explanation": "二孩在备案普惠托育机构入托，按每人每月300元给予保育费补助",
                }
            )
    entitlements.append(
        {
            "program": "baiyin.childcare_allowance",
            "title": "育儿补贴",
            "beneficiary": None,
            "kind": "cash",
            "amount": None,
            "unit": "CNY/month",
            "period": {"start": None, "end": None},
            "citations": [{"document": "女职工劳动保护特别规定", "clause": "第七条"}],
            "verified": False,
            "explanation": "金额待定",
            "note": "amount set by county",
        }
    )
    out = {
        "as_of": on.isoformat(),
        "jurisdiction": household.get("jurisdiction"),
        "entitlements": entitlements,
    }
    if explain:
        out["not_applicable"] = [
            {"program": "zibo.home_purchase_subsidy", "title": "购房补贴", "reason": "无购房事项"}
        ]
    return out
