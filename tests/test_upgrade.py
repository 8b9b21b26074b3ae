"""`cradle init-db` upgrades a populated database of the previous release (558edc1) and keeps every row readable.

The fixture (tests/fixtures/upgrade/, made by its make.sh under that release) is the release's demo database with
a row in every table, pruned to a few hundred persons, as a SQLite file and as a plain pg_dump of the same rows
on PostgreSQL at that release's schema, with the release's own manifest: row counts and a digest of every
encrypted column as that release decrypted it. After today's `cradle init-db`, the counts are the same, today's
tables exist, today's code decrypts every encrypted column to the same values, lookups by encrypted ID number
still find their row, and the audit chains still verify.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from cradle.db import get_engine, session_scope
from cradle.testing.postgres import _pg_bin

RELEASE = "558edc1"
FIXTURE = Path(__file__).parent / "fixtures" / "upgrade"
CRADLE = Path(sys.executable).with_name("cradle")


def _manifest_module():
    spec = importlib.util.spec_from_file_location("upgrade_manifest", FIXTURE / "manifest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


manifest = _manifest_module()
EXPECTED = json.loads((FIXTURE / f"release-{RELEASE}.json").read_text(encoding="utf-8"))
FIELD_KEYS = json.loads((FIXTURE / "keys.json").read_text(encoding="utf-8"))["field_keys"]


def _sqlite_copy(tmp_path: Path) -> str:
    target = tmp_path / "release.db"
    target.write_bytes(gzip.decompress((FIXTURE / f"release-{RELEASE}.sqlite.gz").read_bytes()))
    return f"sqlite:///{target}"


def _postgres_copy(pg_url: str) -> str:
    u = make_url(pg_url)
    subprocess.run(
        [_pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", u.host, "-p", str(u.port), "-U", u.username]
        + ["-d", u.database],
        input=gzip.decompress((FIXTURE / f"release-{RELEASE}.pg.sql.gz").read_bytes()),
        check=True,
        capture_output=True,
    )
    return pg_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def release_db(request, tmp_path, monkeypatch) -> str:
    """A copy of the previous release's populated database, with its field keys in the environment."""
    monkeypatch.setenv("CRADLE_FIELD_KEYS", FIELD_KEYS)
    if request.param == "sqlite":
        return _sqlite_copy(tmp_path)
    return _postgres_copy(request.getfixturevalue("pg_url"))


def test_fixture_is_small_and_has_rows_in_every_table():
    sizes = sum(p.stat().st_size for p in FIXTURE.glob(f"release-{RELEASE}.*"))
    assert sizes < 2_000_000
    empty = [t for t, n in EXPECTED["counts"].items() if n == 0]
    assert empty == []


def test_init_db_upgrades_the_previous_release_and_keeps_every_row_readable(release_db, tmp_path):
    from cradle import audit
    from cradle.auth.models import Account
    from cradle.models import Base
    from cradle.registry.models import Person

    before = manifest.table_counts(release_db)
    assert before == EXPECTED["counts"]  # the fixture loaded whole

    env = {**os.environ, "CRADLE_DATABASE_URL": release_db, "CRADLE_DATA_DIR": str(tmp_path / "var")}
    done = subprocess.run([str(CRADLE), "init-db"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "database up to date"  # upgraded in place, no demo data loaded over it

    after = manifest.table_counts(release_db)
    # tables a later migration folds into another, with the table that holds their rows now
    folded = {
        "monitoring_measure_update": "monitoring_plan_report"
    }  # monitoring_0002: updates become reports
    kept = {t: after.get(t) for t in before if t != "alembic_version" and t not in folded}
    assert kept == {t: n for t, n in before.items() if t != "alembic_version" and t not in folded}
    for old, new in folded.items():
        assert old not in after and after[new] >= before[old]
    assert set(Base.metadata.tables) - set(after) == set()  # today's tables were made

    columns = {}
    for key in EXPECTED["encrypted"]:
        table, column = key.split(".")
        columns.setdefault(table, []).append(column)
    assert manifest.encrypted_digests(release_db, columns) == EXPECTED["encrypted"]

    mother_id, mother_phone = EXPECTED["samples"]["auth_account"][0][2:]
    person_ids = [row[1] for row in EXPECTED["samples"]["registry_person"]]
    with session_scope(release_db) as s:
        mother = s.execute(select(Account).where(Account.username == mother_id)).scalar_one()
        assert (mother.id_number, mother.phone) == (mother_id, mother_phone)
        found = s.execute(select(Person.id_number).where(Person.id_number.in_(person_ids))).scalars().all()
        assert sorted(found) == sorted(person_ids)
        assert audit.verify(s).ok
    get_engine(release_db).dispose()
