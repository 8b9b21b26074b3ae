"""POST /api/v1/services/cases's fast path (cradle.services.api.CaseFastPath) answers exactly what the route
answers: the same status, headers and bytes, the same route on the request's log line and metrics, the same rows
(one case per application, a replay answered with the stored answer); anything it is not sure of, a refusal
included, goes to the route. Each request is sent to two apps, each on its own copy of the same database: one
with the fast path and one without it, with the same case number drawn in both."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from cradle.audit import AuditEntry
from cradle.auth.testing import citizen_bearer
from cradle.db import session_scope
from cradle.idcard import make_id_number
from cradle.ops.metrics import route_of
from cradle.services import validate
from cradle.services.api import CaseFastPath
from cradle.services.models import Case, IdempotentRequest
from cradle.testing.asgi import call, served_by_fast_path
from cradle.testing.loops import run_alone
from cradle.testing.postgres import copy_sqlite, database_from_template
from cradle.web.app import create_app

from .helpers import FATHER, IDENTITIES, MOTHER, application

PATH = "/api/v1/services/cases"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def twin_urls(request, tmp_path, monkeypatch) -> tuple[str, str]:
    """Two copies of the migrated database, each with the mother's and the father's bearer tokens."""
    if request.param == "sqlite":
        template = request.getfixturevalue("_migrated_sqlite_template")
        urls = (copy_sqlite(template, tmp_path, "a.db"), copy_sqlite(template, tmp_path, "b.db"))
    else:
        server, template = request.getfixturevalue("pg_server"), request.getfixturevalue("_svc_pg_template")
        urls = (database_from_template(server, template), database_from_template(server, template))
    monkeypatch.setenv("CRADLE_DATABASE_URL", urls[0])
    # the same case number in both databases: the step's (see STEPS)
    monkeypatch.setattr(validate, "reference", lambda prefix, on=None: f"{prefix}20260101{_step[0]:012d}")
    return urls


_step = [0]


def _apps(urls):
    fast = create_app(["cradle.services.api"])
    route = create_app(["cradle.services.api"])
    route.user_middleware = [m for m in route.user_middleware if m.cls is not CaseFastPath]
    assert len(fast.user_middleware) == len(route.user_middleware) + 1
    for app, url in zip((fast, route), urls, strict=True):
        app.state.database_url = url
    return fast, route


def _bearer(url: str, id_number: str, name: str) -> tuple[bytes, bytes]:
    return b"authorization", citizen_bearer(url, id_number, name)["Authorization"].encode()


def _json_body(doc) -> bytes:
    return doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()


JSON = (b"content-type", b"application/json")
# another second child (a twin's ID number): a second case, filed by the father
TWIN = {
    **IDENTITIES,
    "c2": {"id_number": make_id_number("620402", dt.date(2025, 3, 10), 15, "M"), "name": "王三"},
}
# (target, body, headers but the caller's, whose token ("mother", "father" or None), the fast path answers it)
STEPS = [
    (PATH, application(), [JSON, (b"idempotency-key", b"k1")], "mother", True),
    (PATH, application(), [JSON, (b"idempotency-key", b"k1")], "mother", True),  # a replay: the stored answer
    (PATH, application(phone="13900000009"), [JSON, (b"idempotency-key", b"k1")], "mother", False),  # reused
    (PATH, application(), [JSON, (b"idempotency-key", b"k2")], "mother", False),  # a second case refused
    (PATH, application(program="no.such"), [JSON, (b"idempotency-key", b"k3")], "mother", False),
    (PATH, application(identities=TWIN), [JSON], "father", True),  # no key
    (PATH, application(bogus=1), [JSON, (b"idempotency-key", b"k4")], "mother", False),  # unknown field
    (PATH, b'{"program": ', [JSON], "mother", False),
    (PATH, b"[1, 2]", [JSON], "mother", False),
    (PATH, b"", [JSON], "mother", False),
    (PATH, application(beneficiary="m"), [JSON, (b"idempotency-key", b"k5")], None, False),  # nobody
    (PATH, application(beneficiary="m"), [(b"idempotency-key", b"k6")], "mother", False),  # no content type
    (PATH, application(beneficiary="m"), [(b"content-type", b"text/plain")], "mother", False),
    (f"{PATH}?lang=en", application(beneficiary="m"), [JSON, (b"idempotency-key", b"k7")], "mother", False),
    (
        PATH,
        application(beneficiary="m"),
        [JSON, (b"idempotency-key", b"k8"), (b"idempotency-key", b"k9")],
        "mother",
        False,
    ),  # fmt: skip
    (PATH, application(beneficiary="m"), [JSON, (b"idempotency-key", b"")], "mother", False),
    (PATH, application(beneficiary="m"), [JSON, (b"idempotency-key", b"x" * 81)], "mother", False),
    (f"{PATH}/", application(beneficiary="m"), [JSON, (b"idempotency-key", b"k10")], "mother", False),
]


def _count(url: str, model) -> int:
    with session_scope(url) as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def test_the_fast_path_answers_what_the_route_answers(twin_urls):
    apps = _apps(twin_urls)
    callers = [
        {
            "mother": _bearer(url, MOTHER, "李梅"),
            "father": _bearer(url, FATHER, "王强"),
        }
        for url in twin_urls
    ]

    async def run():
        out = []
        for i, (target, doc, headers, who, _) in enumerate(STEPS):
            _step[0], pair = i, []
            body = _json_body(doc)
            for app, tokens in zip(apps, callers, strict=True):
                sent = [*headers, tokens[who]] if who else list(headers)
                pair.append(await call(app, "POST", target, [body[:50], body[50:]], sent))
            out.append(pair)
        return out

    answers = run_alone(run())
    for (target, _, _, _, fast), ((scope, *answer), (route_scope, *route_answer)) in zip(
        STEPS, answers, strict=True
    ):
        assert answer == route_answer, (target, answer[0], answer[2][:300])
        assert route_of(scope) == route_of(route_scope)  # the log line's and the metrics' route
        assert served_by_fast_path(scope) is fast, (target, answer[0], answer[2][:300])
        assert not served_by_fast_path(route_scope)
    statuses = [a[0][1] for a in answers]
    assert statuses[:2] == [201, 201] and statuses[5] == 201 and 201 not in statuses[6:]
    assert dict(answers[1][0][2])[b"idempotent-replayed"] == b"true"
    for url in twin_urls:  # the same rows on both sides: two cases, each with its entry; one stored answer
        assert _count(url, Case) == 2
        assert _count(url, IdempotentRequest) == 1
        assert _count(url, AuditEntry) >= 2
    with session_scope(twin_urls[0]) as a, session_scope(twin_urls[1]) as b:
        rows = [
            s.execute(select(Case.case_no, Case.status, Case.amount).order_by(Case.case_no)).all()
            for s in (a, b)
        ]
    assert rows[0] == rows[1]
