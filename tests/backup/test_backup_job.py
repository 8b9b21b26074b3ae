"""The backup job: a new encrypted backup in CRADLE_BACKUP_DIR each run, the newest CRADLE_BACKUP_KEEP kept, and a
missing key failing the run with the reason (and removing nothing)."""

from __future__ import annotations

import datetime as dt

import pytest

from cradle.backup.crypto import new_key
from cradle.backup.jobs import backup
from cradle.backup.service import describe
from cradle.jobs import runner
from cradle.jobs.registry import JobContext


def test_backups_are_written_and_the_oldest_removed(svc_sqlite_url, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"):
        (folder / f"cradle-{stamp}.bak").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    monkeypatch.setenv("CRADLE_BACKUP_DIR", str(folder))
    monkeypatch.setenv("CRADLE_BACKUP_KEY", new_key())
    monkeypatch.setenv("CRADLE_BACKUP_KEEP", "2")
    summary = backup(JobContext(url=svc_sqlite_url, today=dt.date.today()))
    assert summary["removed"] == 2 and summary["rows"] > 0 and summary["tables"] > 10
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["cradle-20250103T000000Z.bak", summary["file"], "notes.txt"]
    assert describe(folder / summary["file"])["kind"] == "sqlite"


def test_a_missing_key_fails_the_run_and_removes_nothing(svc_sqlite_url, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "cradle-20250101T000000Z.bak").write_bytes(b"old")
    monkeypatch.setenv("CRADLE_BACKUP_DIR", str(folder))
    monkeypatch.delenv("CRADLE_BACKUP_KEY", raising=False)
    record = runner.run("backup", svc_sqlite_url)
    assert record.result == "failed" and "CRADLE_BACKUP_KEY" in record.error
    assert [p.name for p in folder.iterdir()] == ["cradle-20250101T000000Z.bak"]


@pytest.mark.parametrize("keep", ["0", "x"])
def test_a_bad_keep_count_is_refused(svc_sqlite_url, tmp_path, monkeypatch, keep):
    tmp_path = tmp_path / "backups"
    monkeypatch.setenv("CRADLE_BACKUP_DIR", str(tmp_path))
    monkeypatch.setenv("CRADLE_BACKUP_KEY", new_key())
    monkeypatch.setenv("CRADLE_BACKUP_KEEP", keep)
    with pytest.raises(ValueError, match="CRADLE_BACKUP_KEEP"):
        backup(JobContext(url=svc_sqlite_url, today=dt.date.today()))
    assert not tmp_path.exists()
