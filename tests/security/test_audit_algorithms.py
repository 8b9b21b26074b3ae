"""The audit chain under SHA-256 and SM3: each chain keeps the algorithm it began with, verify checks each."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from cradle import audit
from cradle.cli import app
from cradle.db import session_factory


@pytest.mark.parametrize("mode,algorithm", [("aes", "sha256"), ("sm", "sm3")])
def test_chain_uses_the_configured_hash_and_verifies(any_session, monkeypatch, mode, algorithm):
    monkeypatch.setenv("CRADLE_CRYPTO", mode)
    s = any_session
    first = audit.record(s, "county:1", "case.approve", "case:1", {"n": 1})
    second = audit.record(s, "county:1", "case.approve", "case:1", {"n": 2})
    s.commit()
    head = s.get(audit.AuditChain, audit.chain_of("case:1"))
    assert head.algorithm == algorithm and head.hash == second.hash
    canonical = audit._canonical(
        second.seq,
        second.at,
        second.actor,
        None,
        second.action,
        second.subject,
        second.detail,
        second.chain,
        second.chain_seq,
    )
    assert second.hash == hashlib.new(algorithm, first.hash.encode() + canonical).hexdigest()
    assert audit.verify(s).ok


def test_switching_keeps_old_chains_and_starts_new_ones_in_sm3(svc_url, monkeypatch):
    s = session_factory(svc_url)()
    audit.record(s, "x", "a", "case:1", {})
    s.commit()
    monkeypatch.setenv("CRADLE_CRYPTO", "sm")
    audit.record(s, "x", "a", "case:1", {})  # the started chain stays SHA-256
    other = next(
        f"case:{i}" for i in range(2, 200) if audit.chain_of(f"case:{i}") != audit.chain_of("case:1")
    )
    audit.record(s, "x", "a", other, {})
    s.commit()
    algs = dict(s.execute(select(audit.AuditChain.chain, audit.AuditChain.algorithm)).all())
    assert algs[audit.chain_of("case:1")] == "sha256" and algs[audit.chain_of(other)] == "sm3"
    result = audit.verify(s)
    assert result.ok and result.entries == 3
    s.close()


def test_an_altered_sm3_entry_or_a_changed_algorithm_is_found(svc_sqlite_url, monkeypatch):
    monkeypatch.setenv("CRADLE_CRYPTO", "sm")
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)
    s = session_factory(svc_sqlite_url)()
    for i in range(3):
        audit.record(s, "x", "a", "case:5", {"i": i})
    s.commit()
    ok = CliRunner().invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    chain = audit.chain_of("case:5")
    s.execute(text("UPDATE audit_chain SET algorithm = 'sha256' WHERE chain = :c"), {"c": chain})
    s.commit()
    result = audit.verify(s)
    assert not result.ok and "altered" in result.problem
    s.execute(text("UPDATE audit_chain SET algorithm = 'md5' WHERE chain = :c"), {"c": chain})
    s.commit()
    assert "no known algorithm" in audit.verify(s).problem
    s.execute(text("UPDATE audit_chain SET algorithm = 'sm3' WHERE chain = :c"), {"c": chain})
    s.execute(text("DROP TRIGGER audit_log_no_update"))
    s.execute(
        text("UPDATE audit_log SET detail = '{\"i\": 9}' WHERE chain = :c AND chain_seq = 2"), {"c": chain}
    )
    s.commit()
    result = audit.verify(s)
    assert not result.ok and result.problem == "entry was altered (hash mismatch)"
    bad = CliRunner().invoke(app, ["audit", "verify"])
    assert bad.exit_code != 0
    s.close()
