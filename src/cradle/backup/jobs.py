"""The nightly backup job (registered in cradle.jobs.registry): `cradle backup` into CRADLE_BACKUP_DIR (default
`<data_dir>/backups`) as `cradle-<UTC time>.bak`, keeping the newest CRADLE_BACKUP_KEEP (default 14) of them.
Only files of that name are ever removed, and only after the new one is written whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cradle.backup.service import backup as write_backup
from cradle.config import get_settings
from cradle.jobs.registry import JobContext

PATTERN = "cradle-*.bak"


def backup_dir() -> Path:
    return get_settings().backup_dir or get_settings().data_dir / "backups"


def backup(ctx: JobContext) -> dict:
    keep_text = get_settings().backup_keep_text
    if not keep_text.isdigit() or int(keep_text) < 1:
        raise ValueError(f"CRADLE_BACKUP_KEEP={keep_text!r}: the number of backups to keep (1 or more)")
    keep = int(keep_text)
    folder = backup_dir()
    out = folder / f"cradle-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.bak"
    header = write_backup(ctx.url, out, get_settings().backup_key or None)
    older = sorted(folder.glob(PATTERN))[:-keep]
    for path in older:
        path.unlink()
    return {
        "file": out.name,
        "bytes": out.stat().st_size,
        "tables": len(header["tables"]),
        "rows": sum(header["tables"].values()),
        "removed": len(older),
    }
