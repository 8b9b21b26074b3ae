"""Backup and restore on both databases: every table comes back row for row; tampering is refused."""

import uuid
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from cradle.backup.crypto import new_key
from cradle.backup.service import backup, describe, restore, table_counts
from cradle.demo import init_database
from cradle.errors import Conflict, Invalid

KEY = new_key()


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.connect() as conn:
        out = {
            t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=repr) for t in meta.sorted_tables
        }
    engine.dispose()
    return out


def _empty_like(url: str, tmp_path: Path, request) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / ('restored-' + uuid.uuid4().hex[:6] + '.db')}"
    return request.getfixturevalue("pg_server").create_database("r_" + uuid.uuid4().hex[:10])


@pytest.fixture
def populated(db_url):
    """Every domain's schema, with the childcare demo facilities and their history in it."""
    from cradle.childcare.demo import load_demo
    from cradle.db import session_scope

    init_database(load_demo=False, url=db_url)
    with session_scope(db_url) as session:
        load_demo(session)
    assert sum(table_counts(db_url).values()) > 10
    return db_url


def test_restore_brings_back_every_table_row_for_row(populated, tmp_path, request):
    out = tmp_path / "cradle.bak"
    header = backup(populated, out, KEY)
    assert describe(out) == header and header["tables"] == table_counts(populated)
    assert b"alembic_version" not in out.read_bytes()[len(out.read_bytes()) // 2 :]  # the body is encrypted
    target = _empty_like(populated, tmp_path, request)
    restore(out, target, KEY)
    assert _rows(target) == _rows(populated)


def test_a_non_empty_target_is_refused_and_left_alone(populated, tmp_path):
    out = tmp_path / "cradle.bak"
    backup(populated, out, KEY)
    before = table_counts(populated)
    with pytest.raises(Conflict, match="not empty"):
        restore(out, populated, KEY)
    assert table_counts(populated) == before


@pytest.mark.parametrize("damage", ["wrong_key", "flipped_byte", "truncated"])
def test_tampered_or_truncated_backups_are_refused(damage, tmp_path):
    src = f"sqlite:///{tmp_path / 'src.db'}"
    init_database(load_demo=False, url=src)
    out = tmp_path / "cradle.bak"
    backup(src, out, KEY)
    data = bytearray(out.read_bytes())
    key = KEY
    if damage == "wrong_key":
        key = new_key()
    elif damage == "flipped_byte":
        data[-10] ^= 0x01
    else:
        data = data[:-20]
    out.write_bytes(bytes(data))
    target = tmp_path / "target.db"
    with pytest.raises(Invalid):
        restore(out, f"sqlite:///{target}", key)
    assert not target.exists()


def test_backups_need_a_key(tmp_path):
    src = f"sqlite:///{tmp_path / 'src.db'}"
    init_database(load_demo=False, url=src)
    with pytest.raises(Invalid):
        backup(src, tmp_path / "x.bak", None)
    assert not (tmp_path / "x.bak").exists()
