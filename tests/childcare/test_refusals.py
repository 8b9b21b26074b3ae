"""Childcare refusals are `cradle.errors` errors: the API answers them in the request's language (Chinese by
default, the same text as before), a form shows them beside itself in the reader's language, and labels the
domain stores as codes are shown in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from cradle.auth.testing import bearer_for
from cradle.childcare import vocab
from cradle.db import session_scope
from cradle.web.app import create_app
from cradle.web.i18n import translations

from .helpers import child_id, facility_data, filed_facility


@pytest.fixture
def client(cc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    with TestClient(create_app(["cradle.childcare.api", "cradle.childcare.pages"])) as c:
        c.headers.update(bearer_for(cc_url, "administrator", "cn"))
        yield c


def _error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    (error,) = r.json()["errors"]
    return error


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "托育机构 99 不存在"), ("en", "Childcare institution 99 does not exist")],
)
def test_a_missing_facility_in_both_languages(client, lang, message):
    error = _error(client.get("/api/v1/childcare/facilities/99", params={"lang": lang}), 404)
    assert error == {"field": None, "code": "not_found", "message": message}


def test_refusals_name_the_field_and_keep_their_codes(client, cc_url):
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1).id
    url = f"/api/v1/childcare/facilities/{fid}/enrolments"
    infant = {
        "child_id_number": child_id(1, dt.date(2024, 9, 1)),
        "child_name": "小明",
        "start_on": "2025-01-01",
    }
    error = _error(client.post(url, json={**infant, "age_group": "older"}), 422)
    assert error == {"field": "age_group", "code": "invalid", "message": "月龄4个月不适合托大班"}
    # an unknown field is refused by the domain's check, as for a row of an imported list
    error = _error(client.post(url, json={**infant, "nickname": "x"}), 422)
    assert error == {"field": "nickname", "code": "invalid", "message": "未知字段"}
    error = _error(client.get("/api/v1/childcare/facilities", params={"on": "2025-13-01"}), 422)
    assert error == {"field": "on", "code": "date", "message": "日期格式应为 YYYY-MM-DD"}
    error = _error(client.get("/api/v1/childcare/facilities", headers={"X-Region-Scope": "999999"}), 422)
    assert error == {
        "field": "X-Region-Scope",
        "code": "unknown_region",
        "message": "未知的行政区划代码 999999",
    }


def test_an_illegal_move_names_the_allowed_ones(client):
    fid = client.post("/api/v1/childcare/facilities", json=facility_data(1)).json()["id"]
    filing_id = client.post(f"/api/v1/childcare/facilities/{fid}/filings", json={}).json()["id"]
    url = f"/api/v1/childcare/filings/{filing_id}/transitions"
    error = _error(client.post(url, json={"action": "accept"}), 409)
    assert error == {
        "field": "action",
        "code": "illegal_transition",
        "message": "备案: 状态 submitted 不允许操作 accept（可执行：complete、return）",
    }
    error = _error(client.post(url, json={"action": "accept"}, params={"lang": "en"}), 409)
    assert error["message"] == "Filing: state submitted does not allow accept (allowed: complete、return)"


def test_a_form_shows_the_refusal_beside_it_in_the_readers_language(client, cc_url):
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1).id
    form = {"child_id_number": "123", "child_name": "x", "start_on": "2025-01-01"}
    r = client.post(
        f"/childcare/operator/{fid}/enrol", data=form, params={"lang": "en"}, follow_redirects=True
    )
    assert r.status_code == 200
    assert "child_id_number: The ID number should have 18 characters" in r.text
    r = client.post(
        f"/childcare/operator/{fid}/enrol", data=form, params={"lang": "zh"}, follow_redirects=True
    )
    assert "child_id_number：身份证号码应为18位" in r.text


def test_pages_show_stored_codes_in_the_page_language(client, cc_url):
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1).id
    english = client.get(f"/childcare/operator/{fid}", params={"lang": "en"}).text
    assert "Infant class" in english and "Filed" in english and "乳儿班" not in english
    chinese = client.get(f"/childcare/operator/{fid}", params={"lang": "zh"}).text
    assert "乳儿班" in chinese and "已备案" in chinese
    public = client.get(f"/childcare/facilities/{fid}", params={"lang": "en"}).text
    assert "Inclusive private childcare institution" in public and "Not assessed" in public


def test_a_facility_out_of_scope_is_answered_404_on_pages(client, cc_url):
    with session_scope(cc_url) as s:
        other = filed_facility(s, 2, region="370302").id
    county = bearer_for(cc_url, "county_official", "370303")
    r = client.get(f"/childcare/operator/{other}", headers=county)
    assert r.status_code == 404 and "区划 370302 不在当前用户的管辖范围 370303 内" in r.text


def test_every_label_has_its_chinese_in_the_catalogue():
    zh = translations("zh")
    labels = [label for table in vocab.LABELS.values() for label in table.values()]
    labels += [vocab.NOT_FILED, vocab.NOT_ASSESSED]
    assert [label for label in labels if zh.gettext(label) == label] == []
    assert vocab.chinese(vocab.FILING_STATUS["accepted"]) == "已备案"
    assert vocab.chinese(vocab.AGE_GROUPS["toddler"]["label"]) == "托小班"
