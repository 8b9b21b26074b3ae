"""/healthz answers while the process lives; /readyz answers 503 naming each check that fails: database,
migrations, field keys, fonts."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from cradle.ops import checks


def test_healthz_answers_without_asking_the_database(client, use_db, tmp_path):
    use_db(f"sqlite:///{tmp_path / 'never-created.db'}")
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert not (tmp_path / "never-created.db").exists()


def test_readyz_is_ready_on_a_migrated_database(client, use_db, svc_url):
    use_db(svc_url)
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json() == {"ready": True, "problems": []}


def test_readyz_names_a_database_never_set_up(client, use_db, db_url, tmp_path):
    use_db(db_url)  # empty: SQLite has no file yet, PostgreSQL no tables
    r = client.get("/readyz")
    assert r.status_code == 503
    problems = r.json()["problems"]
    assert [p["check"] for p in problems] == (["database"] if db_url.startswith("sqlite") else ["migrations"])
    assert "cradle init-db" in problems[0]["message"]


def test_readyz_names_the_migrations_a_database_lacks(client, use_db, svc_url):
    use_db(svc_url)
    engine = create_engine(svc_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = 'ops_0001'"))
    engine.dispose()
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["problems"] == [
        {
            "check": "migrations",
            "message": "数据库结构落后于本版本（缺 ops_0001）：请以属主角色运行 cradle init-db",
        }
    ]


@pytest.mark.postgres
def test_readyz_names_an_unreachable_database(client, use_db, pg_server):
    use_db(f"postgresql+psycopg://cradle@127.0.0.1:{pg_server.port + 1}/nowhere")  # nothing listens there
    r = client.get("/readyz")
    assert r.status_code == 503
    assert [p["check"] for p in r.json()["problems"]] == ["database"]


def test_readyz_names_missing_field_keys_in_production(client, use_db, svc_url, monkeypatch):
    use_db(svc_url)
    monkeypatch.setenv("CRADLE_ENV", "production")
    monkeypatch.delenv("CRADLE_FIELD_KEYS", raising=False)
    r = client.get("/readyz")
    assert r.status_code == 503
    assert [p["check"] for p in r.json()["problems"]] == ["field_keys"]
    assert "CRADLE_FIELD_KEYS" in r.json()["problems"][0]["message"]


def test_readyz_names_a_font_that_is_not_installed(client, use_db, svc_url, monkeypatch):
    use_db(svc_url)
    monkeypatch.setattr(checks, "PDF_FONT", "Cradle Missing Font Sans")
    r = client.get("/readyz")
    assert r.status_code == 503
    (problem,) = r.json()["problems"]
    assert problem["check"] == "fonts" and "Cradle Missing Font Sans" in problem["message"]
