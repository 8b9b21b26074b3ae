"""母婴安全五项制度 as work, on both databases: a red-grade pregnancy opens a 高危专案 whose overdue follow-up raises a
warning; a maternal death goes through its review and puts its hospital on the 约谈通报 list; bad input is
refused naming the field, and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cradle import audit
from cradle.db import session_scope
from cradle.errors import DomainError, IllegalTransition, OutOfScope
from cradle.health import cases, deaths, interviews, pregnancies, screenings, warnings
from cradle.health.models import CaseFollowUp, DeathReport, RiskAssessment, RiskCase
from cradle.idcard import make_id_number

from .conftest import COUNTY, WOMAN, county_official, file_pregnancy

MCH, CENTRE_TOWN, OTHER_HOSPITAL = "H37030301", "H370303101", "H37030401"


def fields(exc: DomainError) -> list[str]:
    return [e.field for e in exc.items()]


def test_red_pregnancy_opens_a_case_whose_overdue_follow_up_is_warned(hurl, workers):
    doctor = workers[MCH]
    file_pregnancy(hurl, doctor)
    with session_scope(hurl) as s:
        pregnancies.assess(
            s, doctor, "P1", {"grade": "red", "assessed_on": "2025-01-10", "factors": "重度子痫前期"}
        )
    with session_scope(hurl) as s:
        case = s.scalar(select(RiskCase).where(RiskCase.pregnancy_no == "P1"))
        assert (case.status, case.grade, case.interval_days) == ("open", "red", 7)
        assert case.next_due == dt.date(2025, 1, 17) and case.institution_code == MCH
        # before the due date: no warning; after it: one, naming the case and the days overdue
        assert warnings.for_actor(s, doctor, dt.date(2025, 1, 17)) == []
        late = warnings.for_actor(s, doctor, dt.date(2025, 1, 20))
        assert [(w.kind, w.subject) for w in late] == [("case_overdue", f"case:{case.id}")]
        assert "逾期3天" in late[0].text("zh") and "overdue by 3 days" in late[0].text("en")
        # the county sees the overdue case too (masked), another county does not
        official = county_official()
        assert cases.overdue_count(s, official, dt.date(2025, 1, 20)) == 1
        assert cases.overdue_count(s, county_official("370304"), dt.date(2025, 1, 20)) == 0
        listed = cases.listing(s, official, dt.date(2025, 1, 20))
        assert (
            listed[0]["name"] == "王*" and listed[0]["id_number"] != WOMAN and listed[0]["overdue_days"] == 3
        )
        case_id = case.id
    with session_scope(hurl) as s:  # held late: counted overdue, the next one falls due a week later
        cases.follow_up(
            s, doctor, case_id, {"done_on": "2025-01-20", "note": "血压控制"}, today=dt.date(2025, 1, 20)
        )
    with session_scope(hurl) as s:
        case = s.get(RiskCase, case_id)
        assert case.overdue_count == 1 and case.next_due == dt.date(2025, 1, 27)
        assert warnings.for_actor(s, doctor, dt.date(2025, 1, 22)) == []
        assert [e.action for e in audit.history(s, f"case:{case_id}")] == [
            "health.case_open",
            "health.follow_up",
        ]


def test_grades_open_regrade_and_referrals_reach_only_a_critical_care_centre(hurl, workers):
    doctor, centre = workers[CENTRE_TOWN], workers[MCH]
    file_pregnancy(hurl, doctor)
    with session_scope(hurl) as s:
        pregnancies.assess(s, doctor, "P1", {"grade": "yellow", "assessed_on": "2025-01-10"})
        assert s.scalar(select(func.count()).select_from(RiskCase)) == 0  # yellow: no case
        pregnancies.assess(s, doctor, "P1", {"grade": "orange", "assessed_on": "2025-02-01"})
        case = s.scalar(select(RiskCase))
        assert (case.grade, case.interval_days, case.next_due) == ("orange", 14, dt.date(2025, 2, 15))
        pregnancies.assess(s, doctor, "P1", {"grade": "red", "assessed_on": "2025-02-05"})
        assert (case.grade, case.interval_days, case.next_due) == ("red", 7, dt.date(2025, 2, 12))
        case_id = case.id
    with session_scope(hurl) as s, pytest.raises(DomainError) as e:
        cases.refer(s, doctor, case_id, {"to_institution": OTHER_HOSPITAL, "referred_on": "2025-02-06"})
    assert fields(e.value) == ["to_institution"]
    with (
        session_scope(hurl) as s,
        pytest.raises(OutOfScope),
    ):  # the centre cannot open it before the referral …
        cases.detail(s, centre, case_id)
    with session_scope(hurl) as s:
        cases.refer(
            s, doctor, case_id, {"to_institution": MCH, "referred_on": "2025-02-06", "reason": "转上级救治"}
        )
    with session_scope(hurl) as s:  # … and can after it, and follow the woman up
        assert cases.detail(s, centre, case_id)["referrals"][0].to_institution_code == MCH
        cases.follow_up(s, centre, case_id, {"done_on": "2025-02-10"}, today=dt.date(2025, 2, 10))
        assert s.get(RiskCase, case_id).overdue_count == 0


def test_a_follow_up_for_a_closed_case_is_refused_and_nothing_is_stored(hurl, workers):
    doctor = workers[MCH]
    file_pregnancy(hurl, doctor)
    with session_scope(hurl) as s:
        pregnancies.assess(s, doctor, "P1", {"grade": "purple", "assessed_on": "2025-01-10"})
        case_id = s.scalar(select(RiskCase.id))
        cases.close(s, doctor, case_id, {"reason": "moved", "closed_on": "2025-02-01"})
    with session_scope(hurl) as s, pytest.raises(IllegalTransition) as e:
        cases.follow_up(s, doctor, case_id, {"done_on": "2025-02-03"})
    assert e.value.field == "case_id" and "已结案" in str(e.value)
    with session_scope(hurl) as s:
        assert s.scalar(select(func.count()).select_from(CaseFollowUp)) == 0


@pytest.mark.parametrize(
    ("grade", "ok"), [("绿", False), ("black", False), ("", False), ("green", True), ("purple", True)]
)
def test_a_grade_outside_the_five_colours_is_refused_naming_it(lite, lite_workers, grade, ok):
    doctor = lite_workers[MCH]
    file_pregnancy(lite, doctor)
    with session_scope(lite) as s:
        if ok:
            pregnancies.assess(s, doctor, "P1", {"grade": grade, "assessed_on": "2025-01-10"})
            return
        with pytest.raises(DomainError) as e:
            pregnancies.assess(s, doctor, "P1", {"grade": grade, "assessed_on": "2025-01-10"})
    assert fields(e.value) == ["grade"]
    with session_scope(lite) as s:
        assert s.scalar(select(func.count()).select_from(RiskAssessment)) == 0


def test_forms_refuse_bad_records_naming_each_field(lite, lite_workers):
    doctor = lite_workers[MCH]
    child = make_id_number("370303", dt.date(2025, 3, 1), 5, "M")
    with session_scope(lite) as s:
        with pytest.raises(DomainError) as e:  # a screening for a child not yet born
            screenings.record_child(
                s,
                doctor,
                {
                    "kind": "hearing",
                    "id_number": child,
                    "name": "小明",
                    "recorded_on": "2025-02-20",
                    "result": "pass",
                },
            )
        assert fields(e.value) == ["recorded_on"] and "尚未出生" in str(e.value)
        with pytest.raises(DomainError) as e:  # a death before the birth
            deaths.report(
                s,
                doctor,
                {
                    "kind": "child",
                    "id_number": child,
                    "name": "小明",
                    "died_on": "2025-02-01",
                    "cause": "P07",
                },
            )
        assert fields(e.value) == ["died_on"]
        with pytest.raises(DomainError) as e:  # a pregnancy file for a man, with a bad date and no weeks
            pregnancies.file(
                s,
                doctor,
                {
                    "pregnancy_no": "P9",
                    "id_number": make_id_number("370303", dt.date(1990, 1, 1), 3, "M"),
                    "name": "张三",
                    "filed_on": "2025-13-01",
                },
            )
        assert fields(e.value) == ["id_number", "filed_on", "weeks"]
        with pytest.raises(DomainError) as e:  # an antenatal check before the file
            file_pregnancy(lite, doctor)
            pregnancies.visit(s, doctor, "P1", {"visited_on": "2024-12-01"})
        assert fields(e.value) == ["visited_on"]


def test_a_maternal_death_goes_through_review_and_puts_its_hospital_on_the_interview_list(hurl, workers):
    doctor, official = workers[MCH], county_official()
    with session_scope(hurl) as s:
        death = deaths.report(
            s,
            doctor,
            {
                "kind": "maternal",
                "id_number": WOMAN,
                "name": "王丽",
                "died_on": "2025-03-02",
                "cause": "O72.1 产后出血",
                "place": "hospital",
            },
        )
        death_id = death.id
    with session_scope(hurl) as s:  # reported, not yet reviewed: not on the list, but waiting is warned
        assert interviews.for_actor(s, official, 2025) == []
        assert deaths.pending_count(s, official) == 1
        assert [w.kind for w in warnings.for_actor(s, official, dt.date(2025, 5, 1))] == ["review_waiting"]
    review = {
        "classification": "direct",
        "avoidable": "avoidable",
        "causes": "产后出血处置延误",
        "measures": "每季度开展产后出血演练",
        "reviewed_on": "2025-04-01",
    }
    with session_scope(hurl) as s, pytest.raises(OutOfScope):  # another county's official may not review it
        deaths.review(s, county_official("370304"), death_id, review)
    with session_scope(hurl) as s, pytest.raises(DomainError) as e:
        deaths.review(s, official, death_id, {**review, "classification": "neonatal", "causes": ""})
    assert fields(e.value) == ["classification", "causes"]
    with session_scope(hurl) as s:
        deaths.review(s, official, death_id, review)
    with session_scope(hurl) as s:
        row = s.get(DeathReport, death_id)
        assert (row.review_status, row.review_avoidable, row.review_class) == (
            "reviewed",
            "avoidable",
            "direct",
        )
        listed = interviews.for_actor(s, official, 2025)
        assert [(x.institution_code, x.reasons, x.held_on) for x in listed] == [
            (MCH, {"maternal_death": 1}, None)
        ]
        assert interviews.for_actor(s, county_official("370304"), 2025) == []
        with pytest.raises(IllegalTransition):
            deaths.review(s, official, death_id, review)
    with session_scope(hurl) as s:
        interviews.hold(s, official, MCH, 2025, {"held_on": "2025-04-10", "note": "约谈院长"})
    with session_scope(hurl) as s:
        assert interviews.for_actor(s, official, 2025)[0].held_on == dt.date(2025, 4, 10)


def test_repeated_overdue_follow_ups_put_an_institution_on_the_list(lite, lite_workers):
    doctor, official = lite_workers[CENTRE_TOWN], county_official()
    for n in range(interviews.OVERDUE_LIMIT):
        file_pregnancy(lite, doctor, f"P{n}", make_id_number("370303", dt.date(1990, 1, 1 + n), 30 + n, "F"))
        with session_scope(lite) as s:
            pregnancies.assess(s, doctor, f"P{n}", {"grade": "orange", "assessed_on": "2025-01-10"})
    with session_scope(lite) as s:
        assert interviews.for_region(s, [COUNTY], 2025, dt.date(2025, 1, 20)) == []  # not yet due
        listed = interviews.for_region(s, [COUNTY], 2025, dt.date(2025, 3, 1))  # three cases overdue
        assert [(x.institution_code, x.reasons) for x in listed] == [(CENTRE_TOWN, {"overdue": 3})]
        assert interviews.for_actor(s, official, 2025, dt.date(2025, 3, 1))[0].name == "张店区第1卫生院"


def test_a_worker_sees_only_her_institutions_women_and_every_read_is_audited(hurl, workers):
    file_pregnancy(hurl, workers[MCH])
    with session_scope(hurl) as s:
        mine = pregnancies.listing(s, workers[MCH])
        assert [(r["pregnancy_no"], r["name"], r["id_number"]) for r in mine] == [("P1", "王丽", WOMAN)]
        assert pregnancies.listing(s, workers[CENTRE_TOWN]) == []
        assert pregnancies.listing(s, workers[OTHER_HOSPITAL]) == []
        with pytest.raises(OutOfScope):
            pregnancies.detail(s, workers[CENTRE_TOWN], "P1")
        # the county's health centre may add a check when it has the woman's ID number, and then holds her file
        with pytest.raises(OutOfScope):
            pregnancies.visit(s, workers[CENTRE_TOWN], "P1", {"visited_on": "2025-02-01"})
        pregnancies.visit(s, workers[CENTRE_TOWN], "P1", {"visited_on": "2025-02-01", "id_number": WOMAN})
        assert pregnancies.detail(s, workers[CENTRE_TOWN], "P1")["checks"] == 2
        with pytest.raises(OutOfScope):  # another county's hospital may not, even with the number
            pregnancies.visit(
                s, workers[OTHER_HOSPITAL], "P1", {"visited_on": "2025-02-01", "id_number": WOMAN}
            )
        official = pregnancies.listing(s, county_official())
        assert official[0]["name"] == "王*" and official[0]["id_number"] == WOMAN[:6] + "*" * 10 + WOMAN[-2:]
        assert pregnancies.listing(s, county_official("370304")) == []
        town = county_official("370303101", role="town_official")
        assert pregnancies.listing(s, town) == []  # filed without a town: the county's, not a town's
    with session_scope(hurl) as s:
        reads = [e for e in audit.history(s, "pregnancy:P1") if e.action == "health.read"]
        assert [e.actor for e in reads] == [workers[CENTRE_TOWN].ref]
        lists = [e for e in audit.history(s, "health:pregnancies")]
        assert len(lists) == 6 and {e.detail["count"] for e in lists} == {0, 1}
