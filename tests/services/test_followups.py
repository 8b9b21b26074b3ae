"""Reminders, notifications, appeals and certificates."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cradle.errors import Conflict, Forbidden, Invalid, NotFound
from cradle.payments import bankfile, batches, rates
from cradle.services import (
    appeals,
    applications,
    bundle,
    certificates,
    notifications,
    registration,
    reminders,
)
from cradle.services.models import IssuedDocument, Notification

from .helpers import COUNTY, MOTHER, application, county, finance, mother, other_town, town
from .test_bundle import data as bundle_data


def approved_case(s):
    rates.set_rate(
        s, county, "baiyin.childcare_allowance", COUNTY, dt.date(2024, 1, 1), 200, "白区政发〔2024〕1号"
    )
    case = applications.submit(s, mother, application())
    for actor, action in ((town, "town_accept"), (town, "town_pass"), (county, "county_approve")):
        applications.act(s, actor, case.case_no, action)
    return case


def test_deadlines_and_daily_job_send_once(session):
    bundle.apply(session, mother, bundle_data())
    case = approved_case(session)
    found = reminders.deadlines(session, MOTHER)
    kinds = [d["kind"] for d in found]
    assert "task.medical_insurance" in kinds and "subsidy_end" in kinds
    assert any(d["due"] == dt.date(2028, 3, 10) and d["subject"] == f"case:{case.case_no}" for d in found)
    near = next(d for d in found if d["kind"] == "task.medical_insurance")["due"]
    first = reminders.run_daily(session, near - dt.timedelta(days=5))
    again = reminders.run_daily(session, near - dt.timedelta(days=4))
    assert first["sent"] >= 1 and again["sent"] == 0


def test_engine_deadline_for_luhe_household(session):
    hh = {
        "jurisdiction": "441523",
        "members": [
            {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1993-04-02"},
            {
                "id": "c",
                "relation": "child",
                "sex": "M",
                "birth_date": dt.date.today().isoformat(),
                "birth_order": 1,
            },
        ],
        "events": [{"type": "birth", "child": "c", "date": dt.date.today().isoformat()}],
    }
    got = reminders._engine_deadlines(hh, dt.date.today())
    assert {e["program"] for e in got} >= {"luhe.newborn_insurance_window"}


def test_outbox_and_pluggable_sender(session, tmp_path):
    registration.register(
        session,
        mother,
        {
            "mother_id_number": MOTHER,
            "mother_name": "李梅",
            "hukou_region": COUNTY,
            "residence_region": COUNTY,
            "expected_birth": (dt.date.today() + dt.timedelta(days=100)).isoformat(),
            "child_order": 1,
            "phone": "13800000001",
        },
    )
    sink = notifications.FileSink(tmp_path / "sms.jsonl")
    assert notifications.dispatch(session, sink) == {"sent": 1, "failed": 0}
    line = json.loads((tmp_path / "sms.jsonl").read_text().splitlines()[0])
    assert line["phone"] == "13800000001" and "登记号" in line["text"]
    assert notifications.dispatch(session, sink) == {"sent": 0, "failed": 0}

    class Broken:
        def send(self, phone, text):
            raise RuntimeError("gateway down")

    notifications.notify(session, MOTHER, "x", "s", "t", "13800000001")
    assert notifications.dispatch(session, Broken()) == {"sent": 0, "failed": 1}
    row = session.query(Notification).filter_by(kind="x", channel="sms").one()
    assert row.status == "failed" and "gateway down" in row.error
    assert notifications.dispatch(session, sink)["sent"] == 1  # retried
    inbox = notifications.inbox(session, MOTHER)
    notifications.mark_read(session, MOTHER, inbox[0].id)
    assert inbox[0].status == "read"


def test_appeal_against_rejection_reopens(session):
    case = applications.submit(session, mother, application())
    applications.act(session, town, case.case_no, "town_accept")
    applications.act(session, town, case.case_no, "town_reject", reason="户籍不符")
    with pytest.raises(Invalid):
        appeals.file(session, mother, case.case_no, "other", "x")
    appeal = appeals.file(session, mother, case.case_no, "rejection", "户籍已于2025年迁入白银区")
    assert appeal.level == "town" and appeal.due == dt.date.today() + dt.timedelta(days=15)
    with pytest.raises(Conflict):
        appeals.file(session, mother, case.case_no, "rejection", "again")
    assert [a.appeal_no for a in appeals.queue(session, town)] == [appeal.appeal_no]
    with pytest.raises(Forbidden):
        appeals.decide(session, county, appeal.appeal_no, True, "x")
    with pytest.raises(Forbidden):
        appeals.decide(session, other_town, appeal.appeal_no, True, "x")
    appeals.decide(session, town, appeal.appeal_no, True, "核实户籍已迁入")
    assert appeal.status == "upheld" and case.status == "town_review"
    with pytest.raises(Conflict):
        appeals.decide(session, town, appeal.appeal_no, False, "again")


def test_appeal_missing_payment(session, tmp_path):
    case = approved_case(session)
    with pytest.raises(Invalid):
        appeals.file(session, mother, case.case_no, "missing_payment", "没收到")
    batch = batches.generate(session, finance, "baiyin.childcare_allowance", "2025-07", COUNTY)
    bankfile.export(session, finance, batch.batch_no, tmp_path / "b.csv")
    appeal = appeals.file(session, mother, case.case_no, "missing_payment", "7月没收到", period="2025-07")
    assert appeal.level == "county"
    appeals.decide(session, county, appeal.appeal_no, False, "银行已于7月15日入账，请核对一卡通")
    assert appeal.status == "dismissed" and case.status == "approved"
    with pytest.raises(Conflict):
        appeals.file(session, mother, case.case_no, "rejection", "x")


def test_certificates_verify_against_database(session):
    reg = registration.register(
        session,
        mother,
        {
            "mother_id_number": MOTHER,
            "mother_name": "李梅",
            "hukou_region": COUNTY,
            "residence_region": COUNTY,
            "expected_birth": (dt.date.today() + dt.timedelta(days=100)).isoformat(),
            "child_order": 2,
        },
    )
    doc = certificates.issue_registration(session, mother, reg.reg_no)
    pdf = certificates.pdf(doc)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    assert "<svg" in certificates.html(doc) and doc.signature in certificates.verify_url(doc)
    ok = certificates.verify(session, doc.doc_no, doc.signature)
    assert ok["genuine"] and ok["valid"] and ok["payload"]["reg_no"] == reg.reg_no
    assert not certificates.verify(session, doc.doc_no, "0" * 64)["genuine"]
    assert certificates.sign(doc.doc_no, doc.payload, key="another-key") != doc.signature
    registration.cancel(session, mother, reg.reg_no, "登记有误")
    now = certificates.verify(session, doc.doc_no, doc.signature)
    assert now["genuine"] and not now["valid"] and now["current_status"] == "cancelled"
    with pytest.raises(NotFound):
        certificates.verify(session, "ZS-nope", "x")


def test_decision_document(session):
    rates.set_rate(
        session, county, "baiyin.childcare_allowance", COUNTY, dt.date(2024, 1, 1), 200, "白区政发〔2024〕1号"
    )
    case = applications.submit(session, mother, application())
    with pytest.raises(Conflict):  # nothing decided yet
        certificates.issue_decision(session, mother, case.case_no)
    for actor, action in ((town, "town_accept"), (town, "town_pass"), (county, "county_approve")):
        applications.act(session, actor, case.case_no, action)
    doc = certificates.issue_decision(session, county, case.case_no)
    assert doc.payload["decision"] == "approved" and doc.payload["amount"] == "200.00"
    assert certificates.verify(session, doc.doc_no, doc.signature)["valid"]
    applications.act(session, mother, case.case_no, "decline")
    assert not certificates.verify(session, doc.doc_no, doc.signature)["valid"]


def test_a_decision_from_a_draft_for_comment_says_so_on_the_document():
    draft = IssuedDocument(
        doc_no="JD-draft",
        kind="decision",
        subject="case:x",
        payload={"title": "审核决定书", "draft": True},
        signature="s",
    )
    plain = IssuedDocument(
        doc_no="JD-plain", kind="decision", subject="case:y", payload={"title": "审核决定书"}, signature="s"
    )
    assert "【征求意见稿】" in certificates.html(draft) and "征求意见稿" not in certificates.html(plain)
    assert certificates.pdf(draft).startswith(b"%PDF")
