from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from cradle import audit
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound
from cradle.idcard import make_id_number
from cradle.payments import entitlements, rates
from cradle.services import applications, notifications
from cradle.services.models import Case, CaseStep, Notification
from cradle.services.offices import ref

from .helpers import (
    CHILD2,
    COUNTY,
    MOTHER,
    application,
    county,
    household,
    mother,
    other_county,
    other_town,
    outsider,
    town,
)


def set_rate(s, amount=200):
    rates.set_rate(
        s, county, "baiyin.childcare_allowance", COUNTY, dt.date(2024, 1, 1), amount, "白区政发〔2024〕1号"
    )


def walk_to_approval(s, case):
    applications.act(s, town, case.case_no, "town_accept")
    applications.act(s, town, case.case_no, "town_pass")
    return applications.act(s, county, case.case_no, "county_approve")


def test_application_prefilled_checked_and_approved(any_session):
    s = any_session
    set_rate(s)
    case = applications.submit(s, mother, application())
    s.commit()
    assert case.status == "submitted" and case.amount == Decimal("200.00")
    assert case.eligibility["eligible"] and "第2孩" in case.eligibility["entitlement"]["explanation"]
    assert case.period_end == dt.date(2028, 3, 10) and case.sla_due is not None
    walk_to_approval(s, case)
    s.commit()
    assert case.status == "approved"
    steps = applications.steps(s, case)
    assert [(st.action, st.to_status) for st in steps] == [
        ("submit", "submitted"),
        ("town_accept", "town_review"),
        ("town_pass", "county_confirmation"),
        ("county_approve", "approved"),
    ]
    assert all(st.actor and st.at for st in steps)
    ents = entitlements.of_beneficiary(s, CHILD2)
    assert len(ents) == 1 and ents[0].amount == Decimal("200.00") and ents[0].end == dt.date(2028, 3, 10)
    assert audit.verify(s).ok


def test_engine_refusal_is_explained_and_nothing_stored(session):
    with pytest.raises(Invalid) as exc:  # a first child gets no Baiyin allowance
        applications.submit(session, mother, application(beneficiary="c1"))
    assert exc.value.field == "program" and "c2" in exc.value.message
    born_2023 = household("2023-06-01")
    with pytest.raises(Invalid) as exc:
        applications.submit(session, mother, application(household=born_2023))
    assert exc.value.field == "program" and "2024" in exc.value.message
    assert session.execute(select(func.count()).select_from(Case)).scalar() == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"program": "cn.maternity_leave"}, "program"),
        ({"household": None}, "household"),
        ({"household": {**household(), "members": [{"id": "m", "relation": "aunt"}]}}, "identities.f"),
        ({"identities": {"m": {"id_number": "1", "name": "x"}}}, "identities.m.id_number"),
        ({"identities": {"zz": {"id_number": MOTHER, "name": "x"}}}, "identities.zz"),
        ({"beneficiary": "zz"}, "beneficiary"),
        ({"town": "620403001"}, "town"),
        ({"account_no": "abc"}, "account_no"),
        ({"phone": "1"}, "phone"),
        ({"household": {**household(), "jurisdiction": "620400"}}, "jurisdiction"),
    ],
)
def test_bad_application_names_field(session, over, field):
    with pytest.raises(Invalid) as exc:
        applications.submit(session, mother, application(**over))
    assert exc.value.field == field
    assert session.execute(select(func.count()).select_from(Case)).scalar() == 0


def test_household_input_errors_carry_the_engine_path(session):
    bad = household()
    bad["members"][3]["birth_date"] = "2025-02-30"
    with pytest.raises(Invalid) as exc:
        applications.submit(session, mother, application(household=bad))
    assert exc.value.field.startswith("household.members[3]")


def test_not_a_member_and_duplicate(session):
    with pytest.raises(Invalid):
        applications.submit(session, outsider, application())
    case = applications.submit(session, mother, application())
    with pytest.raises(Conflict) as exc:
        applications.submit(session, mother, application())
    assert case.case_no in exc.value.message


def test_taken_case_number_is_drawn_again(any_session, monkeypatch):
    """48 random bits clash about once in 50,000 draws at 100,000 cases a day: a clash is a new number, never
    an error (a 25,000-submission benchmark met one as a 500)."""
    s = any_session
    first = applications.submit(s, mother, application())
    s.execute(
        update(Case).where(Case.id == first.id).values(program="other.program")
    )  # frees (program, child)
    draws = iter([first.case_no])
    real = applications.v.reference
    monkeypatch.setattr(applications.v, "reference", lambda *a: next(draws, None) or real(*a))
    second = applications.submit(s, mother, application())
    s.commit()
    assert second.case_no != first.case_no and len(second.case_no) == 22
    assert s.execute(select(func.count()).select_from(Case)).scalar() == 2


def test_a_submission_stores_its_step_and_notifications_once_whatever_the_draws(any_session, monkeypatch):
    """The case, its step and its notifications (in-app and SMS) are written together: a taken case number and a
    twin application leave no step or notification behind (on PostgreSQL they are one statement)."""
    s = any_session
    first = applications.submit(s, mother, application())
    s.execute(update(Case).where(Case.id == first.id).values(program="other.program"))
    draws = iter([first.case_no])
    real = applications.v.reference
    monkeypatch.setattr(applications.v, "reference", lambda *a: next(draws, None) or real(*a))
    second = applications.submit(s, mother, application(phone="13800138000"))
    with pytest.raises(Conflict):
        applications.submit(s, mother, application(phone="13800138000"))
    s.commit()
    steps = s.execute(select(CaseStep.case_id, CaseStep.action, CaseStep.to_status, CaseStep.actor)).all()
    assert sorted(steps) == sorted(
        [(first.id, "submit", "submitted", ref(mother)), (second.id, "submit", "submitted", ref(mother))]
    )
    notes = s.execute(
        select(Notification.subject, Notification.channel, Notification.phone, Notification.status)
        .where(Notification.subject == f"case:{second.case_no}")
        .order_by(Notification.channel)
    ).all()
    assert notes == [
        (f"case:{second.case_no}", "inapp", None, "pending"),
        (f"case:{second.case_no}", "sms", "13800138000", "pending"),
    ]
    said = [
        notifications.text(n)
        for n in s.execute(
            select(Notification).where(Notification.subject == f"case:{second.case_no}")
        ).scalars()
    ]
    assert len(said) == 2 and all(second.case_no in t and "申请已提交" in t for t in said)
    subjects = s.execute(select(Notification.subject)).scalars().all()
    assert set(subjects) == {f"case:{first.case_no}", f"case:{second.case_no}"}  # nothing of the refused twin
    assert audit.verify(s).ok


def test_return_for_correction_and_resubmit(session):
    case = applications.submit(session, mother, application(account_no=None, bank_code=None))
    applications.act(session, town, case.case_no, "town_accept")
    with pytest.raises(Invalid):
        applications.act(session, town, case.case_no, "town_return")
    applications.act(session, town, case.case_no, "town_return", reason="请补充一卡通账号")
    assert case.status == "returned"
    applications.act(
        session,
        mother,
        case.case_no,
        "resubmit",
        changes={"account_no": "6217000000000000009", "bank_code": "GSBANK"},
    )
    assert case.status == "submitted" and case.account_no == "6217000000000000009"


def test_approval_needs_amount_and_account(session):
    case = applications.submit(session, mother, application())  # no county rate yet: amount null
    applications.act(session, town, case.case_no, "town_accept")
    applications.act(session, town, case.case_no, "town_pass")
    with pytest.raises(Invalid) as exc:
        applications.act(session, county, case.case_no, "county_approve")
    assert exc.value.field == "amount" and case.status == "county_confirmation"
    applications.act(session, county, case.case_no, "county_reject", reason="材料不实")
    assert case.status == "rejected"


def test_scope_and_roles(session):
    set_rate(session)
    case = applications.submit(session, mother, application())
    for actor in (other_town, other_county):
        with pytest.raises(NotFound):
            applications.act(session, actor, case.case_no, "town_accept")
    with pytest.raises(IllegalTransition):
        applications.act(session, county, case.case_no, "town_accept")
    with pytest.raises(IllegalTransition):
        applications.act(session, mother, case.case_no, "county_approve")
    with pytest.raises(NotFound):
        applications.act(session, outsider, case.case_no, "withdraw")
    assert [c.case_no for c in applications.queue(session, town)] == [case.case_no]
    assert applications.queue(session, other_town) == []
    with pytest.raises(Forbidden):
        applications.queue(session, mother)
    assert case.status == "submitted"


def test_stale_version_refused(session):
    case = applications.submit(session, mother, application())
    applications.act(session, town, case.case_no, "town_accept", expected_version=1)
    with pytest.raises(Conflict) as exc:
        applications.act(session, town, case.case_no, "town_pass", expected_version=1)
    assert exc.value.field == "version" and case.status == "town_review"


def test_sla_and_overdue(session):
    case = applications.submit(session, mother, application())
    later = dt.date.today() + dt.timedelta(days=4)
    assert applications.is_overdue(case, later) and not applications.is_overdue(case)
    assert [c.case_no for c in applications.queue(session, town, overdue_only=True, today=later)] == [
        case.case_no
    ]
    assert applications.queue(session, town, overdue_only=True) == []


def test_attachments_required_before_town_pass(session):
    # a 失独 couple: 特别扶助 asks the mother to be 49 or more (the national rule)
    widow = make_id_number("620000", dt.date(1968, 4, 2), 21, "F")  # codes issued in the 1960s
    husband = make_id_number("620000", dt.date(1966, 1, 1), 22, "M")
    data = application(program="baiyin.special_assistance_bereaved", beneficiary="m")
    hh = household()
    hh["family_planning"] = {"special_family": "bereaved"}
    hh["members"] = [
        dict(hh["members"][0], birth_date="1968-04-02"),
        dict(hh["members"][1], birth_date="1966-01-01"),
    ]
    hh["events"] = []
    data["household"] = hh
    data["identities"] = {
        "m": {"id_number": widow, "name": "李梅"},
        "f": {"id_number": husband, "name": "王强"},
    }
    mother = Actor(id="w", role=roles.CITIZEN, id_number=widow, name="李梅")
    case = applications.submit(session, mother, data)
    assert case.amount == Decimal("1000.00")
    applications.act(session, town, case.case_no, "town_accept")
    with pytest.raises(Invalid) as exc:
        applications.act(session, town, case.case_no, "town_pass")
    assert exc.value.field == "attachments"
    with pytest.raises(Invalid) as exc:
        applications.add_attachment(
            session, mother, case.case_no, "独生子女死亡证明.exe", "application/x-exe", b"x"
        )
    assert exc.value.field == "content_type"
    with pytest.raises(Invalid):
        applications.add_attachment(
            session, mother, case.case_no, "独生子女死亡证明.pdf", "application/pdf", b""
        )
    applications.add_attachment(
        session, mother, case.case_no, "独生子女死亡证明.pdf", "application/pdf", b"%PDF-1"
    )
    applications.act(session, town, case.case_no, "town_pass")
    assert case.status == "county_confirmation"
    applications.act(session, county, case.case_no, "county_approve")
    with pytest.raises(Conflict):
        applications.add_attachment(session, mother, case.case_no, "x.pdf", "application/pdf", b"%PDF")
