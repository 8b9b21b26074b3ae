"""`cradle backup` and `cradle restore`. A refused key, file or target (`cradle.errors`) is answered by the
`cradle` command in one line."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cradle.errors import N_, Invalid


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup_cmd(
        out: Path = typer.Argument(None, help="file to write, e.g. backups/cradle-2026-11-23.bak"),
        new_key: bool = typer.Option(False, "--new-key", help="print a new CRADLE_BACKUP_KEY and stop"),
    ) -> None:
        """Encrypted backup of the whole database (key: CRADLE_BACKUP_KEY)."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.backup.crypto import new_key as make_key
        from cradle.backup.service import backup
        from cradle.config import get_settings

        if new_key:
            typer.echo(make_key())
            return
        if out is None:
            raise Invalid("OUT", N_("give the backup file to write"))
        header = backup(get_settings().database_url, out, get_settings().backup_key or None)
        typer.echo(
            f"{out}: {header['kind']}, {len(header['tables'])} tables, {sum(header['tables'].values())} rows"
        )

    @app.command("restore")
    def restore_cmd(
        path: Path = typer.Argument(..., exists=True, dir_okay=False, help="a file written by cradle backup"),
        info: bool = typer.Option(False, "--info", help="show the backup's header and stop"),
    ) -> None:
        """Restore a backup into the (empty) database of CRADLE_DATABASE_URL."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.backup.service import describe, restore
        from cradle.config import get_settings

        if info:
            typer.echo(json.dumps(describe(path), ensure_ascii=False, indent=2))
            return
        header = restore(path, get_settings().database_url, get_settings().backup_key or None)
        typer.echo(f"restored {len(header['tables'])} tables, {sum(header['tables'].values())} rows")
