"""Exports onto a full disk: each `cradle` export command must fail with a clear error and leave no file.

The disk: a small tmpfs almost filled by a filler file (as root, which CI is), so writes fail with ENOSPC
as on a real full volume. Without root, the export runs under a file-size limit (``RLIMIT_FSIZE``), so its
writes fail with EFBIG — the same code path. The database lives elsewhere and is only read.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cradle.backup.crypto import new_key
from cradle.ops.logs import is_record

FREE = 4096  # bytes left on the small disk: less than any export below


@contextlib.contextmanager
def small_disk() -> Iterator[tuple[Path, str]]:
    """A directory with ~FREE bytes free, and how it was made ("tmpfs" or "rlimit")."""
    base = Path(tempfile.mkdtemp(prefix="cradle-full-"))
    mounted = False
    try:
        if os.geteuid() == 0:
            mounted = (
                subprocess.run(
                    ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(base)], capture_output=True
                ).returncode
                == 0
            )
        if mounted:
            filler = base / "filler"
            with filler.open("wb") as fh, contextlib.suppress(OSError):
                fh.write(b"\0" * (64 * 1024 - FREE))
        yield base, "tmpfs" if mounted else "rlimit"
    finally:
        if mounted:
            subprocess.run(["umount", str(base)], capture_output=True)
        for p in base.iterdir() if base.exists() else []:
            p.unlink() if p.is_file() else None
        with contextlib.suppress(OSError):
            base.rmdir()


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FREE, FREE))


@dataclass
class Attempt:
    command: str
    exit_code: int
    message: str  # the error's last line
    left_behind: list[str]  # files in the export directory after the failure (must be empty)

    @property
    def clean(self) -> bool:
        return (
            self.exit_code != 0
            and not self.left_behind
            and "Traceback" not in self.message
            and ("disk is full" in self.message)
        )


def attempt(args: list[str], directory: Path, mode: str, env: dict, before: set[str]) -> Attempt:
    proc = subprocess.run(
        [sys.executable, "-m", "cradle.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_limit if mode == "rlimit" else None,
        timeout=600,
    )
    err = (proc.stderr or proc.stdout).strip()
    left = sorted(p.name for p in directory.iterdir() if p.name not in before)
    said = [line for line in err.splitlines() if not is_record(line)]  # not the command's JSON job line
    last = said[-1] if said else ""
    return Attempt(" ".join(args[:2]), proc.returncode, last if "Traceback" not in err else err[-400:], left)


def commands(out: Path) -> list[list[str]]:
    """Every export `cradle` can run against an empty migrated database."""
    return [
        ["backup", str(out / "cradle.bak")],
        ["monitoring", "template", str(out / "entry.xlsx"), "--region", "370303", "--year", "2024"],
        ["report", "--region", "370303", "--year", "2024", "--out", str(out), "--html-only"],
        [
            "monitoring",
            "project",
            "--region",
            "370303",
            "--years",
            "60",
            "--base-date",
            "2024-01-01",
            "--out",
            str(out / "projection.json"),
        ],
    ]


def run(url: str) -> list[Attempt]:
    """Every export of :func:`commands` onto a full disk, against the migrated database at ``url``."""
    env = dict(os.environ, CRADLE_DATABASE_URL=url, CRADLE_BACKUP_KEY=new_key())
    out = []
    with small_disk() as (directory, mode):
        before = {p.name for p in directory.iterdir()}
        for args in commands(directory):
            out.append(attempt(args, directory, mode, env, before))
    return out
