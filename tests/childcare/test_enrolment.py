import datetime as dt

import pytest

from cradle.childcare.enrolment import enrol, leave, roster
from cradle.childcare.facilities import facility_dict, register_facility
from cradle.childcare.feeds import care_of_child, registry_feed_csv, registry_feed_rows
from cradle.childcare.occupancy import enrolled_counts
from cradle.errors import Invalid

from .helpers import child_id, facility_data, filed_facility

START = dt.date(2025, 3, 1)


def _child(n, birth=dt.date(2023, 9, 10)):
    return {"child_id_number": child_id(n, birth), "child_name": f"孩子{n}", "start_on": START.isoformat()}


def test_enrol_leave_and_vacancies(session):
    fac = filed_facility(session)
    e1 = enrol(session, fac.id, _child(1))  # 17 months on START → 托小班
    assert e1.age_group == "toddler"
    enrol(session, fac.id, _child(2, dt.date(2024, 6, 1)))  # 9 months → 乳儿班
    got = facility_dict(session, fac, on=START)
    assert got["enrolled"] == 2 and got["vacancies"] == 78
    assert {g["age_group"]: g["vacancies"] for g in got["slot_groups"]} == {
        "infant": 9,
        "toddler": 29,
        "older": 40,
    }
    leave(session, e1.id, "2025-06-30", "搬家")
    assert enrolled_counts(session, fac.id, dt.date(2025, 6, 30)) == {"toddler": 1, "infant": 1}
    assert enrolled_counts(session, fac.id, dt.date(2025, 7, 1)) == {"infant": 1}
    names = [r["child_name"] for r in roster(session, fac.id, dt.date(2025, 7, 1))]
    assert names == ["孩子2"]
    assert roster(session, fac.id, START)[0]["child_id_number"].count("*") == 10


def test_overlapping_enrolment_refused(session):
    a = filed_facility(session, 1)
    b = filed_facility(session, 2)
    e = enrol(session, a.id, _child(1))
    with pytest.raises(Invalid, match="重叠") as err:
        enrol(session, b.id, {**_child(1), "start_on": "2025-05-01"})
    assert err.value.field == "start_on" and "测试托育园1" in err.value.message
    # after leaving, a later start elsewhere is fine; one overlapping the attended period is not
    leave(session, e.id, "2025-04-30")
    with pytest.raises(Invalid, match="重叠"):
        enrol(session, b.id, {**_child(1), "start_on": "2025-04-30"})
    assert enrol(session, b.id, {**_child(1), "start_on": "2025-05-01"}).facility_id == b.id


def test_full_age_group_refused(session):
    fac = filed_facility(session)
    for n in range(10):
        enrol(session, fac.id, _child(10 + n, dt.date(2024, 6, 1)))
    with pytest.raises(Invalid, match="托位已满") as err:
        enrol(session, fac.id, _child(99, dt.date(2024, 6, 1)))
    assert err.value.field == "age_group"


def test_future_enrolment_counts_against_capacity(session):
    fac = filed_facility(session)
    born = dt.date(2024, 6, 1)
    first = [enrol(session, fac.id, {**_child(n, born), "start_on": "2025-03-01"}) for n in range(10)]
    leave(session, first[0].id, "2025-03-31")  # 9 children in April
    enrol(session, fac.id, {**_child(50, born), "start_on": "2025-05-01"})  # 10 again from May
    with pytest.raises(Invalid, match="托位已满"):  # April has room, but it would be 11 in May
        enrol(session, fac.id, {**_child(51, born), "start_on": "2025-04-01"})


@pytest.mark.parametrize(
    "change,field",
    [
        ({"child_id_number": "370303202309100000"}, "child_id_number"),
        ({"birth_date": "2023-01-01"}, "child_id_number"),
        ({"start_on": "2025-02-30"}, "start_on"),
        ({"child_name": ""}, "child_name"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_bad_enrolment_input(session, change, field):
    fac = filed_facility(session)
    with pytest.raises(Invalid) as err:
        enrol(session, fac.id, {**_child(1), **change})
    assert err.value.field == field
    assert enrolled_counts(session, fac.id, START) == {}


def test_age_and_filing_rules(session):
    fac = filed_facility(session)
    with pytest.raises(Invalid, match="6至36个月"):
        enrol(session, fac.id, _child(1, dt.date(2021, 1, 1)))
    with pytest.raises(Invalid, match="不适合"):
        enrol(session, fac.id, {**_child(2), "age_group": "infant"})
    unfiled = register_facility(session, facility_data(5))
    with pytest.raises(Invalid, match="未完成备案"):
        enrol(session, unfiled.id, _child(3))


def test_leave_errors(session):
    fac = filed_facility(session)
    e = enrol(session, fac.id, _child(1))
    with pytest.raises(Invalid) as err:
        leave(session, e.id, "2025-02-01")
    assert err.value.field == "end_on"
    leave(session, e.id, "2025-04-01")
    with pytest.raises(Invalid, match="已于"):
        leave(session, e.id, "2025-05-01")


def test_feeds_for_policy_engine_and_registry(session):
    fac = filed_facility(session)
    e = enrol(session, fac.id, {**_child(1), "birth_order": 2})
    number = _child(1)["child_id_number"]
    assert care_of_child(session, number, START) == {
        "type": "nursery",
        "inclusive": True,
        "registered": True,
        "public": False,
        "facility_id": fac.id,
        "facility_credit_code": fac.credit_code,
    }
    assert care_of_child(session, number, dt.date(2025, 2, 1)) is None
    leave(session, e.id, "2025-06-10")
    # the rest of June still has the nursery, marked left on the last day attended; July has none
    assert "left" not in care_of_child(session, number, dt.date(2025, 6, 10))
    assert care_of_child(session, number, dt.date(2025, 6, 30))["left"] == "2025-06-10"
    assert care_of_child(session, number, dt.date(2025, 7, 1)) is None
    rows = registry_feed_rows(session)
    assert [(r["event"], r["event_date"]) for r in rows] == [("enrol", "2025-03-01"), ("leave", "2025-06-10")]
    assert rows[0]["institution_code"] == fac.credit_code and rows[0]["registered"] == "1"
    assert registry_feed_rows(session, since=dt.date(2025, 6, 1))[0]["event"] == "leave"
    text = registry_feed_csv(rows)
    assert text.splitlines()[0].startswith(
        "record_no,id_number,name,sex,birth_date,event,event_date,care_type"
    )
