"""The 妇幼 pages over the `make run` demo database: Chinese by default, English with `?lang=en` carrying no
Chinese but data (the same check as tests/web/test_english_pages.py); a refused form shows each problem beside
its field and keeps what was typed; a red grade entered on the page opens the case and its follow-up form; a
citizen books her offered check."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from tests.web.test_english_pages import (  # noqa: F401  (the demo database and its data values, as fixtures)
    _demo_mother,
    _signed_in,
    data_values,
    demo,
    leaks,
)

from cradle.db import session_scope
from cradle.health.access import mask_name
from cradle.health.models import DeathReport, Offer, Pregnancy, RiskCase
from cradle.idcard import make_id_number

WORKER = [
    "/health",
    "/health/pregnancies",
    "/health/pregnancies/new",
    "/health/pregnancies/{pregnancy}",
    "/health/cases",
    "/health/cases/{case}",
    "/health/children",
    "/health/women",
    "/health/deaths",
    "/health/deaths/{death}",
    "/health/offers",
]
COUNTY = [
    "/health",
    "/health/pregnancies",
    "/health/cases?overdue=1",
    "/health/deaths",
    "/health/deaths/{death}",
    "/health/interviews?year=2024",
    "/health/guidance",
    "/health/children",
    "/health/women",
]


def _ids(url: str) -> dict[str, str]:
    with session_scope(url) as s:
        case = s.scalar(
            select(RiskCase).where(RiskCase.institution_code == "H37030302").order_by(RiskCase.id)
        )
        if case is None:  # a case the demo doctor's hospital manages
            case = s.scalar(select(RiskCase).order_by(RiskCase.id))
        held = s.scalar(select(Pregnancy.pregnancy_no).where(Pregnancy.pregnancy_no == case.pregnancy_no))
        death = s.scalar(
            select(DeathReport.id).where(DeathReport.kind == "maternal").order_by(DeathReport.id)
        )
        return {"case": str(case.id), "pregnancy": held, "death": str(death)}


def _login(app, username: str):
    client = _signed_in(app, None, username)
    token = client.get("/api/v1/auth/me").json()["csrf_token"]
    return client, token


def test_worker_and_county_pages_in_chinese_and_in_english(demo, data_values):  # noqa: F811
    url, app = demo
    # officials' lists show names masked (王**): data too
    shown = sorted({*data_values, *(mask_name(v) for v in data_values if len(v) <= 4)}, key=len, reverse=True)
    ids = _ids(url)
    doctor, _ = _login(app, "demo-fuyou")
    county, _ = _login(app, "demo-county")
    found = {}
    for client, paths in ((doctor, WORKER), (county, COUNTY)):
        for path in paths:
            path = path.format(**ids)
            zh = client.get(path, params={"lang": "zh"})  # the language is remembered in a cookie
            assert zh.status_code == 200, (path, zh.status_code, zh.text[:300])
            assert '<html lang="zh-CN"' in zh.text and "妇幼健康" in zh.text
            en = client.get(path, params={"lang": "en"})
            assert en.status_code == 200 and '<html lang="en"' in en.text, path
            if left := leaks(en.text, shown):
                found[path] = left
    assert found == {}
    # the county sees the demo's reviewed maternal death's hospital on the 约谈 list and masked names only
    listed = county.get("/health/interviews", params={"year": ids_year(url), "lang": "zh"}).text
    assert "张店区人民医院" in listed and "孕产妇死亡" in listed
    rows = county.get("/health/pregnancies", params={"lang": "zh"}).text
    assert re.search(r"<td>\S\*+ <small>\d{6}\*{10}\w{2}</small></td>", rows)


def ids_year(url: str) -> int:
    with session_scope(url) as s:
        return s.scalar(select(DeathReport.died_on).where(DeathReport.review_status == "reviewed")).year


def test_a_refused_form_names_each_field_beside_it_and_keeps_what_was_typed(demo):  # noqa: F811
    url, app = demo
    doctor, token = _login(app, "demo-fuyou")
    bad = {
        "csrf_token": token,
        "pregnancy_no": "NEW-1",
        "id_number": "370303199001011234",
        "name": "测试",
        "filed_on": "2025-02-30",
    }
    for lang, weeks_error in (("zh", "必填"), ("en", "Required")):
        page = doctor.post("/health/pregnancies", data=bad, params={"lang": lang}, follow_redirects=False)
        assert page.status_code == 422
        for field in ("id_number", "filed_on", "weeks"):
            assert re.search(
                rf'id="f-{field}"[^>]*aria-invalid="true"[^>]*aria-describedby="e-{field}"', page.text
            )
        assert re.search(rf'<p class="field-error" id="e-weeks">{weeks_error}', page.text)
        assert 'value="NEW-1"' in page.text  # what was typed stays
    with session_scope(url) as s:
        assert s.scalar(select(Pregnancy.id).where(Pregnancy.pregnancy_no == "NEW-1")) is None


def test_a_red_grade_entered_on_the_page_opens_its_case(demo):  # noqa: F811
    url, app = demo
    doctor, token = _login(app, "demo-fuyou")
    woman = make_id_number("370303", dt.date(1995, 9, 9), 88, "F")
    today = dt.date.today()
    r = doctor.post(
        "/health/pregnancies",
        data={
            "csrf_token": token,
            "pregnancy_no": "PAGE-1",
            "id_number": woman,
            "name": "页面测试",
            "filed_on": (today - dt.timedelta(days=20)).isoformat(),
            "weeks": "10",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/health/pregnancies/PAGE-1"
    bad = doctor.post(
        "/health/pregnancies/PAGE-1/assessments",
        data={"csrf_token": token, "grade": "black", "assessed_on": today.isoformat()},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and 'id="e-assessments-grade"' in bad.text and "五色分级" in bad.text
    r = doctor.post(
        "/health/pregnancies/PAGE-1/assessments",
        data={
            "csrf_token": token,
            "grade": "red",
            "assessed_on": (today - dt.timedelta(days=10)).isoformat(),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = doctor.get("/health/pregnancies/PAGE-1").text
    case_id = re.search(r'id="case-link" href="/health/cases/(\d+)"', page).group(1)
    case = doctor.get(f"/health/cases/{case_id}").text
    assert "红色（高风险）" in case and 'action="/health/cases/' + case_id + '/followups"' in case
    assert "已逾期3天" in case  # due a week after the assessment, ten days ago
    warned = doctor.get("/health").text
    assert f"/health/cases/{case_id}" in warned and "随访已逾期3天" in warned


def test_a_citizen_books_her_offered_check(demo):  # noqa: F811
    url, app = demo
    mother = _demo_mother(url)
    with session_scope(url) as s:
        offer = Offer(
            marriage_ref=0,
            id_number=mother,
            name="刘芳",
            sex="F",
            birth_date=dt.date(1993, 4, 2),
            spouse_name="王强",
            region="370303",
            married_on=dt.date.today(),
            kind="premarital",
            status="offered",
            offered_on=dt.date.today(),
            institution_code="H37030301",
        )
        s.add(offer)
        s.flush()
        offer_id = offer.id
    citizen = _signed_in(app, url, mother)
    token = citizen.get("/api/v1/auth/me").json()["csrf_token"]
    page = citizen.get("/health/my")
    assert page.status_code == 200 and "婚前医学检查" in page.text and "张店区妇幼保健院" in page.text
    day = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    r = citizen.post(
        f"/health/my/{offer_id}/book",
        data={"csrf_token": token, "appointment_on": day, "institution_code": "H37030301"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with session_scope(url) as s:
        booked = s.get(Offer, offer_id)
        assert (booked.status, booked.appointment_on.isoformat()) == ("booked", day)
    assert citizen.get("/health", follow_redirects=False).headers["location"] == "/health/my"
