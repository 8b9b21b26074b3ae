from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cradle import audit
from cradle.auth.actor import SYSTEM
from cradle.errors import Forbidden, Invalid
from cradle.idcard import make_id_number
from cradle.payments import entitlements
from cradle.services import applications, notifications, proactive
from cradle.services.models import Case

from .helpers import COUNTY, IDENTITIES, MOTHER, TOWN, county, household, mother


def candidate(i: int, eligible: bool = True) -> dict:
    if i == 0:
        return {
            "household": household(),
            "identities": IDENTITIES,
            "applicant": MOTHER,
            "town": TOWN,
            "phone": "13800000001",
        }
    m = make_id_number(COUNTY, dt.date(1992, 1, 1), 100 + i, "F")
    c1 = make_id_number(COUNTY, dt.date(2020, 1, 1), 100 + i, "M")
    c2 = make_id_number(COUNTY, dt.date(2025, 1, 1), 100 + i, "M")
    hh = household("2025-01-01" if eligible else "2023-01-01")
    ids = {
        "m": {"id_number": m, "name": f"母{i}"},
        "c1": {"id_number": c1, "name": f"甲{i}"},
        "c2": {"id_number": c2, "name": f"乙{i}"},
    }
    hh["members"] = [x for x in hh["members"] if x["id"] != "f"]
    return {"household": hh, "identities": ids, "applicant": m, "town": TOWN}


def test_run_opens_offered_cases_once(any_session):
    s = any_session
    cands = [candidate(0), candidate(1), candidate(2, eligible=False), {"household": {"bad": 1}}]
    run = proactive.run_program(s, SYSTEM, "baiyin.childcare_allowance", cands)
    s.commit()
    assert (run.examined, run.eligible, run.opened, run.existing) == (4, 2, 2, 0)
    cases = s.execute(select(Case).order_by(Case.id)).scalars().all()
    assert {c.status for c in cases} == {"offered"} and {c.origin for c in cases} == {"proactive"}
    assert any(n.kind == "case.offered" for n in notifications.inbox(s, MOTHER))
    again = proactive.run_program(s, SYSTEM, "baiyin.childcare_allowance", cands)
    assert (again.opened, again.existing) == (0, 2)
    entry = audit.history(s, f"case:{cases[0].case_no}")[0]
    assert entry.actor == "system:system@" and entry.on_behalf_of.startswith("citizen:")
    # the citizen accepts (then it is reviewed) or declines
    applications.act(s, mother, cases[0].case_no, "accept")
    assert cases[0].status == "submitted"


def test_direct_payment_program_and_decline(session):
    hh = {
        "jurisdiction": "370303",
        "members": [
            {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1993-04-02"},
            {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2019-05-01", "birth_order": 1},
            {
                "id": "c2",
                "relation": "child",
                "sex": "M",
                "birth_date": "2025-03-10",
                "birth_order": 2,
                "care": {"type": "nursery", "inclusive": True, "registered": True},
            },
        ],
    }
    m = make_id_number("370303", dt.date(1993, 4, 2), 21, "F")
    ids = {
        "m": {"id_number": m, "name": "孙丽"},
        "c1": {"id_number": make_id_number("370303", dt.date(2019, 5, 1), 22, "F"), "name": "甲"},
        "c2": {"id_number": make_id_number("370303", dt.date(2025, 3, 10), 23, "M"), "name": "乙"},
    }
    cand = {
        "household": hh,
        "identities": ids,
        "applicant": m,
        "town": "370303001",
        "account_no": "6217000000000000077",
        "bank_code": "ZBBANK",
    }
    run = proactive.run_program(
        session, SYSTEM, "zibo.nursery_fee_subsidy", [cand], as_of=dt.date(2025, 7, 1)
    )
    assert run.opened == 1
    case = session.execute(select(Case)).scalar_one()
    assert case.status == "approved"
    ent = entitlements.of_beneficiary(session, ids["c2"]["id_number"])[0]
    assert ent.status == "active" and str(ent.amount) == "300.00"
    citizen = type(mother)(id="x", role="citizen", id_number=m, name="孙丽")
    applications.act(session, citizen, case.case_no, "decline")
    assert case.status == "declined" and ent.status == "stopped" and ent.stop_reason == "declined"


def test_only_system_and_only_listed_programs(session):
    with pytest.raises(Forbidden):
        proactive.run_program(session, county, "baiyin.childcare_allowance", [])
    with pytest.raises(Invalid):
        proactive.run_program(session, SYSTEM, "zibo.home_purchase_subsidy", [])
