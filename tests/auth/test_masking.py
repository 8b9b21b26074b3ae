"""Masking: case-handling roles in scope see full numbers and each view is audited; others see masks."""

from __future__ import annotations

from sqlalchemy import select

from cradle.audit import AuditEntry, verify
from cradle.auth.actor import Actor
from cradle.auth.masking import mask_phone, show_person
from cradle.db import session_scope

from .helpers import CITIZEN_ID


def actor(role, region=None, dept=None, id_number=None):
    return Actor(
        id="account:9", role=role, region=region, dept=dept, id_number=id_number, name="测", account_id=9
    )


def test_who_sees_full_numbers(auth_url):
    person = {
        "subject": "registry:person:1",
        "region": "370303",
        "id_number": CITIZEN_ID,
        "phone": "13800138000",
    }
    with session_scope(auth_url) as s:
        seen = {
            "county in scope": show_person(s, actor("county_official", "370303"), **person),
            "town of the county": show_person(s, actor("town_official", "370303001"), **person),
            "county out of scope": show_person(s, actor("county_official", "370304"), **person),
            "city": show_person(s, actor("city_official", "370300"), **person),
            "weijian clerk": show_person(s, actor("dept_clerk", "370303", dept="weijian"), **person),
            "tongji clerk": show_person(s, actor("dept_clerk", "370303", dept="tongji"), **person),
            "auditor": show_person(s, actor("auditor", "cn"), **person),
            "the person": show_person(s, actor("citizen", id_number=CITIZEN_ID), **person),
            "another citizen": show_person(s, actor("citizen", id_number="11010519491231002X"), **person),
            "anonymous": show_person(s, None, **person),
        }
    unmasked = {k for k, v in seen.items() if not v["masked"]}
    assert unmasked == {"county in scope", "weijian clerk", "the person"}
    assert seen["city"] == {
        "id_number": "370303**********" + CITIZEN_ID[-2:],
        "phone": "138****8000",
        "masked": True,
    }
    assert mask_phone("13800138000") == "138****8000"
    with session_scope(auth_url) as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "view_unmasked")).all()
        assert [e.subject for e in entries] == ["registry:person:1"] * 2  # not the person's own view
        assert entries[0].detail["fields"] == ["id_number", "phone"] and CITIZEN_ID not in entries[0].actor
        assert verify(s).ok
