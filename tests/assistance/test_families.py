"""三个全覆盖: a special family joins when the county approves its special assistance; two contact persons,
changeable and audited; visits with the needs they raise turned into department tasks with deadlines; reminders
when a family is overdue for the county's interval (the scheduled job); the family-doctor contract status; and the
hospitals' yes/no priority question."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cradle.assistance import families, jobs
from cradle.assistance.county_settings import set_setting
from cradle.assistance.models import Contact, Cycle, Family, Reminder, Task, Visit
from cradle.audit import AuditEntry
from cradle.db import session_scope
from cradle.errors import Forbidden, Invalid
from cradle.jobs.registry import JobContext

from .helpers import COUNTY, city, civil, county, day, father, finance, hospital, mother, town, weijian
from .test_cycle import run_2025


@pytest.fixture
def approved(svc_url, tmp_path):
    run_2025(svc_url, tmp_path)
    return svc_url


def _family(s, n):
    return s.execute(select(Family).where(Family.household == mother(n))).scalar_one()


def test_special_families_join_on_approval_with_contacts_visits_and_tasks(approved):
    url = approved
    with session_scope(url) as s:
        rows = {f.household: f.kind for f in families.families(s, county, COUNTY)}
    assert rows == {mother(0): "bereaved", mother(3): "disabled_child"}  # one family for both parents
    with session_scope(url) as s:
        fam = _family(s, 0)
        families.set_contact(s, town, fam.id, "official", "张干事", "13900000001", since=day("2025-03-10"))
        families.set_contact(s, town, fam.id, "doctor", "李医生", since=day("2025-03-10"))
        families.set_contact(s, town, fam.id, "official", "王干事", since=day("2025-06-01"))
    with session_scope(url) as s:
        fam = _family(s, 0)
        now = {c.kind: c.name for c in families.contacts(s, fam)}
        assert now == {"official": "王干事", "doctor": "李医生"}
        old = s.execute(select(Contact).where(Contact.name == "张干事")).scalar_one()
        assert old.until == day("2025-05-31")
        changes = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "assistance.contact")).scalars().all()
        )
        assert changes[-1].detail["replaces"] == ["张干事"]
    with session_scope(url) as s:
        fam = _family(s, 0)
        families.record_visit(
            s,
            town,
            fam.id,
            visited_on=day("2025-06-10"),
            visitor="王干事",
            done="送医陪护",
            needs=["care_home", "psychological"],
            today=day("2025-06-10"),
        )
    with session_scope(url) as s:
        tasks = {t.need: (t.department, t.deadline, t.status) for t in s.execute(select(Task)).scalars()}
        assert tasks == {
            "care_home": ("minzheng", day("2025-07-10"), "open"),
            "psychological": ("weijian", day("2025-06-25"), "open"),
        }
        # the civil-affairs clerk sees and closes their own task, not the health commission's
        mine = families.tasks(s, civil, COUNTY)
        assert [t.need for t in mine] == ["care_home"]
        families.close_task(s, civil, mine[0].id)
        other = s.execute(select(Task).where(Task.need == "psychological")).scalar_one()
        with pytest.raises(Forbidden):
            families.close_task(s, civil, other.id)


def test_a_bad_visit_is_refused_and_nothing_is_stored(approved):
    with pytest.raises(Invalid) as exc, session_scope(approved) as s:
        families.record_visit(
            s,
            town,
            _family(s, 0).id,
            visited_on=day("2025-06-10"),
            visitor="王",
            done="走访",
            needs=["car"],
            today=day("2025-06-10"),
        )
    assert exc.value.field == "needs[0]"
    with session_scope(approved) as s:
        assert s.execute(select(Visit)).first() is None and _family(s, 0).last_visit is None


def test_reminders_when_overdue_for_the_countys_interval(approved):
    url = approved
    with session_scope(url) as s:
        set_setting(s, county, COUNTY, 7, 30)
    ctx = JobContext(url, day("2025-04-20"))  # approved 2025-03-09: due 04-08, both families overdue
    assert jobs.visit_reminders(ctx) == {"overdue": 2, "reminders": 2}
    assert jobs.visit_reminders(ctx) == {"overdue": 2, "reminders": 0}  # once per due date
    with session_scope(url) as s:
        families.record_visit(
            s,
            town,
            _family(s, 0).id,
            visited_on=day("2025-04-19"),
            visitor="王",
            done="走访",
            today=day("2025-04-20"),
        )
    with session_scope(url) as s:
        left = families.reminders(s, county, COUNTY)
        assert [r.family_id for r in left] == [_family(s, 3).id]
        assert (
            s.execute(select(Reminder).where(Reminder.closed.is_(True))).scalar_one().family_id
            == _family(s, 0).id
        )
    assert jobs.visit_reminders(JobContext(url, day("2025-05-10")))["overdue"] == 1


def test_doctor_contract_and_the_hospitals_yes_or_no(approved):
    url = approved
    with session_scope(url) as s:
        families.record_doctor_contract(s, weijian, mother(0), "signed", day("2025-04-01"))
        assert _family(s, 0).doctor_contract == "signed"
        assert families.has_priority(s, hospital, father(0)) is True
        assert families.has_priority(s, hospital, mother(1)) is False  # reward assistance only
        with pytest.raises(Forbidden):
            families.has_priority(s, finance, mother(0))
        with pytest.raises(Forbidden):
            families.has_priority(s, weijian, mother(0))  # a department's desk is no hospital
        with pytest.raises(Forbidden):
            families.has_priority(s, city, mother(0))
        checks = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "assistance.priority_check"))
            .scalars()
            .all()
        )
    assert [c.detail for c in checks] == [
        {"answer": True, "institution": 1},
        {"answer": False, "institution": 1},
    ]
    assert all(father(0) not in c.subject and mother(1) not in c.subject for c in checks)


def test_the_yearly_job_finds_the_new_years_list_once(approved):
    ctx = JobContext(approved, day("2026-01-02"))
    assert jobs.yearly_candidates(ctx) == {"counties": 1, "already_listed": 0}
    with session_scope(approved) as s:
        listed = s.execute(select(Cycle).where(Cycle.county == COUNTY, Cycle.year == 2026)).scalar_one()
        assert (listed.status, listed.created_by) == ("open", "system:system@")
    assert jobs.yearly_candidates(ctx) == {"counties": 0, "already_listed": 1}
