"""docs/deploy.md's PostgreSQL roles, run as written on a throw-away server: the owner migrates; the app role
serves, ingests (temporary tables), records runs and backs up, and cannot ALTER, DROP, TRUNCATE or CREATE a
table, nor rewrite or delete an audit entry; the backup it wrote restores, as the owner, into a fresh database (the monthly drill)."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from cradle.backup.crypto import new_key
from cradle.backup.service import backup, restore, table_counts
from cradle.db import get_engine, session_scope, upgrade
from cradle.testing.postgres import PRODUCTION_SETTINGS, start_temp_postgres
from cradle.web.app import create_app

pytestmark = pytest.mark.postgres
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def guide_sql(part: int | str) -> list[str]:
    """The statements of the guide's SQL block that starts `-- cradle roles, part N` (or `-- cradle <part>`)."""
    heading = f"-- cradle roles, part {part}" if isinstance(part, int) else f"-- cradle {part}"
    blocks = re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    (block,) = [b for b in blocks if b.startswith(heading)]
    body = "\n".join(line for line in block.splitlines() if not line.startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def _run(port: int, dbname: str, statements: list[str]) -> None:
    with psycopg.connect(f"host=127.0.0.1 port={port} user=cradle dbname={dbname}", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def test_the_app_role_serves_but_cannot_change_the_schema(pg_server, tmp_path, monkeypatch):
    port = pg_server.port
    _run(port, "postgres", guide_sql(1))
    _run(port, "cradle", guide_sql(2))
    owner = f"postgresql+psycopg://cradle_owner@127.0.0.1:{port}/cradle"
    app = f"postgresql+psycopg://cradle_app@127.0.0.1:{port}/cradle"
    upgrade(owner)
    get_engine(owner).dispose()
    _run(port, "cradle", guide_sql(3))

    # serve: ready, and the services' writes (applications, reviews, a payment batch and its bank file)
    monkeypatch.setenv("CRADLE_DATABASE_URL", app)
    from cradle.services.demo import load_demo

    with session_scope(app) as s:
        load_demo(s)
    with TestClient(create_app()) as c:
        assert c.get("/readyz").json() == {"ready": True, "problems": []}
    # ingest: staged in temporary tables; the ANALYZE only an owner may run is skipped with a warning
    from cradle.registry.ingest import ingest_file
    from cradle.reliability.fault_ingest import synth

    manifest = synth(tmp_path / "feeds", 200)
    summary = ingest_file("gongan", tmp_path / "feeds" / manifest["feeds"]["gongan"]["file"], url=app)
    assert summary.accepted == manifest["feeds"]["gongan"]["stored"]

    engine = create_engine(app)
    for statement in (
        "ALTER TABLE svc_case ADD COLUMN extra integer",
        "DROP TABLE svc_case",
        "TRUNCATE audit_log",
        "CREATE TABLE intruder (x integer)",
        "DROP INDEX ix_svc_case_queue",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ):
        with engine.connect() as conn, pytest.raises(Exception) as refused:
            conn.execute(text(statement))
        assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege), statement
    engine.dispose()

    # the nightly backup runs as the app role; the drill restores it as the owner into an empty database
    key = new_key()
    header = backup(app, tmp_path / "nightly.bak", key)
    get_engine(app).dispose()
    _run(port, "postgres", ["CREATE DATABASE cradle_drill OWNER cradle_owner"])
    drill = f"postgresql+psycopg://cradle_owner@127.0.0.1:{port}/cradle_drill"
    restored = restore(tmp_path / "nightly.bak", drill, key)
    assert restored["tables"] == header["tables"] == table_counts(drill)
    assert header["tables"]["svc_case"] > 0 and header["tables"]["registry_person"] > 0


def test_the_guides_server_settings_take_effect_and_are_the_benchmarks():
    """The guide's ALTER SYSTEM block, run as written on a server of its own and restarted, leaves each setting
    as `PRODUCTION_SETTINGS` has it (what every PostgreSQL benchmark measures with)."""
    statements = guide_sql("server settings")
    named = dict(re.fullmatch(r"ALTER SYSTEM SET (\w+) = '([^']*)'", s).groups() for s in statements)
    assert named == PRODUCTION_SETTINGS
    server = start_temp_postgres()
    try:
        _run(server.port, "postgres", statements)
        server.restart()
        with psycopg.connect(f"host=127.0.0.1 port={server.port} user=cradle dbname=postgres") as conn:
            shown = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in named}
    finally:
        server.stop()
    assert shown == PRODUCTION_SETTINGS
