"""The PostgreSQL pool pings a connection only after it sat idle, and replaces one the server dropped."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from cradle import db


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def _terminate(url: str, pid: int) -> None:
    """Ends the server process of `pid` from a connection of another engine (not one from the pool tested)."""
    other = db.make_engine(url)
    with other.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    other.dispose()


@pytest.mark.postgres
def test_an_idle_connection_the_server_dropped_is_replaced(pg_url, monkeypatch):
    engine = db.make_engine(pg_url)
    try:
        first = _backend_pid(engine)
        _terminate(pg_url, first)
        monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # as if the connection had sat idle
        assert _backend_pid(engine) != first  # pinged, found dead, reconnected: the caller sees no error
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_connection_back_a_moment_ago_is_not_pinged(pg_url):
    engine = db.make_engine(pg_url)
    try:
        first = _backend_pid(engine)
        _terminate(pg_url, first)
        # no ping: the dropped connection is used and fails as a disconnect, which invalidates the pool ...
        with pytest.raises(Exception) as caught:
            _backend_pid(engine)
        assert getattr(caught.value, "connection_invalidated", False)
        assert _backend_pid(engine) != first  # ... so the next checkout connects anew
    finally:
        engine.dispose()
