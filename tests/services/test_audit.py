from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cradle import audit
from cradle.db import session_factory


def test_chain_verifies_and_names_proxy(any_session):
    s = any_session
    audit.record(s, "citizen:a", "case.submit", "case:1", {"x": 1})
    audit.record(s, "citizen:b", "case.submit", "case:1", {"x": 2}, on_behalf_of="citizen:a")
    s.commit()
    result = audit.verify(s)
    assert result.ok and result.entries == 2
    entries = audit.history(s, "case:1")
    assert [e.seq for e in entries] == [1, 2]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[1].on_behalf_of == "citizen:a"


def test_database_refuses_update_and_delete(any_session):
    s = any_session
    audit.record(s, "x", "a", "s", {})
    s.commit()
    for stmt in ("UPDATE audit_log SET actor = 'evil'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError):
            s.execute(text(stmt))
            s.flush()
        s.rollback()
    assert audit.verify(s).ok


def test_tampering_is_found(svc_sqlite_url):
    s = session_factory(svc_sqlite_url)()
    for i in range(3):
        audit.record(s, "x", "a", f"s{i}", {"i": i})
    s.commit()
    # Someone with file access drops the trigger and edits an entry: verify finds it.
    s.execute(text("DROP TRIGGER audit_log_no_update"))
    s.execute(text("UPDATE audit_log SET detail = '{\"i\": 9}' WHERE seq = 2"))
    s.commit()
    result = audit.verify(s)
    assert not result.ok and result.bad_seq == 2 and "altered" in result.problem
    s.execute(text("DROP TRIGGER audit_log_no_delete"))
    s.execute(text("DELETE FROM audit_log WHERE seq = 1"))
    s.commit()
    result = audit.verify(s)
    assert not result.ok and result.bad_seq == 1 and "missing" in result.problem


def test_record_requires_action_and_subject(session):
    with pytest.raises(ValueError, match="action"):
        audit.record(session, "x", "", "s")
    with pytest.raises(ValueError, match="subject"):
        audit.record(session, "x", "a", "")
