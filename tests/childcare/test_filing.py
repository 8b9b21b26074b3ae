import datetime as dt

import pytest

from cradle.childcare import filing
from cradle.childcare.facilities import facility_dict, register_facility
from cradle.childcare.standards import CHECKLIST
from cradle.errors import IllegalTransition, Invalid

from .helpers import SITE_ITEMS, facility_data

D = dt.date(2024, 2, 1)


def test_full_review_with_history(session):
    fac = register_facility(session, facility_data(1))
    f = filing.open_filing(session, fac.id, actor="operator", on=D)
    assert f.status == "submitted" and f.submitted_on == D
    filing.transition(session, f.id, "complete", actor="county")
    # complete pre-assessed the items the record can answer
    auto = {c.item: c.result for c in f.checks}
    assert auto == {k: "pass" for k, v in CHECKLIST.items() if v["auto"]}
    with pytest.raises(Invalid, match="尚未审核") as err:
        filing.transition(session, f.id, "accept")
    assert err.value.field == "checks"
    filing.record_checks(session, f.id, SITE_ITEMS)
    filing.transition(session, f.id, "accept", actor="county", on=D)
    assert f.status == "accepted" and f.decided_on == D
    d = filing.filing_dict(session, f)
    assert [(h["from"], h["to"]) for h in d["history"]] == [
        ("draft", "submitted"),
        ("submitted", "complete"),
        ("complete", "accepted"),
    ]
    assert d["allowed_actions"] == ["revoke"]
    assert facility_dict(session, fac)["filing_status"] == "accepted"


def test_illegal_transitions_are_refused(session):
    fac = register_facility(session, facility_data(1))
    f = filing.open_filing(session, fac.id, on=D)
    with pytest.raises(IllegalTransition) as err:
        filing.transition(session, f.id, "accept")
    assert err.value.params["state"] == "submitted" and err.value.params["allowed"] == "complete、return"
    assert "不允许" in str(err.value)
    with pytest.raises(IllegalTransition):
        filing.transition(session, f.id, "submit")
    with pytest.raises(IllegalTransition):
        filing.transition(session, f.id, "fly")
    assert f.status == "submitted" and len(f.events) == 1


def test_return_needs_reason_then_resubmit(session):
    fac = register_facility(session, facility_data(1))
    f = filing.open_filing(session, fac.id, on=D)
    with pytest.raises(Invalid) as err:
        filing.transition(session, f.id, "return", note=" ")
    assert err.value.field == "note"
    filing.transition(session, f.id, "return", note="缺消防验收材料")
    assert f.status == "returned"
    filing.transition(session, f.id, "submit")
    assert f.status == "submitted"
    assert [e.action for e in f.events] == ["submit", "return", "submit"]


def test_failed_item_blocks_acceptance(session):
    data = facility_data(1)
    data["staff"] = [s for s in data["staff"] if s["role"] != "health"]
    fac = register_facility(session, data)
    f = filing.open_filing(session, fac.id, on=D)
    filing.transition(session, f.id, "complete")
    assert {c.item: c.result for c in f.checks}["health_staff"] == "fail"
    filing.record_checks(session, f.id, SITE_ITEMS)
    with pytest.raises(Invalid, match="health_staff"):
        filing.transition(session, f.id, "accept")
    # the reviewer may override after seeing documents
    filing.record_checks(session, f.id, {"health_staff": {"result": "pass", "note": "已聘用，合同附后"}})
    filing.transition(session, f.id, "accept")
    assert f.status == "accepted"


def test_checklist_input_is_checked(session):
    fac = register_facility(session, facility_data(1))
    f = filing.open_filing(session, fac.id, on=D)
    with pytest.raises(Invalid) as err:
        filing.record_checks(session, f.id, {"moon": "pass"})
    assert err.value.field == "checks.moon"
    with pytest.raises(Invalid) as err:
        filing.record_checks(session, f.id, {"fire_safety": "maybe"})
    assert err.value.field == "checks.fire_safety"
    assert f.checks == []


def test_one_open_filing_per_facility_and_queue_scope(session):
    a = register_facility(session, facility_data(1, region="370303"))
    b = register_facility(session, facility_data(2, region="620402"))
    filing.open_filing(session, a.id, on=D)
    filing.open_filing(session, b.id, on=D + dt.timedelta(days=1))
    with pytest.raises(Invalid, match="已有备案"):
        filing.open_filing(session, a.id)
    assert [f.facility_id for f in filing.queue(session)] == [a.id, b.id]
    assert [f.facility_id for f in filing.queue(session, scope="620000")] == [b.id]
