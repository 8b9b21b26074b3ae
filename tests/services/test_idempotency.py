"""Idempotency keys without the look-up first (`idempotency.run(look_first=False)`, what an application uses):
a replay still answers the first response and leaves nothing of its own run behind, on both databases."""

from __future__ import annotations

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cradle.audit import AuditEntry
from cradle.auth.testing import citizen_bearer
from cradle.db import session_scope
from cradle.errors import Conflict
from cradle.services import idempotency
from cradle.services.models import Case, Notification
from cradle.web.app import create_app

from .helpers import MOTHER, application, mother


def _count(url, model) -> int:
    with session_scope(url) as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def _note(s, text: str):
    s.add(Notification(recipient_id_number=MOTHER, channel="inapp", kind="test", subject="s", text=text))
    s.flush()
    return 201, {"text": text}


@pytest.mark.parametrize("look_first", [True, False])
def test_a_replayed_action_is_rolled_back_and_answered_with_the_first_response(svc_url, look_first):
    first = idempotency.run(svc_url, mother, "k1", {"n": 1}, lambda s: _note(s, "first"), look_first)
    again = idempotency.run(svc_url, mother, "k1", {"n": 1}, lambda s: _note(s, "again"), look_first)
    assert first == (201, {"text": "first"}, False)
    assert again == (201, {"text": "first"}, True)
    with pytest.raises(Conflict) as refused:  # the same key for another request
        idempotency.run(svc_url, mother, "k1", {"n": 2}, lambda s: _note(s, "other"), look_first)
    assert refused.value.field == "Idempotency-Key"
    assert _count(svc_url, Notification) == 1  # the replays' own rows were rolled back


def test_a_replayed_application_makes_no_second_case_step_or_audit_entry(svc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_url)  # where the auth middleware finds the bearer token
    app = create_app(["cradle.services.api"])
    app.state.database_url = svc_url
    c = TestClient(app)
    headers = {**citizen_bearer(svc_url, MOTHER, "李梅"), "Idempotency-Key": "a1"}
    r1 = c.post("/api/v1/services/cases", json=application(), headers=headers)
    assert r1.status_code == 201, r1.text
    before = (_count(svc_url, Case), _count(svc_url, AuditEntry), _count(svc_url, Notification))
    r2 = c.post("/api/v1/services/cases", json=application(), headers=headers)
    assert r2.status_code == 201 and r2.headers["Idempotent-Replayed"] == "true" and r2.json() == r1.json()
    r3 = c.post("/api/v1/services/cases", json=application(phone="13900000009"), headers=headers)
    assert r3.status_code == 409 and r3.json()["errors"][0]["field"] == "Idempotency-Key"
    assert (_count(svc_url, Case), _count(svc_url, AuditEntry), _count(svc_url, Notification)) == before


def _submit_storing_answer(s):
    """What `POST /cases` does: on PostgreSQL the case's own statement stores the key with its answer."""
    from cradle.services import applications
    from cradle.services.api import case_json

    case = applications.submit(
        s, mother, application(), answer_row=lambda c: idempotency.answer_row(s, case_json(c))
    )
    return 201, case_json(case)


def test_a_key_stored_for_another_request_refuses_the_application_and_leaves_no_case(svc_url):
    """The key's row written by the case's own statement clashes with the stored one: the whole statement is
    rolled back (no case, step, entry or message) and the key is refused as reused."""
    idempotency.run(svc_url, mother, "k9", {"n": 1}, lambda s: _note(s, "first"))
    before = (_count(svc_url, Case), _count(svc_url, AuditEntry), _count(svc_url, Notification))
    with pytest.raises(Conflict) as refused:
        idempotency.run(svc_url, mother, "k9", application(), _submit_storing_answer, False, status=201)
    assert refused.value.field == "Idempotency-Key"
    assert (_count(svc_url, Case), _count(svc_url, AuditEntry), _count(svc_url, Notification)) == before
    first = idempotency.run(svc_url, mother, "k10", application(), _submit_storing_answer, False, status=201)
    again = idempotency.run(svc_url, mother, "k10", application(), _submit_storing_answer, False, status=201)
    assert first[0] == 201 and not first[2] and again[0] == 201 and again[2]
    assert again[1] == orjson.loads(orjson.dumps(first[1], default=str))  # the answer as it was sent
    assert _count(svc_url, Case) == before[0] + 1


@pytest.mark.postgres
@pytest.mark.parametrize("in_statement", [False, True], ids=["key-stored-after", "key-in-case-statement"])
def test_fifty_concurrent_replays_of_one_application_make_one_case(svc_pg_url, in_statement):
    """The same application sent 50 times at once with one key, without the look-up first: every answer is the
    one case (49 of them replays), and the database holds one case, one submit step and one stored response;
    whether `run` stores the key after the action or the case's own statement stores it."""
    import datetime as dt
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from cradle.db import get_engine
    from cradle.payments import rates
    from cradle.services import applications
    from cradle.services.api import case_json
    from cradle.services.models import CaseStep, IdempotentRequest

    from .helpers import COUNTY, county

    with session_scope(svc_pg_url) as s:
        rates.set_rate(
            s, county, "baiyin.childcare_allowance", COUNTY, dt.date(2024, 1, 1), 200, "白区政发〔2024〕1号"
        )
    barrier = threading.Barrier(50)

    def send(_i):
        barrier.wait()
        if in_statement:
            return idempotency.run(
                svc_pg_url, mother, "same-key", application(), _submit_storing_answer, False, status=201
            )
        return idempotency.run(
            svc_pg_url,
            mother,
            "same-key",
            application(),
            lambda s: (201, case_json(applications.submit(s, mother, application()))),
            look_first=False,
        )

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(send, range(50)))
    assert len({a[1]["case_no"] for a in answers}) == 1
    assert sorted(a[2] for a in answers) == [False] + [True] * 49
    assert (
        _count(svc_pg_url, Case),
        _count(svc_pg_url, CaseStep),
        _count(svc_pg_url, IdempotentRequest),
    ) == (1, 1, 1)
    get_engine(svc_pg_url).dispose()
