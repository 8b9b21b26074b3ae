"""Exports onto a full disk: a one-line error naming the file, exit status 1, and no file left behind."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

from cradle import atomicfile
from cradle.backup.crypto import new_key
from cradle.reliability import diskfull

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `from payments.helpers import …`


@pytest.mark.slow
def test_every_export_command_on_a_full_disk(migrated_sqlite):
    attempts = diskfull.run(migrated_sqlite)
    assert len(attempts) == len(diskfull.commands(Path("/x")))
    for a in attempts:
        assert a.exit_code == 1, (a.command, a.message)
        assert a.left_behind == [], a.command
        assert "Traceback" not in a.message and "disk is full" in a.message, a.message


def test_the_same_commands_write_their_files_when_there_is_room(migrated_sqlite, tmp_path):
    """The failure above is the disk's, not a broken command."""
    env = dict(os.environ, CRADLE_DATABASE_URL=migrated_sqlite, CRADLE_BACKUP_KEY=new_key())
    for args in diskfull.commands(tmp_path):
        a = diskfull.attempt(args, tmp_path, "tmpfs", env, set())
        assert a.exit_code == 0, (a.command, a.message)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"cradle.bak", "entry.xlsx", "projection.json"} <= names and not any(
        n.endswith(".part") for n in names
    )


def test_atomic_write_keeps_the_old_file_and_removes_the_part(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old")

    class Full:
        def write(self, _):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with (
        pytest.raises(atomicfile.DiskFull, match="out.csv: not written, the disk is full"),
        atomicfile.atomic_path(target) as tmp,
    ):
        assert tmp.parent == tmp_path
        Full().write(b"x")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with (
        pytest.raises(KeyError),
        atomicfile.atomic_open(target, "w") as fh,
    ):  # other errors: no part file either
        fh.write("half")
        raise KeyError("x")
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1
    atomicfile.write_text(target, "new")
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 1


@pytest.fixture
def full_dir():
    with diskfull.small_disk() as (directory, mode):
        if mode != "tmpfs":
            pytest.skip("in-process ENOSPC needs a tmpfs (root); the rlimit path is covered by the CLI test")
        yield directory


def test_bank_file_on_a_full_disk(svc_url, full_dir):
    from sqlalchemy import select

    from cradle.db import session_scope
    from cradle.payments import bankfile, batches
    from cradle.payments.models import Batch
    from payments.helpers import COUNTY, add_entitlements
    from services.helpers import finance

    with session_scope(svc_url) as s:
        add_entitlements(s, 120)
        batch_no = batches.generate(s, finance, "baiyin.childcare_allowance", "2025-07", COUNTY).batch_no
    with pytest.raises(atomicfile.DiskFull), session_scope(svc_url) as s:
        bankfile.export(s, finance, batch_no, full_dir / "bank.csv")
    assert sorted(p.name for p in full_dir.iterdir()) == ["filler"]
    with session_scope(svc_url) as s:  # the batch was not marked exported
        assert s.execute(select(Batch.status).where(Batch.batch_no == batch_no)).scalar_one() == "draft"
