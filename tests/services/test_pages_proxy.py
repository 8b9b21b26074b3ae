"""亲情代办 through the pages: her sister is refused until the mother records her consent, then files the
mother's application (both named on the case and in the audit), and is refused again once consent is revoked;
every bad consent form is refused naming its field, with nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest

from cradle.audit import AuditEntry
from cradle.db import session_scope
from cradle.idcard import make_id_number, mask
from cradle.services.models import Attachment, Case, Consent

from .page_client import Signed
from .pages_helpers import COUNTY, MOTHER, apply_form, citizen_account, field_error

SISTER = make_id_number(COUNTY, dt.date(1985, 3, 9), 31, "F")
NEIGHBOUR = make_id_number(COUNTY, dt.date(1988, 6, 1), 32, "F")
NEXT_YEAR = (dt.date.today() + dt.timedelta(days=365)).isoformat()


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def consent(**over) -> dict:
    data = {
        "proxy_name": "刘静",
        "proxy_id_number": SISTER,
        "relation": "sibling",
        "scope": ["application", "appeal"],
        "valid_until": NEXT_YEAR,
        "evidence": "本人到镇便民服务中心签字",
    }
    data.update(over)
    return data


def _count(url, model) -> int:
    with session_scope(url) as s:
        return s.query(model).count()


def test_proxy_files_with_consent_and_is_refused_without(url):
    citizen_account(url, MOTHER)
    citizen_account(url, SISTER, "刘静")
    me, sister = Signed(MOTHER), Signed(SISTER)

    refused = sister.get(f"/services/apply?for_id={MOTHER}")
    assert refused.status_code == 403 and "授权" in refused.text
    r = sister.post("/services/apply", apply_form(for_id_number=MOTHER))
    assert r.status_code == 403 and "没有当事人的有效授权" in r.text and _count(url, Case) == 0

    for bad, field in (
        (consent(relation="friend"), "relation"),
        (consent(scope=[]), "scope"),
        (consent(scope=["everything"]), "scope"),
        (consent(proxy_id_number=MOTHER), "proxy_id_number"),
        (consent(proxy_id_number="370303198503093"), "proxy_id_number"),
        (consent(valid_until="2020-01-01"), "valid_until"),
        (consent(evidence=""), "evidence"),
    ):
        r = me.post("/services/consents", bad)
        assert r.status_code == 422 and field_error(r.text, field), (field, r.text[-400:])
    assert _count(url, Consent) == 0

    # Consent to registration only does not let her apply for benefits.
    assert me.post("/services/consents", consent(scope=["registration"])).status_code == 303
    assert sister.get(f"/services/apply?for_id={MOTHER}").status_code == 403
    r = me.post("/services/consents", consent())
    assert r.status_code == 303
    consent_id = int(r.headers["location"].rsplit(":", 1)[1])

    held = sister.get("/services/consents").text
    assert f'href="/services/apply?for_id={MOTHER}"' in held and mask(MOTHER) in held
    form = sister.get(f"/services/apply?for_id={MOTHER}")
    assert form.status_code == 200 and 'id="proxy-notice"' in form.text and f'value="{MOTHER}"' in form.text
    r = sister.post("/services/apply", apply_form(for_id_number=MOTHER))
    assert r.status_code == 303, r.text
    case_no = r.headers["location"].split("/")[2].split("?")[0]
    with session_scope(url) as s:
        case = s.query(Case).filter_by(case_no=case_no).one()
        assert case.applicant_id_number == MOTHER and mask(SISTER) in case.filed_by
        entry = s.query(AuditEntry).filter_by(action="case.submit", subject=f"case:{case_no}").one()
        assert mask(SISTER) in entry.actor and mask(MOTHER) in entry.on_behalf_of
    page = me.get(f"/applications/{case_no}").text  # the mother sees who filed it, by name
    proxy = page[page.index('id="case-proxy"') :].split("</p>")[0]
    assert "刘静" in proxy and "citizen:" not in proxy
    assert sister.get(f"/applications/{case_no}").status_code == 200
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert (
        sister.upload(f"/applications/{case_no}/attachments", "证明.pdf", pdf, "application/pdf").status_code
        == 303
    )
    with session_scope(url) as s:
        att_id = s.query(Attachment).one().id
    assert sister.get(f"/services/cases/{case_no}/attachments/{att_id}").content == pdf
    with session_scope(url) as s:
        for action in ("case.attach", "case.attachment_read"):
            entry = s.query(AuditEntry).filter_by(action=action, subject=f"case:{case_no}").one()
            assert mask(SISTER) in entry.actor and mask(MOTHER) in entry.on_behalf_of, action

    citizen_account(url, NEIGHBOUR, "赵敏")
    neighbour = Signed(NEIGHBOUR)
    assert neighbour.post(f"/services/consents/{consent_id}/revoke").status_code == 404  # not hers to revoke
    assert neighbour.get(f"/services/apply?for_id={MOTHER}").status_code == 403
    assert (
        sister.post(f"/services/consents/{consent_id}/revoke").status_code == 404
    )  # only the grantor revokes

    assert me.post(f"/services/consents/{consent_id}/revoke").status_code == 303
    assert sister.get(f"/services/apply?for_id={MOTHER}").status_code == 403
    assert sister.get(f"/applications/{case_no}").status_code == 404
    with session_scope(url) as s:
        assert (
            s.query(AuditEntry).filter_by(action="consent.revoke", subject=f"consent:{consent_id}").count()
            == 1
        )


def test_staff_may_not_record_consent(url):
    from .pages_helpers import TOWN, official

    town = Signed(official(url, "town_official", TOWN))
    assert town.get("/services/consents").status_code == 403
    assert town.post("/services/consents", consent()).status_code == 403 and _count(url, Consent) == 0
