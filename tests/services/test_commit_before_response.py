"""A page's transaction is committed before its answer leaves the server. Were it committed after, a browser
following the 303 to the new application could ask for it before it exists (seen in CI as "没有这件申请" right
after a proxy's submission), and a commit that failed would follow an answer that already said "saved"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from cradle.web.app import create_app

from .pages_helpers import MOTHER, apply_form, citizen_account, sign_in


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    return svc_sqlite_url


def test_submission_is_committed_before_the_redirect_is_sent(url):
    events: list[str] = []
    app = create_app()

    async def spy(scope, receive, send):
        async def recording_send(message):
            if message["type"] == "http.response.start":
                events.append(f"response {message['status']}")
            await send(message)

        await app(scope, receive, recording_send)

    def committed(session):
        events.append("commit")

    citizen_account(url, MOTHER)
    client = TestClient(spy, base_url="https://testserver")
    csrf = sign_in(client, MOTHER)
    event.listen(Session, "after_commit", committed)
    try:
        events.clear()
        r = client.post("/services/apply", data={**apply_form(), "csrf_token": csrf}, follow_redirects=False)
    finally:
        event.remove(Session, "after_commit", committed)
    assert r.status_code == 303, r.text
    assert events[-1] == "response 303" and "commit" in events, events
