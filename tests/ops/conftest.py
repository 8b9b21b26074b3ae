"""The app and `cradle` pointed at a test database through the environment, as a deployment points them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cradle.web.app import create_app

LOOPBACK = ("127.0.0.1", 50000)


@pytest.fixture
def use_db(monkeypatch):
    def point(url: str) -> str:
        monkeypatch.setenv("CRADLE_DATABASE_URL", url)
        return url

    return point


@pytest.fixture
def client():
    """A caller from another machine (Starlette's test client address is not loopback)."""
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture
def local_client():
    """A caller on this machine, as Prometheus on the host or curl in a shell there."""
    with TestClient(create_app(), client=LOOPBACK) as c:
        yield c
