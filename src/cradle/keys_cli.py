"""`cradle keys new` and `cradle keys rotate`: the field-encryption keyring (cradle.fieldcrypt)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    keys = typer.Typer(
        help="Field-encryption keys for ID and phone numbers (CRADLE_FIELD_KEYS).", no_args_is_help=True
    )
    app.add_typer(keys, name="keys")

    @keys.command("new")
    def new_cmd(key_id: str = typer.Argument(..., help="the new key's id, e.g. k2")) -> None:
        """Print a new `id:key` entry; put it first in CRADLE_FIELD_KEYS, then run `cradle keys rotate`."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.fieldcrypt import FieldKeyError, new_key, parse_keys

        entry = f"{key_id}:{new_key()}"
        try:
            parse_keys(entry)
        except FieldKeyError as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        typer.echo(entry)

    @keys.command("rotate")
    def rotate_cmd(batch: int = typer.Option(1000, min=1, help="rows per committed batch")) -> None:
        """Re-encrypt every encrypted column under the current key (resumable; each column audited)."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.db import get_engine
        from cradle.fieldcrypt import FieldIntegrityError, FieldKeyError
        from cradle.keyrotation import rotate

        try:
            report = rotate(
                get_engine(), batch=batch, progress=lambda col, n: typer.echo(f"{col}: {n} rows re-encrypted")
            )
        except (FieldKeyError, FieldIntegrityError) as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        typer.echo(
            f"every encrypted column is under key {report.key} ({report.algorithm}): "
            f"{sum(report.columns.values())} rows rewritten"
        )
