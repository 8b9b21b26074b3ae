"""POST /api/v1/calc's fast path (cradle.policy.api.CalcFastPath) answers exactly what the route answers: the same
status, headers and bytes, the same route on the request's log line and metrics; anything it is not sure of goes
to the route."""

import copy
import datetime as dt
import json

import pytest

from cradle.ops.metrics import route_of
from cradle.policy.api import CalcFastPath, _plain_query
from cradle.testing.asgi import call, served_by_fast_path
from cradle.testing.loops import run_alone
from cradle.web.app import create_app

from .conftest import EXAMPLE


def _without_fast_path():
    app = create_app()
    app.user_middleware = [m for m in app.user_middleware if m.cls is not CalcFastPath]
    return app


@pytest.fixture(scope="module")
def apps():
    return create_app(), _without_fast_path()


def _bad_child() -> dict:
    h = copy.deepcopy(EXAMPLE)
    h["members"][2]["birth_date"] = "1980-01-01"  # a child born before its mother
    return h


def _body(doc) -> bytes:
    return doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()


def _both(apps, method, target, chunks, headers=()):
    async def run():
        return [await call(app, method, target, chunks, list(headers)) for app in apps]

    return run_alone(run())


REQUESTS = [
    # (query, body, header pairs, the fast path answers it itself)
    ("on=2025-07-01", EXAMPLE, [], True),
    ("on=2025-07-01&explain=true", EXAMPLE, [], True),
    ("explain=1&on=2026-01-01", EXAMPLE, [], True),
    ("on=2025-07-01&explain=0&lang=en", EXAMPLE, [(b"accept-language", b"en")], True),
    ("on=2025-07-01", _bad_child(), [], False),
    ("on=2025-07-01&lang=en", _bad_child(), [], False),
    ("on=2025-07-01", {**EXAMPLE, "bogus": True}, [], False),
    ("on=2025-07-01", b'{"members": [', [], False),
    ("on=2025-07-01", b"[1, 2]", [], False),
    ("on=2025-07-01", b"", [], False),
    ("on=2025-13-01", EXAMPLE, [], False),
    ("on=2025-02-30", EXAMPLE, [], False),
    ("on=20250701", EXAMPLE, [], False),
    ("on=2025%2D07%2D01", EXAMPLE, [], False),
    ("on=", EXAMPLE, [], False),
    ("on=2025-07-01&explain=yes", EXAMPLE, [], False),
    ("on=2025-07-01&explain=maybe", EXAMPLE, [], False),
    ("on=2025-07-01&on=2025-08-01", EXAMPLE, [], False),
    ("on=2025-07-01&extra=1", EXAMPLE, [], False),
]


@pytest.mark.parametrize(
    ("query", "doc", "headers", "fast"), REQUESTS, ids=[f"{i}:{r[0]}" for i, r in enumerate(REQUESTS)]
)
def test_the_fast_path_answers_what_the_route_answers(apps, query, doc, headers, fast):
    body = _body(doc)
    (scope, *answer), (route_scope, *route_answer) = _both(
        apps, "POST", f"/api/v1/calc?{query}", [body], [(b"content-type", b"application/json"), *headers]
    )
    assert answer == route_answer
    assert route_of(scope) == route_of(route_scope) == "/api/v1/calc"  # the log line's and the metrics' route
    assert served_by_fast_path(scope) is fast
    assert not served_by_fast_path(route_scope)


def test_a_body_sent_in_parts_and_no_date_given(apps):
    body = _body(EXAMPLE)
    parts = [body[:100], body[100:700], body[700:]]
    (scope, *answer), (_, *route_answer) = _both(apps, "POST", "/api/v1/calc", parts)
    assert answer == route_answer and answer[0] == 200
    assert json.loads(answer[2])["as_of"] == dt.date.today().isoformat()
    assert served_by_fast_path(scope)


def test_other_methods_and_paths_go_to_the_routes(apps):
    for method, target in [("GET", "/api/v1/calc?on=2025-07-01"), ("POST", "/api/v1/calc/?on=2025-07-01")]:
        (scope, *answer), (_, *route_answer) = _both(apps, method, target, [_body(EXAMPLE)])
        assert answer == route_answer and answer[0] in (404, 405, 307)
        assert not served_by_fast_path(scope)


def test_plain_query_strings():
    assert _plain_query(b"") == (None, False)
    assert _plain_query(b"on=2025-07-01&explain=true") == (dt.date(2025, 7, 1), True)
    assert _plain_query(b"lang=en&explain=0") == (None, False)
    for unsure in [b"on=2025-7-1", b"on=2025-W27-1", b"explain=True", b"explain", b"&", b"on=2025-07-01&"]:
        assert _plain_query(unsure) is None, unsure
