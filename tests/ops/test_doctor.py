"""`cradle doctor` refuses an unsafe production configuration, one line per problem and exit code 1, and passes
a sound one."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from cradle.backup.crypto import new_key
from cradle.backup.service import backup
from cradle.cli import app
from cradle.config import get_settings
from cradle.fieldcrypt import new_key as new_field_key
from cradle.ops import checks

SECRET = "a-long-random-secret-for-this-county-0123456789"


def _production(monkeypatch, tmp_path, url: str) -> dict:
    """A sound production configuration over the migrated database at `url`, with a fresh backup."""
    backup_key = new_key()
    env = {
        "CRADLE_ENV": "production",
        "CRADLE_DATABASE_URL": url,
        "CRADLE_SECRET_KEY": SECRET,
        "CRADLE_FIELD_KEYS": f"k1:{new_field_key()}",
        "CRADLE_BACKUP_KEY": backup_key,
        "CRADLE_DATA_DIR": str(tmp_path / "var"),
        "CRADLE_BACKUP_DIR": str(tmp_path / "backups"),
        "CRADLE_MIN_FREE_DISK_MB": "1",
        "CRADLE_PUBLIC_URL": "https://cradle.example.gov.cn",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("CRADLE_WORKERS", raising=False)
    monkeypatch.delenv("CRADLE_INSECURE_COOKIES", raising=False)
    backup(url, tmp_path / "backups" / "cradle-today.bak", backup_key)
    return env


@pytest.fixture
def production(monkeypatch, tmp_path, svc_sqlite_url):
    return _production(monkeypatch, tmp_path, svc_sqlite_url)


def doctor(*args: str):
    result = CliRunner().invoke(app, ["doctor", *args])
    return result.exit_code, result.stdout.splitlines()


def test_a_sound_production_deployment_passes(production):
    code, lines = doctor()
    assert code == 0, lines
    assert lines == ["cradle doctor：检查全部通过（CRADLE_ENV=production）"]


def test_the_development_secret_key_is_refused(production, monkeypatch):
    monkeypatch.delenv("CRADLE_SECRET_KEY")
    code, lines = doctor()
    assert code == 1
    assert lines == ["secret_key: CRADLE_SECRET_KEY 仍是开发用默认值：生产环境须设置随机密钥"]


def test_the_development_field_key_is_refused(production, monkeypatch):
    monkeypatch.delenv("CRADLE_FIELD_KEYS")
    code, lines = doctor()
    assert code == 1
    assert lines == ["field_keys: CRADLE_FIELD_KEYS is not set: production refuses the development field key"]


def test_the_development_defaults_are_each_named(production, monkeypatch):
    for name in ("CRADLE_SECRET_KEY", "CRADLE_FIELD_KEYS", "CRADLE_BACKUP_KEY", "CRADLE_PUBLIC_URL"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("CRADLE_INSECURE_COOKIES", "1")
    code, lines = doctor()
    assert code == 1
    assert [line.split(":")[0] for line in lines] == [
        "secret_key",
        "backup_key",
        "public_url",
        "cookies",
        "field_keys",
    ]


def test_outside_production_the_development_defaults_are_allowed(production, monkeypatch):
    monkeypatch.setenv("CRADLE_ENV", "development")
    monkeypatch.delenv("CRADLE_SECRET_KEY")
    monkeypatch.delenv("CRADLE_FIELD_KEYS")
    assert doctor() == (0, ["cradle doctor：检查全部通过（CRADLE_ENV=development）"])


@pytest.mark.postgres
def test_a_sound_deployment_on_postgresql_passes_with_several_workers(monkeypatch, tmp_path, svc_pg_url):
    _production(monkeypatch, tmp_path, svc_pg_url)
    monkeypatch.setenv("CRADLE_WORKERS", "4")
    assert doctor() == (0, ["cradle doctor：检查全部通过（CRADLE_ENV=production）"])


def test_sqlite_with_several_workers_is_refused(production, monkeypatch):
    code, lines = doctor("--workers", "4")
    assert code == 1
    assert lines == [
        "workers: SQLite 数据库不能由 4 个进程同时写入：请改用 PostgreSQL，或设 CRADLE_WORKERS=1"
    ]
    monkeypatch.setenv("CRADLE_WORKERS", "2")  # what `cradle serve` would start without --workers
    assert doctor()[0] == 1


def test_migrations_behind_are_refused(production, svc_sqlite_url):
    engine = create_engine(svc_sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = 'ops_0001'"))
    engine.dispose()
    code, lines = doctor()
    assert code == 1
    assert lines == ["migrations: 数据库结构落后于本版本（缺 ops_0001）：请以属主角色运行 cradle init-db"]


def test_missing_fonts_are_refused(production, monkeypatch):
    monkeypatch.setattr(checks, "PDF_FONT", "Cradle Missing Font Sans")
    code, lines = doctor()
    assert code == 1
    assert lines == [
        "fonts: 未安装 PDF 报告所用字体 Cradle Missing Font Sans：apt-get install fonts-noto-cjk"
    ]


def test_low_disk_is_refused(production, monkeypatch):
    monkeypatch.setenv("CRADLE_MIN_FREE_DISK_MB", str(2**40))  # a petabyte and more: no disk here has it
    code, lines = doctor()
    assert code == 1 and lines and all(line.startswith("disk: ") for line in lines)
    assert "CRADLE_MIN_FREE_DISK_MB" in lines[0]


def test_a_missing_backup_is_refused(production, tmp_path):
    (tmp_path / "backups" / "cradle-today.bak").unlink()
    (tmp_path / "backups" / "notes.txt").write_text("not a backup")
    code, lines = doctor()
    assert code == 1
    assert lines == [
        f"backup: {tmp_path / 'backups'} 中没有 cradle backup 写的备份：检查备份定时任务（CRADLE_BACKUP_DIR）"
    ]


def test_an_old_backup_is_refused(production):
    settings = get_settings()
    assert checks.backups(settings) == []
    later = time.time() + 30 * 3600  # the same backup, seen 30 hours on
    (problem,) = checks.backups(settings, now=lambda: later)
    assert problem.check == "backup" and "cradle-today.bak 已有 30 小时" in problem.message


def test_a_clock_never_set_is_refused(production):
    never_set = dt.datetime(2001, 1, 1, tzinfo=dt.UTC).timestamp()
    (problem,) = checks.clock(get_settings().database_url, now=lambda: never_set)
    assert problem.check == "clock" and "2001-01-01" in problem.message


@pytest.mark.postgres
def test_a_clock_far_from_the_database_servers_is_refused(pg_url):
    assert checks.clock(pg_url) == []
    (problem,) = checks.clock(pg_url, now=lambda: time.time() + 3600)
    assert problem.check == "clock" and "-3600" in problem.message
