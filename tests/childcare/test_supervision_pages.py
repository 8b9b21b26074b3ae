"""The officials' supervision pages for what was API-only (issue 23, item 3): a facility's quality grade and
credit-list record entered by form, and its whole history on one page, naming who acted as people say it.
Another county's official sees none of it and changes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cradle.auth.testing import bearer_for
from cradle.childcare.importer import import_file
from cradle.childcare.models import CreditRecord, Facility, ImportQuarantine, QualityGrade
from cradle.db import session_scope
from cradle.web.app import create_app

from .helpers import credit_code, filed_facility
from .test_import import _row, _write_csv

MODULES = ["cradle.childcare.api", "cradle.childcare.pages"]


@pytest.fixture
def facility(migrated_db_url) -> int:
    with session_scope(migrated_db_url) as s:
        return filed_facility(s, 1).id


@pytest.fixture
def client(migrated_db_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    with TestClient(create_app(MODULES), base_url="https://testserver") as c:
        c.headers.update(bearer_for(migrated_db_url, "county_official", "370303", name="王科长"))
        yield c


def _count(url, model) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_grade_credit_and_history_by_form(client, facility, migrated_db_url):
    base = f"/childcare/official/facilities/{facility}"
    r = client.post(
        f"{base}/grades",
        data={"grade": "B", "assessed_on": "2025-03-01", "assessor": "市卫健委评估组", "note": "复评"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and 'id="quality"' in r.text
    assert "良好" in r.text[r.text.index('id="quality"') :][:200]
    r = client.post(
        f"{base}/credit",
        data={
            "list_type": "black",
            "reason": "虚假宣传",
            "decision_ref": "淄卫〔2025〕3号",
            "start_on": "2025-04-01",
        },
        follow_redirects=True,
    )
    assert 'data-credit="black"' in r.text
    history = client.get(f"{base}/history")
    assert history.status_code == 200
    items = history.text[history.text.index('id="facility-history"') :]
    assert all(f'data-kind="{k}"' in items for k in ("credit", "grade", "filing"))
    # newest first: the credit record (April) before the grade (March)
    assert items.index('data-kind="credit"') < items.index('data-kind="grade"')
    assert "淄卫〔2025〕3号" in items and "市卫健委评估组" in items and "已备案" in items
    # who acted, as people say it: the signed-in county office, and the seed's bare "county" role
    assert "张店区 区县经办人" in items and "county_official:" not in items


def test_bad_input_names_the_field_and_stores_nothing(client, facility, migrated_db_url):
    base = f"/childcare/official/facilities/{facility}"
    r = client.post(
        f"{base}/grades",
        data={"grade": "Z", "assessed_on": "2025-03-01", "assessor": "x"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "grade" in r.headers["location"]
    r = client.post(
        f"{base}/credit",
        data={"list_type": "red", "reason": "守信", "start_on": "2025-05-01", "end_on": "2025-01-01"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "end_on" in r.headers["location"]
    assert _count(migrated_db_url, QualityGrade) == 0 and _count(migrated_db_url, CreditRecord) == 0


def test_another_countys_official_sees_and_changes_nothing(client, facility, migrated_db_url):
    other = bearer_for(migrated_db_url, "county_official", "370304")
    base = f"/childcare/official/facilities/{facility}"
    r = client.get(f"{base}/history", headers=other)
    assert r.status_code == 404 and "测试托育园1" not in r.text
    client.post(
        f"{base}/grades", data={"grade": "A", "assessed_on": "2025-03-01", "assessor": "x"}, headers=other
    )
    client.post(
        f"{base}/credit", data={"list_type": "red", "reason": "x", "start_on": "2025-03-01"}, headers=other
    )
    assert _count(migrated_db_url, QualityGrade) == 0 and _count(migrated_db_url, CreditRecord) == 0


def test_a_visitor_is_sent_to_sign_in(migrated_db_url, facility, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    with TestClient(create_app(MODULES), base_url="https://testserver", follow_redirects=False) as c:
        r = c.get(f"/childcare/official/facilities/{facility}/history")
    assert r.status_code == 303 and r.headers["location"].startswith("/auth/login")


def test_the_workbench_lists_the_institutions_with_their_history(client, facility):
    page = client.get("/childcare/official").text
    listed = page[page.index('id="facilities"') :]
    assert f'href="/childcare/official/facilities/{facility}/history"' in listed and "测试托育园1" in listed
    assert "张店区" in listed


def test_planning_coverage_stations_and_residential_areas(client, facility):
    page = client.get("/childcare/official/planning").text
    # 淄博 asks each 区县 for a public nursery; the one filed institution is private, so 张店区 falls short
    assert 'data-region="370303" data-meets="no"' in page
    page = client.get("/childcare/official/planning", params={"communities_total": "0"}).text
    assert "communities_total" in page[page.index('id="stations"') :]
    page = client.get("/childcare/official/planning", params={"planned_population": "many"}).text
    assert "planned_population" in page[page.index('id="residential"') :]
    # 白银's rule: 5 places per 1,000 residents of a new area (a calculation anyone may ask the API for too)
    page = client.get(
        "/childcare/official/planning", params={"region": "620402", "planned_population": "3001"}
    )
    assert '<strong id="required-slots">16 个托位</strong>' in page.text
    assert 'data-region="620402"' not in page.text  # 白银's coverage is outside 张店区's scope


def test_planning_shows_another_county_nothing(client, facility, migrated_db_url):
    other = bearer_for(migrated_db_url, "county_official", "370304")
    page = client.get("/childcare/official/planning", params={"region": "370303"}, headers=other).text
    assert 'data-region="370303"' not in page and "测试托育园1" not in page
    assert "测试托育园1" not in client.get("/childcare/official", headers=other).text


def test_quarantined_import_rows_are_corrected_and_resubmitted_by_form(client, migrated_db_url, tmp_path):
    path = _write_csv(tmp_path / "list.csv", [_row(1), _row(3, 托大班托位="-4")])
    with session_scope(migrated_db_url) as s:
        import_file(s, path)
        row_id = s.scalar(select(ImportQuarantine.id))
    page = client.get("/childcare/official/quarantine").text
    assert f'id="row-{row_id}" data-status="open"' in page and "导入托育园3" in page
    # a correction that is still wrong: the row stays open, with the new error
    client.post(f"/childcare/official/quarantine/{row_id}", data={"field": "托大班托位", "value": "-1"})
    client.post(f"/childcare/official/quarantine/{row_id}", data={"action": "resubmit"})
    with session_scope(migrated_db_url) as s:
        assert s.get(ImportQuarantine, row_id).status == "open"
    client.post(f"/childcare/official/quarantine/{row_id}", data={"field": "托大班托位", "value": "20"})
    page = client.post(
        f"/childcare/official/quarantine/{row_id}", data={"action": "resubmit"}, follow_redirects=True
    ).text
    assert f'id="row-{row_id}"' not in page  # no longer open
    with session_scope(migrated_db_url) as s:
        row = s.get(ImportQuarantine, row_id)
        assert row.status == "resolved" and row.resolved_by.startswith("county_official:")
    # another county's official sees the row nowhere and cannot touch it
    other = bearer_for(migrated_db_url, "county_official", "370304")
    assert "导入托育园3" not in client.get("/childcare/official/quarantine?status=all", headers=other).text
    r = client.post(
        f"/childcare/official/quarantine/{row_id}", data={"field": "name", "value": "x"}, headers=other
    )
    assert r.status_code == 404


def _registration_form(**overrides) -> dict:
    form = {
        "credit_code": credit_code("370303", 7),
        "name": "登记托育园",
        "type": "inclusive_private",
        "address": "登记路7号",
        "region_code": "370303",
        "floor_area_m2": "500",
        "rooms": "5",
        "opening_date": "2025-01-01",
        "slots_toddler": "30",
        "classes_toddler": "2",
        "fee_monthly_toddler": "1500",
        "staff": "王园长，机构负责人\n李丽, caregiver, 保育师\n张敏，Health staff",
    }
    return {**form, **overrides}


def test_an_institution_is_registered_by_form(client, migrated_db_url):
    r = client.post("/childcare/official/register", data=_registration_form(), follow_redirects=False)
    assert r.status_code == 303
    facility_id = int(r.headers["location"].rsplit("/", 1)[1])
    with session_scope(migrated_db_url) as s:
        f = s.get(Facility, facility_id)
        assert f.name == "登记托育园" and [(g.age_group, g.slots, g.fee_monthly) for g in f.slots] == [
            ("toddler", 30, 1500)
        ]
        assert [(p.name, p.role) for p in f.staff] == [
            ("王园长", "director"),
            ("李丽", "caregiver"),
            ("张敏", "health"),
        ]


def test_a_refused_registration_comes_back_filled_and_stores_nothing(client, migrated_db_url):
    r = client.post("/childcare/official/register", data=_registration_form(credit_code="123"))
    assert r.status_code == 422 and "credit_code" in r.text and 'value="登记托育园"' in r.text
    r = client.post("/childcare/official/register", data=_registration_form(staff="王芳，校长"))
    assert r.status_code == 422 and "staff[0].role" in r.text
    other = bearer_for(migrated_db_url, "county_official", "370304")
    r = client.post("/childcare/official/register", data=_registration_form(), headers=other)
    assert r.status_code == 422 and "register-error" in r.text
    assert _count(migrated_db_url, Facility) == 0
