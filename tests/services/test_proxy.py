from __future__ import annotations

import datetime as dt

import pytest

from cradle import audit
from cradle.errors import Forbidden, Invalid
from cradle.services import applications, proxy, registration

from .helpers import AUNT, MOTHER, application, aunt, county, mother, outsider

UNTIL = (dt.date.today() + dt.timedelta(days=90)).isoformat()


def consent(**over):
    d = {
        "proxy_id_number": AUNT,
        "proxy_name": "李芳",
        "relation": "sibling",
        "scope": "*",
        "valid_until": UNTIL,
        "evidence": "人脸核验 2025-07-01",
    }
    d.update(over)
    return d


def test_proxy_files_with_consent_and_audit_names_both(session):
    with pytest.raises(Forbidden) as exc:
        applications.submit(session, aunt, application(for_id_number=MOTHER))
    assert exc.value.field == "for_id_number"
    proxy.grant(session, mother, consent())
    case = applications.submit(session, aunt, application(for_id_number=MOTHER))
    assert case.applicant_id_number == MOTHER and case.origin == "citizen"
    entry = audit.history(session, f"case:{case.case_no}")[0]
    assert entry.actor.startswith("citizen:620421") and entry.on_behalf_of.startswith("citizen:620402")
    assert "李梅" in entry.on_behalf_of
    # the proxy can act on the case, and the step names both people
    applications.act(session, aunt, case.case_no, "withdraw")
    steps = applications.steps(session, case)
    assert steps[-1].on_behalf_of and steps[-1].actor.startswith("citizen:620421")


def test_scope_limits_and_revocation(session):
    c = proxy.grant(session, mother, consent(scope="registration"))
    with pytest.raises(Forbidden):
        applications.submit(session, aunt, application(for_id_number=MOTHER))
    reg = registration.register(
        session,
        aunt,
        {
            "mother_id_number": MOTHER,
            "mother_name": "李梅",
            "hukou_region": "620402",
            "residence_region": "620402",
            "expected_birth": UNTIL,
            "child_order": 2,
        },
    )
    assert reg.on_behalf_of and "李梅" in reg.on_behalf_of
    proxy.revoke(session, mother, c.id)
    with pytest.raises(Forbidden):
        proxy.principal(session, aunt, MOTHER, "registration")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("proxy_id_number", "x"),
        ("proxy_id_number", MOTHER),
        ("relation", "friend"),
        ("scope", "everything"),
        ("valid_until", "2000-01-01"),
        ("evidence", ""),
    ],
)
def test_bad_consent(session, field, value):
    with pytest.raises(Invalid) as exc:
        proxy.grant(session, mother, consent(**{field: value}))
    assert exc.value.field == field
    assert proxy.consents_of(session, MOTHER) == []


def test_only_the_grantor_grants(session):
    with pytest.raises(Forbidden):
        proxy.grant(session, county, consent())
    with pytest.raises(Forbidden):
        proxy.principal(session, outsider, MOTHER, "application")
