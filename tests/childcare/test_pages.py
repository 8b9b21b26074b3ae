import datetime as dt

import pytest
from fastapi.testclient import TestClient

from cradle.db import session_scope
from cradle.web.app import create_app

from .helpers import child_id, facility_data, filed_facility


@pytest.fixture
def client(cc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    from cradle.auth.testing import bearer_for

    with TestClient(create_app(["cradle.childcare.api", "cradle.childcare.pages"])) as c:
        c.headers.update(bearer_for(cc_url, "administrator", "cn"))
        yield c


def test_public_operator_and_official_pages(client, cc_url):
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1, lat=36.8, lon=118.05).id
    page = client.get("/childcare", headers={"accept": "text/html"})
    assert page.status_code == 200 and "测试托育园1" in page.text and "<svg" in page.text
    assert "张店区" in page.text
    assert "测试托育园1" in client.get(f"/childcare/facilities/{fid}").text
    # operator enrols a child through the form; the roster shows the masked ID number
    number = child_id(1, dt.date(2024, 1, 5))
    r = client.post(
        f"/childcare/operator/{fid}/enrol",
        data={"child_id_number": number, "child_name": "小红", "start_on": dt.date.today().isoformat()},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "小红" in r.text and number not in r.text
    # a bad ID comes back as a named error, nothing stored
    r = client.post(
        f"/childcare/operator/{fid}/enrol",
        data={"child_id_number": "123", "child_name": "x", "start_on": "2025-01-01"},
        follow_redirects=True,
    )
    assert "child_id_number" in r.text and "身份证号码应为18位" in r.text
    official = client.get("/childcare/official", params={"region": "370300"})
    assert official.status_code == 200 and "淄博市" in official.text and "淄博市优化生育政策" in official.text


def test_review_page_flow(client, cc_url):
    r = client.post("/api/v1/childcare/facilities", json=facility_data(2))
    fid = r.json()["id"]
    client.post(f"/childcare/operator/{fid}/filing")
    filing_id = client.get("/api/v1/childcare/filings").json()["filings"][0]["id"]
    page = client.get(f"/childcare/official/filings/{filing_id}")
    assert "托育机构设置标准审核项目" in page.text
    r = client.post(
        f"/childcare/official/filings/{filing_id}", data={"action": "accept"}, follow_redirects=True
    )
    assert "不允许" in r.text  # submitted → accept is not a transition
    client.post(f"/childcare/official/filings/{filing_id}", data={"action": "complete"})
    from cradle.childcare.standards import CHECKLIST

    form = {f"check_{k}": "pass" for k, v in CHECKLIST.items() if not v["auto"]}
    r = client.post(
        f"/childcare/official/filings/{filing_id}", data={**form, "action": "accept"}, follow_redirects=True
    )
    assert "已备案" in r.text
