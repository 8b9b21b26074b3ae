"""Security headers on every answer; the public API's per-client rate limit answers 429 in the one shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cradle.web import security
from cradle.web.app import create_app


@pytest.fixture
def limited(monkeypatch):
    monkeypatch.setenv("CRADLE_API_RATE_PER_MINUTE", "3")
    return create_app()


def test_headers_on_pages_json_and_errors():
    client = TestClient(create_app())
    for path in ("/", "/api/v1/programs", "/no/such/page", "/static/vendor/htmx.min.js"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "http" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"]
        assert (
            "strict-transport-security" not in r.headers
        )  # plain http: HSTS would be ignored or pin a test host
    https = TestClient(create_app(), base_url="https://testserver").get("/api/v1/programs")
    assert https.headers["strict-transport-security"].startswith("max-age=")


def test_public_api_rate_limit_per_client(limited):
    client = TestClient(limited)
    assert [client.get("/api/v1/programs").status_code for _ in range(3)] == [200, 200, 200]
    r = client.get("/api/v1/programs?lang=en", headers={"accept-language": "en"})
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 61
    (err,) = r.json()["errors"]
    assert err["code"] == "rate_limited" and err["field"] is None and err["message"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.post("/api/v1/calc", json={}).status_code == 429  # the calculator shares the budget
    assert client.get("/api/v1/childcare/public/facilities").status_code == 429
    other = TestClient(limited, client=("10.0.0.7", 5000))
    assert other.get("/api/v1/programs").status_code == 200  # another address has its own window
    assert client.get("/").status_code == 200  # pages are not the public API


def test_zero_turns_the_limit_off(monkeypatch):
    monkeypatch.setenv("CRADLE_API_RATE_PER_MINUTE", "0")
    client = TestClient(create_app())
    assert {client.get("/api/v1/regions").status_code for _ in range(400)} == {200}


def test_window_turns_after_a_minute():
    now = [0.0]
    w = security.Window(2, clock=lambda: now[0])
    assert [w.hit("a"), w.hit("a")] == [0, 0] and w.hit("a") == 61
    now[0] = 45.0
    assert w.hit("a") == 16 and w.hit("b") == 0
    now[0] = 60.0
    assert w.hit("a") == 0
