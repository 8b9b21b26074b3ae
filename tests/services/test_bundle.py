from __future__ import annotations

import datetime as dt

import pytest

from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound
from cradle.services import bundle, registration

from .helpers import COUNTY, FATHER, MOTHER, mother, outsider

BORN = dt.date.today() - dt.timedelta(days=10)
weijian = Actor(id="w", role=roles.DEPT, dept="weijian", region=COUNTY)
yibao = Actor(id="y", role=roles.DEPT, dept="yibao", region=COUNTY)
yibao_elsewhere = Actor(id="y2", role=roles.DEPT, dept="yibao", region="620403")


def data(**over):
    d = {
        "mother_id_number": MOTHER,
        "mother_name": "李梅",
        "father_id_number": FATHER,
        "father_name": "王强",
        "child_name": "王二",
        "child_sex": "M",
        "child_birth_date": BORN.isoformat(),
        "birth_hospital": "白银市妇幼保健院",
        "hukou_region": COUNTY,
        "phone": "13800000001",
        "account_no": "6217000000000000001",
        "maternity_insured": True,
    }
    d.update(over)
    return d


def test_one_application_creates_every_department_task(any_session):
    s = any_session
    b = bundle.apply(s, mother, data())
    s.commit()
    kinds = {t.kind: t for t in bundle.tasks(s, b)}
    assert set(kinds) == {t.kind for t in bundle.TASKS}
    assert kinds["medical_insurance"].deadline.month == (BORN.month + 5) % 12 + 1  # six months after birth
    assert kinds["maternity_allowance"].deadline.year == BORN.year + 3
    assert {t.dept for t in kinds.values()} == {"weijian", "gongan", "yibao", "renshe"}
    # data entered once, read by each department (ID numbers masked)
    views = bundle.dept_queue(s, weijian)
    assert {vw["kind"] for vw in views} == {"birth_certificate", "vaccination_certificate"}
    assert views[0]["data"]["child_name"] == "王二" and "*" in views[0]["data"]["mother_id_number"]


def test_uninsured_mother_gets_no_claim_tasks(session):
    b = bundle.apply(session, mother, data(maternity_insured=False))
    assert "maternity_allowance" not in {t.kind for t in bundle.tasks(session, b)}


def test_task_states_and_timeline(session):
    b = bundle.apply(session, mother, data())
    task = next(t for t in bundle.tasks(session, b) if t.kind == "medical_insurance")
    with pytest.raises(IllegalTransition):
        bundle.move(session, yibao, task.id, "complete")
    with pytest.raises(Forbidden):
        bundle.move(session, weijian, task.id, "start")
    with pytest.raises(Forbidden):
        bundle.move(session, yibao_elsewhere, task.id, "start")
    with pytest.raises(Invalid):
        bundle.move(session, yibao, task.id, "reject", reason="")
    bundle.move(session, yibao, task.id, "reject", reason="户籍信息待公安登记后再参保")
    bundle.move(session, yibao, task.id, "start")
    bundle.move(session, yibao, task.id, "complete", result={"insured_from": BORN.isoformat()})
    with pytest.raises(IllegalTransition):
        bundle.move(session, yibao, task.id, "reject", reason="x")
    view = bundle.timeline(session, mother, b.bundle_no)
    row = next(t for t in view["tasks"] if t["kind"] == "medical_insurance")
    assert row["status"] == "done"
    assert [e["to"] for e in view["events"] if e["task"] == "medical_insurance"] == [
        "rejected",
        "in_progress",
        "done",
    ]
    with pytest.raises(NotFound):
        bundle.timeline(session, outsider, b.bundle_no)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("child_birth_date", (dt.date.today() + dt.timedelta(days=1)).isoformat()),
        ("child_sex", "X"),
        ("hukou_region", "620400"),
        ("phone", None),
        ("registration_no", "SY000"),
        ("child_name", ""),
    ],
)
def test_bad_bundle_input(session, field, value):
    with pytest.raises(Invalid) as exc:
        bundle.apply(session, mother, data(**{field: value}))
    assert exc.value.field == field
    assert bundle.of_person(session, MOTHER) == []


def test_linked_to_registration_and_no_duplicates(session):
    reg = registration.register(
        session,
        mother,
        {
            "mother_id_number": MOTHER,
            "mother_name": "李梅",
            "hukou_region": COUNTY,
            "residence_region": COUNTY,
            "expected_birth": BORN.isoformat(),
            "child_order": 2,
        },
    )
    b = bundle.apply(session, mother, data(registration_no=reg.reg_no))
    assert b.registration_id == reg.id
    with pytest.raises(Conflict):
        bundle.apply(session, mother, data())
    with pytest.raises(Forbidden):
        bundle.apply(session, outsider, data(child_name="另一个"))
