import datetime as dt

import pytest

from cradle.childcare import inspections as ins
from cradle.errors import Invalid

from .helpers import filed_facility

D = dt.date(2025, 4, 1)


def _visit(**kw):
    data = {
        "visited_on": "2025-04-01",
        "kind": "routine",
        "inspector": "县卫健局 刘",
        "result": "corrections",
        "findings": [
            {
                "item": "fire_safety",
                "description": "灭火器过期",
                "severity": "major",
                "deadline": "2025-04-15",
            },
            {"item": "food_safety", "description": "留样记录不全", "deadline": "2025-05-01"},
        ],
    }
    data.update(kw)
    return data


def test_findings_followups_and_overdue(session):
    a = filed_facility(session, 1)
    b = filed_facility(session, 2, region="370302")
    visit = ins.record_inspection(session, a.id, _visit())
    ins.record_inspection(session, b.id, _visit(result="passed", findings=[]))
    fire, food = visit.findings
    assert ins.overdue(session, dt.date(2025, 4, 15)) == []
    late = ins.overdue(session, dt.date(2025, 4, 16))
    assert [(x["facility_id"], [f["item"] for f in x["findings"]]) for x in late] == [(a.id, ["fire_safety"])]
    assert late[0]["findings"][0]["days_overdue"] == 1
    assert ins.overdue(session, dt.date(2025, 4, 16), scope="370302") == []
    assert ins.quality_summary(session, a.id, dt.date(2025, 4, 16))["flagged"] is True
    # a follow-up that finds it not fixed gives a new deadline; a later one resolves it
    ins.record_followup(
        session,
        fire.id,
        {"visited_on": "2025-04-16", "inspector": "刘", "resolved": False, "new_deadline": "2025-04-30"},
    )
    assert ins.overdue(session, dt.date(2025, 4, 20)) == []
    ins.record_followup(session, fire.id, {"visited_on": "2025-04-28", "inspector": "刘", "resolved": True})
    assert fire.resolved_on == dt.date(2025, 4, 28) and len(fire.followups) == 2
    assert [x["findings"][0]["item"] for x in ins.overdue(session, dt.date(2025, 5, 2))] == ["food_safety"]
    with pytest.raises(Invalid, match="已于"):
        ins.record_followup(
            session, fire.id, {"visited_on": "2025-05-01", "inspector": "刘", "resolved": True}
        )
    assert food.resolved_on is None


@pytest.mark.parametrize(
    "change,field",
    [
        ({"result": "corrections", "findings": []}, "findings"),
        ({"result": "passed"}, "result"),
        ({"visited_on": "yesterday"}, "visited_on"),
        ({"kind": "secret"}, "kind"),
        ({"findings": [{"item": "x", "description": "y", "deadline": "2025-03-01"}]}, "findings[0].deadline"),
        ({"findings": [{"item": "x", "description": "y"}]}, "findings[0].deadline"),
    ],
)
def test_bad_inspections_refused(session, change, field):
    fac = filed_facility(session)
    with pytest.raises(Invalid) as err:
        ins.record_inspection(session, fac.id, _visit(**change))
    assert err.value.field == field
    assert ins.inspections_of(session, fac.id) == []


def test_grade_and_credit(session):
    fac = filed_facility(session)
    assert ins.quality_summary(session, fac.id, D)["grade_label"] == "未评估"
    ins.set_grade(session, fac.id, "B", "2025-01-10", "市托育评估组")
    ins.set_grade(session, fac.id, "A", "2025-03-10", "市托育评估组")
    assert ins.current_grade(session, fac.id).grade == "A"
    with pytest.raises(Invalid) as err:
        ins.set_grade(session, fac.id, "S", "2025-03-10", "x")
    assert err.value.field == "grade"
    ins.add_credit_record(
        session, fac.id, {"list_type": "red", "reason": "示范机构", "start_on": "2025-01-01"}
    )
    assert ins.credit_status(session, fac.id, D) == "red"
    ins.add_credit_record(
        session,
        fac.id,
        {"list_type": "black", "reason": "虚报托位", "start_on": "2025-03-01", "end_on": "2026-02-28"},
    )
    assert ins.credit_status(session, fac.id, D) == "black"
    assert ins.credit_status(session, fac.id, dt.date(2026, 3, 1)) == "red"
    with pytest.raises(Invalid) as err:
        ins.add_credit_record(session, fac.id, {"list_type": "grey", "reason": "x", "start_on": "2025-01-01"})
    assert err.value.field == "list_type"
