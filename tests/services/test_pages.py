"""The services and payments pages, end to end through the real app (TestClient): a 张店区 birth from 生育登记
through 出生一件事 to a paid 保育费补助, reviewed by the town and the county, paid by the county's batch; and the
refusals: not signed in, wrong role, another town, a missing reason, a bad field, a stale form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cradle.web.app import create_app

from .pages_helpers import (
    BORN,
    COUNTY,
    MOTHER,
    OTHER_TOWN,
    TOWN,
    apply_form,
    bundle_form,
    citizen_account,
    field_error,
    official,
    registration_form,
    return_file,
    sign_in,
)


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def client() -> TestClient:
    return TestClient(create_app(), base_url="https://testserver")


def _post(c, path, csrf, data, **kw):
    return c.post(path, data={**data, "csrf_token": csrf}, follow_redirects=False, **kw)


def _submitted_case(url) -> tuple[TestClient, str, str]:
    citizen_account(url)
    c = client()
    csrf = sign_in(c, MOTHER)
    r = _post(c, "/services/registration", csrf, registration_form())
    assert r.status_code == 303, r.text
    reg_no = r.headers["location"].rsplit("/", 1)[1]
    r = _post(c, "/services/bundle", csrf, bundle_form(reg_no))
    assert r.status_code == 303, r.text
    r = _post(c, "/services/apply", csrf, apply_form())
    assert r.status_code == 303, r.text
    case_no = r.headers["location"].split("/")[2].split("?")[0]
    return c, csrf, case_no


def test_birth_to_paid_allowance_through_the_pages(url):
    citizen_account(url)
    me = client()
    assert me.get("/services", follow_redirects=False).headers["location"].startswith("/auth/login")
    csrf = sign_in(me, MOTHER)

    page = me.get("/services/registration").text
    assert MOTHER in page  # her own ID number, pre-filled
    r = _post(me, "/services/registration", csrf, registration_form())
    assert r.status_code == 303
    receipt = me.get(r.headers["location"]).text
    reg_no = re.search(r'id="reg-no">([^<]+)<', receipt).group(1)
    pdf = re.search(r'href="(/services/documents/[^"]+\.pdf)"', receipt).group(1)
    got = me.get(pdf)
    assert got.headers["content-type"] == "application/pdf" and got.content.startswith(b"%PDF")

    form = me.get("/services/bundle").text
    assert reg_no in form  # linked to the registration
    r = _post(me, "/services/bundle", csrf, bundle_form(reg_no))
    assert r.status_code == 303
    timeline = me.get(r.headers["location"]).text
    for title in ("出生医学证明", "户口登记", "医保参保", "社保卡申领", "生育保险报销"):
        assert title in timeline

    prefilled = me.get("/services/apply").text
    assert 'id="prefill-source"' in prefilled and "张小二" in prefilled
    checked = _post(me, "/services/apply", csrf, apply_form(intent="check")).text
    assert 'data-eligible="yes"' in checked and "已备案的托育服务机构入托" in checked
    r = _post(me, "/services/apply", csrf, apply_form())
    assert r.status_code == 303
    case_page = me.get(r.headers["location"]).text
    case_no = r.headers["location"].split("/")[2].split("?")[0]
    assert 'data-status="submitted"' in case_page and "每人每月300元" in case_page

    town = client()
    tcsrf = sign_in(town, official(url, "town_official", TOWN))
    assert case_no in town.get("/staff").text
    for action in ("town_accept", "town_pass"):
        version = re.search(r'name="version" value="(\d+)"', town.get(f"/staff/cases/{case_no}").text).group(
            1
        )
        r = _post(town, f"/staff/cases/{case_no}/act", tcsrf, {"action": action, "version": version})
        assert r.status_code == 303, r.text
    county = client()
    ccsrf = sign_in(county, official(url, "county_official", COUNTY))
    assert case_no in county.get("/staff").text
    version = re.search(r'name="version" value="(\d+)"', county.get(f"/staff/cases/{case_no}").text).group(1)
    r = _post(county, f"/staff/cases/{case_no}/act", ccsrf, {"action": "county_approve", "version": version})
    assert r.status_code == 303 and r.headers["location"].endswith(":approved")

    clerk = client()
    dcsrf = sign_in(clerk, official(url, "dept_clerk", COUNTY, department="weijian"))
    tasks = clerk.get("/staff").text
    task_id = re.search(r'data-task="(\d+)" data-kind="birth_certificate"', tasks).group(1)
    for action in ("start", "complete"):
        assert _post(clerk, f"/staff/tasks/{task_id}/act", dcsrf, {"action": action}).status_code == 303
    assert (
        'data-kind="birth_certificate"><td>出生医学证明</td><td><span class="svc-status" data-status="done"'
        in me.get(f"/services/bundles/{bundle_no(me)}").text
    )

    period = f"{BORN:%Y-%m}"
    r = _post(county, "/payments/batches", ccsrf, {"program": "zibo.nursery_fee_subsidy", "period": period})
    assert r.status_code == 303, r.text
    batch_no = r.headers["location"].rsplit("/", 1)[1]
    assert batch_no == f"zibo.nursery_fee_subsidy-{COUNTY}-{period}"
    exported = _post(county, f"/payments/batches/{batch_no}/export", ccsrf, {"encoding": "utf-8-sig"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert MOTHER not in exported.content.decode("utf-8-sig")  # no ID numbers in the bank file
    r = county.post(
        f"/payments/batches/{batch_no}/return",
        files={"file": ("r.csv", return_file(exported.content))},
        headers={"X-CSRF-Token": ccsrf, "HX-Request": "true"},
    )
    assert r.status_code == 204 and r.headers["HX-Redirect"].endswith("?imported=1")
    assert 'id="batch-status" data-status="reconciled"' in county.get(f"/payments/batches/{batch_no}").text

    paid = me.get("/services/payments").text
    assert f'data-period="{period}" data-status="paid"' in paid
    assert 'data-status="paid"' in me.get(f"/applications/{case_no}").text
    assert "已批准" in me.get("/services/messages").text


def bundle_no(c) -> str:
    return re.search(r'href="/services/bundles/([^"]+)"', c.get("/services").text).group(1)


def test_errors_are_shown_beside_their_fields_and_nothing_is_stored(url):
    citizen_account(url)
    me = client()
    csrf = sign_in(me, MOTHER)
    r = _post(me, "/services/registration", csrf, {**registration_form(), "expected_birth": "2001-01-01"})
    assert r.status_code == 422 and field_error(r.text, "expected_birth").startswith("不能早于")
    assert 'value="刘芳"' in r.text  # what was typed stays
    r = _post(me, "/services/bundle", csrf, {**bundle_form(""), "phone": "123"})
    assert r.status_code == 422 and field_error(r.text, "phone") == "手机号码应为11位数字"
    r = _post(me, "/services/apply", csrf, apply_form(c2_id_number="370303202501010000"))
    assert r.status_code == 422 and field_error(r.text, "c2_id_number")
    r = _post(me, "/services/apply", csrf, apply_form(c2_nursery=""))  # the engine says no, and why
    assert r.status_code == 422 and "在符合条件（已备案）的托育服务机构入托" in field_error(r.text, "program")
    r = _post(me, "/services/apply", csrf, apply_form(town=OTHER_TOWN[:6] + "99"))
    assert r.status_code == 422 and field_error(r.text, "town")
    # no reference number (SQ/SY, the date, 12 hex digits) was given: a CSRF token may hold the letters
    assert not re.search(r"SQ\d{8}[0-9A-F]{12}", me.get("/applications").text)
    assert not re.search(r"SY\d{8}[0-9A-F]{12}", me.get("/services").text.split("do-bundle")[0])


def test_refusals_of_the_review_pages(url):
    me, csrf, case_no = _submitted_case(url)
    anon = client()
    assert anon.get("/staff", follow_redirects=False).headers["location"] == "/auth/login?next=/staff"
    assert me.get("/staff").status_code == 403  # a citizen has no workbench
    other = client()
    ocsrf = sign_in(other, official(url, "town_official", OTHER_TOWN))
    assert case_no not in other.get("/staff").text
    assert other.get(f"/staff/cases/{case_no}").status_code == 404
    assert _post(other, f"/staff/cases/{case_no}/act", ocsrf, {"action": "town_accept"}).status_code == 404

    town = client()
    tcsrf = sign_in(town, official(url, "town_official", TOWN))
    r = _post(town, f"/staff/cases/{case_no}/act", tcsrf, {"action": "town_return", "version": "1"})
    assert r.status_code == 422 and field_error(r.text, "reason_town_return") == "“town_return”须说明理由"
    r = _post(town, f"/staff/cases/{case_no}/act", tcsrf, {"action": "county_approve", "version": "1"})
    assert r.status_code == 409  # not the town's step, and not in this state
    r = _post(town, f"/staff/cases/{case_no}/act", tcsrf, {"action": "town_accept", "version": "7"})
    assert r.status_code == 409 and "当前版本 1" in r.text  # a stale form
    r = town.post(
        f"/staff/cases/{case_no}/act", data={"action": "town_accept", "version": "1"}, follow_redirects=False
    )  # no CSRF token: the session gives no authority
    assert r.status_code == 403
    r = _post(
        town,
        f"/staff/cases/{case_no}/act",
        tcsrf,
        {"action": "town_return", "version": "1", "reason_town_return": "请补充入托证明"},
    )
    assert r.status_code == 303 and r.headers["location"].endswith(":returned")
    page = me.get(f"/applications/{case_no}").text
    assert "请补充入托证明" in page and 'value="resubmit"' in page
    r = _post(me, f"/applications/{case_no}/act", csrf, {"action": "withdraw", "version": "2"})
    assert r.status_code == 303
    assert 'data-status="withdrawn"' in me.get(f"/applications/{case_no}").text


def test_payments_pages_are_for_the_county_and_refuse_bad_input(url):
    _me, _csrf, _case = _submitted_case(url)
    town = client()
    sign_in(town, official(url, "town_official", TOWN))
    assert town.get("/payments").status_code == 403
    county = client()
    ccsrf = sign_in(county, official(url, "county_official", COUNTY))
    r = _post(
        county, "/payments/batches", ccsrf, {"program": "zibo.nursery_fee_subsidy", "period": "2025-13"}
    )
    assert r.status_code == 422 and field_error(r.text, "period") == "月度期间应为 YYYY-MM"
    r = _post(
        county,
        "/payments/rates",
        ccsrf,
        {
            "rate_program": "baiyin.childcare_allowance",
            "rate_start": "2025-01-01",
            "rate_amount": "200",
            "rate_decision": "x",
        },
    )
    assert r.status_code == 422 and "不适用于 370303" in field_error(
        r.text, "rate_program"
    )  # 白银's, not 张店区's
    r = _post(
        county, "/payments/batches", ccsrf, {"program": "zibo.nursery_fee_subsidy", "period": f"{BORN:%Y-%m}"}
    )
    batch_no = r.headers["location"].rsplit("/", 1)[1]
    r = _post(county, f"/payments/batches/{batch_no}/export", ccsrf, {"encoding": "utf-8-sig"})
    assert r.status_code == 422 and "没有待发放" in r.text  # nothing approved yet
    other = client()
    sign_in(other, official(url, "county_official", "370302"))
    assert other.get(f"/payments/batches/{batch_no}").status_code == 403
