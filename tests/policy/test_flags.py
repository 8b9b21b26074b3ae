"""An entitlement says how firm it is: `draft: true` when it comes from a draft for comment (陆河, 绍兴),
`encouraged: true` when the document only encourages it, `verified: false` when its value or date is not in a
loaded document. The results page marks a draft's card."""

import datetime as dt
import re

from fastapi.testclient import TestClient

from cradle.policy.calc import calc_household
from cradle.web.app import create_app

ON = dt.date(2025, 7, 1)


def _household(county: str) -> dict:
    return {
        "jurisdiction": county,
        "members": [
            {
                "id": "m",
                "relation": "mother",
                "sex": "F",
                "birth_date": "1990-01-01",
                "hukou": county,
                "employment": "employee",
                "medical_insurance": "employee",
                "maternity_insurance": True,
            },
            {
                "id": "f",
                "relation": "father",
                "sex": "M",
                "birth_date": "1989-01-01",
                "employment": "employee",
            },
            {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2016-05-01"},
            {"id": "c2", "relation": "child", "sex": "M", "birth_date": "2019-05-01"},
            {
                "id": "c3",
                "relation": "child",
                "sex": "M",
                "birth_date": "2025-03-10",
                "medical_insurance": "none",
            },
        ],
        "events": [{"type": "birth", "children": ["c3"], "date": "2025-03-10"}],
    }


def _by_program(county: str) -> dict:
    return {e["program"]: e for e in calc_household(_household(county), ON)["entitlements"]}


def test_entitlements_of_a_draft_say_so_and_those_of_issued_documents_do_not():
    shaoxing = _by_program("330602")
    assert shaoxing["shaoxing.maternity_insurance_third_child"]["draft"] is True
    assert "draft" not in shaoxing["zj.paternity_leave"]  # the province's regulation, restated by the draft
    luhe = _by_program("441523")
    assert luhe["luhe.newborn_insurance_window"]["draft"] is True
    assert not any("draft" in e for p, e in _by_program("370303").items())  # 淄博's plan was issued


def test_encouraged_entitlements_are_flagged_and_rights_are_not():
    zibo = _by_program("370303")
    assert zibo["zibo.extra_paternity_leave"]["encouraged"] is True
    assert zibo["zibo.extra_paternity_leave"]["note"] == "encouraged"
    assert "encouraged" not in zibo["cn.maternity_leave"]


def test_a_guessed_start_is_unverified_and_its_explanation_says_so():
    window = _by_program("441523")["luhe.newborn_insurance_window"]
    assert window["verified"] is False and "待核实" in window["explanation"]


def test_the_results_page_marks_a_drafts_card():
    client = TestClient(create_app())
    r = client.post(
        "/calc/results?on=2025-07-01&lang=zh", json=_household("330602"), headers={"accept": "text/html"}
    )
    assert r.status_code == 200
    cards = dict(re.findall(r'data-program="([^"]+)">(.*?)</li>', r.text, flags=re.S))
    assert "征求意见稿</span>" in cards["shaoxing.maternity_insurance_third_child"].split("</div>")[0]
    assert "征求意见稿</span>" not in cards["zj.paternity_leave"].split("</div>")[0]


def test_a_floor_says_at_least_and_an_encouraged_floor_says_both():
    household = _household("140105")
    fee = _by_program("140105")[
        "sx.childcare_fee_allowance"
    ]  # 二（四）14 “每月发放不低于200元的婴幼儿保教费”
    assert (fee["note"], fee["encouraged"], fee["amount"]) == ("at least", True, 200)
    client = TestClient(create_app())
    r = client.post("/calc/results?on=2025-07-01&lang=zh", json=household, headers={"accept": "text/html"})
    card = dict(re.findall(r'data-program="([^"]+)">(.*?)</li>', r.text, flags=re.S))[
        "sx.childcare_fee_allowance"
    ]
    assert "最低标准" in card and "鼓励" in card
