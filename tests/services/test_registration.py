from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cradle import audit
from cradle.errors import Conflict, Forbidden, Invalid, NotFound
from cradle.services import registration
from cradle.services.models import BirthRegistration, Notification

from .helpers import FATHER, MOTHER, aunt, county, father, mother, other_county, outsider

SOON = (dt.date.today() + dt.timedelta(days=120)).isoformat()


def data(**over):
    d = {
        "mother_id_number": MOTHER,
        "mother_name": "李梅",
        "father_id_number": FATHER,
        "father_name": "王强",
        "hukou_region": "620402",
        "residence_region": "620402",
        "expected_birth": SOON,
        "child_order": 2,
        "phone": "13800000001",
    }
    d.update(over)
    return d


def count(s):
    return s.execute(select(func.count()).select_from(BirthRegistration)).scalar()


def test_immediate_registration_without_approval(any_session):
    s = any_session
    reg = registration.register(s, mother, data())
    s.commit()
    assert reg.status == "registered" and reg.reg_no.startswith("SY")
    assert registration.get(s, county, reg.reg_no).id == reg.id
    assert [e.action for e in audit.history(s, f"registration:{reg.reg_no}")] == ["registration.create"]
    kinds = s.execute(
        select(Notification.channel).where(Notification.recipient_id_number == MOTHER)
    ).scalars()
    assert sorted(kinds) == ["inapp", "sms"]


@pytest.mark.parametrize("order", [1, 2, 3])
def test_first_second_third_child(session, order):
    reg = registration.register(session, mother, data(child_order=order))
    assert reg.child_order == order


def test_cross_province_registrant_accepted_by_hukou(session):
    reg = registration.register(session, father, data(hukou_region="140105"))
    entry = audit.history(session, f"registration:{reg.reg_no}")[0]
    assert entry.detail["cross_province"] is True


def test_duplicate_same_mother_same_pregnancy(any_session):
    s = any_session
    first = registration.register(s, mother, data())
    s.commit()
    later = (dt.date.fromisoformat(SOON) + dt.timedelta(days=20)).isoformat()
    with pytest.raises(Conflict) as exc:
        registration.register(s, father, data(expected_birth=later))
    assert exc.value.field == "expected_birth" and first.reg_no in exc.value.message
    s.rollback()
    assert count(s) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mother_id_number", "123"),
        ("mother_id_number", FATHER),
        ("father_id_number", MOTHER),
        ("hukou_region", "999999"),
        ("residence_region", "620400"),
        ("expected_birth", "2020-01-01"),
        ("expected_birth", "soon"),
        ("child_order", 0),
        ("child_order", "x"),
        ("phone", "12345"),
        ("mother_name", ""),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(session, field, value):
    with pytest.raises(Invalid) as exc:
        registration.register(session, mother, data(**{field: value}))
    assert exc.value.field == field
    assert count(session) == 0


def test_only_the_family_or_a_consented_proxy(session):
    with pytest.raises(Forbidden):
        registration.register(session, outsider, data())
    with pytest.raises(Forbidden):
        registration.register(session, county, data())
    assert count(session) == 0


def test_scope_and_cancel(session):
    reg = registration.register(session, mother, data())
    with pytest.raises(NotFound):
        registration.get(session, other_county, reg.reg_no)
    with pytest.raises(NotFound):
        registration.get(session, aunt, reg.reg_no)
    with pytest.raises(Invalid):
        registration.cancel(session, mother, reg.reg_no, " ")
    registration.cancel(session, mother, reg.reg_no, "登记有误")
    with pytest.raises(Conflict):
        registration.cancel(session, mother, reg.reg_no, "again")
    # once cancelled, the same pregnancy may be registered again
    assert registration.register(session, mother, data()).status == "registered"


def test_a_town_reads_only_the_registrations_whose_follow_up_is_its_own(any_session):
    from cradle.health.models import Guidance

    from .helpers import TOWN, other_town, town

    s = any_session
    reg = registration.register(s, mother, data())
    s.flush()
    for actor in (town, other_town):  # not yet placed in a town: the county's alone
        with pytest.raises(NotFound):
            registration.get(s, actor, reg.reg_no)
    s.execute(select(Guidance).where(Guidance.registration_no == reg.reg_no)).scalar_one().town = TOWN
    s.flush()
    assert registration.get(s, town, reg.reg_no).id == reg.id
    with pytest.raises(NotFound):
        registration.get(s, other_town, reg.reg_no)
    assert registration.get(s, county, reg.reg_no).id == reg.id
