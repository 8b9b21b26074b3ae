"""督办: applications held past their review deadline are escalated once per state and deadline, to the county
(a town's case) or the city (a county's), audited, and listed on the county's workbench until the town acts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cradle import audit
from cradle.services import applications, escalation
from cradle.services.models import Escalation

from .helpers import application, county, mother, other_county, town
from .page_client import Signed, act, submitted
from .pages_helpers import COUNTY, MOTHER, official


def test_overdue_cases_are_escalated_once_per_state(any_session):
    s = any_session
    case = applications.submit(s, mother, application())
    due = case.sla_due  # three days for the town to take it up
    assert escalation.escalate(s, due) == {"overdue": 0, "escalated": 0, "to_county": 0, "to_city": 0}
    late = due + dt.timedelta(days=1)
    assert escalation.escalate(s, late)["escalated"] == 1
    assert escalation.escalate(s, late + dt.timedelta(days=1)) == {
        "overdue": 1,
        "escalated": 0,
        "to_county": 0,
        "to_city": 0,
    }
    listed = escalation.open_for(s, county)
    assert [(c.case_no, e.status, e.level, e.sla_due) for c, e in listed] == [
        (case.case_no, "submitted", "county", due)
    ]
    assert escalation.open_for(s, other_county) == [] and escalation.open_for(s, town) == []
    assert [e.action for e in audit.history(s, f"case:{case.case_no}")].count("case.escalate") == 1
    # the town acts: the escalation is answered; its next state has its own deadline and escalation
    applications.act(s, town, case.case_no, "town_accept")
    applications.act(s, town, case.case_no, "town_pass")
    assert escalation.open_for(s, county) == []
    counts = escalation.escalate(s, case.sla_due + dt.timedelta(days=1))
    assert (counts["escalated"], counts["to_city"]) == (1, 1)
    rows = s.execute(select(Escalation).order_by(Escalation.id)).scalars().all()
    assert [(r.status, r.level) for r in rows] == [("submitted", "county"), ("county_confirmation", "city")]
    s.commit()


def test_cases_waiting_on_the_citizen_are_not_escalated(any_session):
    s = any_session
    case = applications.submit(s, mother, application())
    applications.act(s, town, case.case_no, "town_return", reason="请补充入托证明")
    assert case.status == "returned"
    assert escalation.escalate(s, case.sla_due + dt.timedelta(days=1))["overdue"] == 0


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def test_the_county_workbench_lists_escalated_cases(url):
    from cradle.db import session_scope

    _, case_no = submitted(url, MOTHER)
    with session_scope(url) as s:
        escalation.escalate(s, dt.date.today() + dt.timedelta(days=10))
    official(url, "county_official", COUNTY, username="zd-county")
    page = Signed("zd-county").get("/staff")
    assert page.status_code == 200 and "督办：乡镇逾期未办" in page.text
    assert f'<tr data-case="{case_no}">' in page.text.split('id="escalated"')[1]
    english = Signed("zd-county").get("/staff?lang=en").text
    assert "Escalated: past the town" in english
    official(url, "town_official", f"{COUNTY}001", username="zd-town")
    town_desk = Signed("zd-town")
    assert act(town_desk, case_no, "town_accept").status_code == 303
    assert 'id="escalated"' not in Signed("zd-county").get("/staff").text
