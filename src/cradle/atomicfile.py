"""Exports appear whole or not at all: written to a temporary file beside the target, synced, renamed.

A full disk (ENOSPC), a file-size limit (EFBIG) or a quota (EDQUOT) becomes :class:`DiskFull`, naming the
target, after the temporary file is removed, so no half-written export is ever left where a reader (a bank,
an official, a script) could take it for a whole one. Any other error also removes the temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

SPACE_ERRORS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFull(OSError):
    """Reported by the `cradle` command in one line (exit 1), without a traceback (see cradle.cli)."""

    def __init__(self, target: Path, exc: OSError) -> None:
        self.message = (
            f"{target}: not written, the disk is full or the file is too large "
            f"({os.strerror(exc.errno)}); nothing was left behind"
        )
        super().__init__(exc.errno, self.message)
        self.target = Path(target)

    def __str__(self) -> str:
        return self.message


def is_space_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in SPACE_ERRORS


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yields a temporary path in the target's directory; renames it onto the target if the block succeeds."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if is_space_error(exc):
            raise DiskFull(target, exc) from exc
        raise


@contextlib.contextmanager
def atomic_open(target: str | Path, mode: str = "w", **kwargs):
    """``open(target, mode)`` for writing, through :func:`atomic_path`."""
    with atomic_path(target) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh
        fh.flush()


def write_bytes(target: str | Path, data: bytes) -> Path:
    with atomic_open(target, "wb") as fh:
        fh.write(data)
    return Path(target)


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    with atomic_open(target, "w", encoding=encoding) as fh:
        fh.write(text)
    return Path(target)
