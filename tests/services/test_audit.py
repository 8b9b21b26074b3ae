from __future__ import annotations

import datetime as dt
import itertools
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from cradle import audit
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.db import get_engine, session_factory, session_scope
from cradle.idcard import make_id_number
from cradle.services import applications

from .helpers import COUNTY, IDENTITIES, application


def test_chain_verifies_and_names_proxy(any_session):
    s = any_session
    audit.record(s, "citizen:a", "case.submit", "case:1", {"x": 1})
    audit.record(s, "citizen:b", "case.submit", "case:1", {"x": 2}, on_behalf_of="citizen:a")
    s.commit()
    result = audit.verify(s)
    assert result.ok and result.entries == 2
    entries = audit.history(s, "case:1")
    assert [e.seq for e in entries] == [1, 2]
    assert [e.chain_seq for e in entries] == [1, 2] and entries[0].chain == audit.chain_of("case:1")
    assert entries[1].prev_hash == entries[0].hash
    assert entries[1].on_behalf_of == "citizen:a"


def test_subjects_go_to_their_own_chains(session):
    subjects = [f"case:{i}" for i in range(40)]
    for sub in subjects:
        audit.record(session, "x", "a", sub, {})
    session.commit()
    chains = {audit.chain_of(sub) for sub in subjects}
    assert len(chains) > 20  # spread over the chains, so writers rarely meet
    head = session.get(audit.AuditChain, audit.chain_of("case:0"))
    last = audit.history(session, "case:0")[-1]
    assert (head.last, head.hash) == (last.seq, last.hash)
    assert audit.verify(session).ok and audit.verify(session).entries == 40


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


def _tamperable(url):
    s = session_factory(url)()
    s.execute(text("DROP TRIGGER audit_log_no_update"))
    s.execute(text("DROP TRIGGER audit_log_no_delete"))
    s.commit()
    return s


def test_an_altered_entry_is_found(svc_sqlite_url):
    s = session_factory(svc_sqlite_url)()
    for i in range(3):
        audit.record(s, "x", "a", f"s{i}", {"i": i})
    s.commit()
    s = _tamperable(svc_sqlite_url)
    s.execute(text("UPDATE audit_log SET detail = '{\"i\": 9}' WHERE seq = 2"))
    s.commit()
    result = audit.verify(s)
    assert not result.ok and result.bad_seq == 2 and "altered" in result.problem


def test_a_deleted_entry_is_found_inside_and_at_the_end_of_a_chain(svc_sqlite_url):
    s = session_factory(svc_sqlite_url)()
    for i in range(3):
        audit.record(s, "x", "a", "case:7", {"i": i})
    s.commit()
    s = _tamperable(svc_sqlite_url)
    s.execute(text("DELETE FROM audit_log WHERE seq = 3"))  # the newest: only the head row knows it existed
    s.commit()
    result = audit.verify(s)
    assert not result.ok and result.bad_seq == 3 and "missing" in result.problem
    s.execute(text("DELETE FROM audit_log WHERE seq = 1"))  # the first: the chain has a gap
    s.commit()
    result = audit.verify(s)
    assert not result.ok and result.bad_seq == 2 and "entry 1 of chain" in result.problem


def test_a_rewritten_head_or_reordered_chain_is_found(svc_sqlite_url):
    s = session_factory(svc_sqlite_url)()
    audit.record(s, "x", "a", "case:8", {"i": 1})
    audit.record(s, "x", "a", "case:8", {"i": 2})
    s.commit()
    s = _tamperable(svc_sqlite_url)
    swap = (
        "UPDATE audit_log SET chain_seq = chain_seq + 10",
        "UPDATE audit_log SET chain_seq = 13 - chain_seq",
    )
    for stmt in swap:
        s.execute(text(stmt))
    s.commit()
    assert not audit.verify(s).ok
    for stmt in swap:
        s.execute(text(stmt))
    s.execute(
        text("UPDATE audit_chain SET hash = :h WHERE chain = :c"),
        {"h": "f" * 64, "c": audit.chain_of("case:8")},
    )
    s.commit()
    result = audit.verify(s)
    assert not result.ok and "head" in result.problem


def test_entries_before_the_chains_verify_as_the_legacy_chain(svc_sqlite_url):
    """Rows written by the single-chain log (chain NULL) keep verifying after the upgrade."""
    s = session_factory(svc_sqlite_url)()
    prev = audit.GENESIS
    import datetime as dt

    at = dt.datetime(2025, 1, 1, 8)
    for seq in (1, 2):
        h = audit.entry_hash(prev, seq, at, "x", None, "a", "old", {})
        s.add(
            audit.AuditEntry(
                seq=seq,
                at=at,
                actor="x",
                on_behalf_of=None,
                action="a",
                subject="old",
                detail={},
                prev_hash=prev,
                hash=h,
            )
        )
        prev = h
    s.commit()
    audit.record(s, "x", "a", "new", {})
    s.commit()
    result = audit.verify(s)
    assert result.ok and result.entries == 3 and audit.history(s, "new")[0].seq == 3


@pytest.mark.postgres
def test_concurrent_writers_keep_every_chain_whole(svc_pg_url):
    """Eight threads each write 25 entries about their own and a shared subject at the same time."""
    errors = []

    def work(n):
        try:
            for i in range(25):
                with session_factory(svc_pg_url)() as s:
                    audit.record(s, f"w{n}", "a", f"case:{n}", {"i": i})
                    audit.record(s, f"w{n}", "a", "batch:shared", {"n": n, "i": i})
                    s.commit()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with session_factory(svc_pg_url)() as s:
        result = audit.verify(s)
        assert result.ok and result.entries == 400
        shared = audit.history(s, "batch:shared")
        assert [e.chain_seq for e in shared] == sorted(e.chain_seq for e in shared)
        assert len({e.seq for e in shared}) == 200
    get_engine(svc_pg_url).dispose()


def test_record_requires_action_and_subject(session):
    with pytest.raises(ValueError, match="action"):
        audit.record(session, "x", "", "s")
    with pytest.raises(ValueError, match="subject"):
        audit.record(session, "x", "a", "")


def _submission(i: int) -> tuple[Actor, dict]:
    mother = make_id_number(COUNTY, dt.date(1990, 1, 1) + dt.timedelta(days=i), 21, "F")
    c1 = make_id_number(COUNTY, dt.date(2020, 1, 1) + dt.timedelta(days=i), 22, "M")
    c2 = make_id_number(COUNTY, dt.date(2025, 1, 1) + dt.timedelta(days=i), 23, "M")
    data = application(
        identities={
            "m": {"id_number": mother, "name": f"母{i}"},
            "f": IDENTITIES["f"],
            "c1": {"id_number": c1, "name": "甲"},
            "c2": {"id_number": c2, "name": "乙"},
        }
    )
    return Actor(id=f"m{i}", role=roles.CITIZEN, id_number=mother, name=f"母{i}"), data


@pytest.mark.postgres
def test_submissions_audited_in_their_own_statement_keep_every_chain_whole(svc_pg_url, monkeypatch):
    """On PostgreSQL a submission's entry is hashed and appended by the statement that inserts its case (a SHA-256
    chain's); a chain begun in SM3 gets it from `audit.record`. Eight threads submit at once, under either
    setting: every chain verifies, with one entry per case in the chain its subject names."""
    with session_factory(svc_pg_url)() as s:
        before = audit.verify(s).entries
        with monkeypatch.context() as m:
            m.setenv("CRADLE_CRYPTO", "sm")
            for chain in range(0, audit.CHAINS, 2):  # every other chain begun in SM3
                subject = next(f"x:{i}" for i in itertools.count() if audit.chain_of(f"x:{i}") == chain)
                audit.record(s, "x", "a", subject, {})
        s.commit()
    errors, numbers = [], []

    def work(n: int) -> None:
        try:
            for i in range(n, n - n % 8 + 80, 8):
                actor, data = _submission(i)
                with session_scope(svc_pg_url) as s:
                    numbers.append(applications.submit(s, actor, data).case_no)
        except Exception as exc:  # reported below
            errors.append(exc)

    for mode in ("aes", "sm"):
        with monkeypatch.context() as m:
            m.setenv("CRADLE_CRYPTO", mode)
            threads = [
                threading.Thread(target=work, args=(n + (80 if mode == "sm" else 0),)) for n in range(8)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert not errors and len(numbers) == 160
    with session_factory(svc_pg_url)() as s:
        result = audit.verify(s)
        assert result.ok and result.entries == before + audit.CHAINS // 2 + len(numbers)
        algorithms = dict(s.execute(select(audit.AuditChain.chain, audit.AuditChain.algorithm)).all())
        used = set()
        for number in numbers:
            (entry,) = audit.history(s, f"case:{number}")
            assert entry.action == "case.submit" and entry.chain == audit.chain_of(f"case:{number}")
            used.add(algorithms[entry.chain])
        assert used == {"sha256", "sm3"}
    get_engine(svc_pg_url).dispose()


def test_an_entry_whose_detail_holds_the_stand_ins_is_left_to_record():
    assert audit.append_params("x", "a", "case:1", {"n": int(audit._SEQ_MARK)}) is None
    params = audit.append_params("x", "a", "case:1", {"n": 1}, on_behalf_of="y")
    assert params["audit_chain"] == audit.chain_of("case:1") and params["audit_on_behalf_of"] == "y"
    assert params["audit_a1"].endswith('"chain_seq":') and params["audit_a2"].endswith('"seq":')
