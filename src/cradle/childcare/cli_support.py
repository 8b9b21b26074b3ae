"""What the `cradle facilities …` commands share (`cli` and `cli_desk`): a session on the configured database,
and the one-line exit for an input the domain refused."""

from __future__ import annotations

import typer

from cradle.config import get_settings
from cradle.db import session_scope


def open_session():
    return session_scope(get_settings().database_url)


def fail(exc: Exception) -> None:
    field = getattr(exc, "field", None)
    typer.echo(f"错误：{field + '：' if field else ''}{getattr(exc, 'message', str(exc))}", err=True)
    raise typer.Exit(2)
