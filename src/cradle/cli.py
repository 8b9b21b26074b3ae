"""The `cradle` command. Each domain adds its commands in its own `cli` module, registered below."""

from __future__ import annotations

import importlib

import typer


def _missing_table(exc: Exception) -> bool:
    """A database that was never created, or not upgraded to this version's schema."""
    orig = getattr(exc, "orig", None)
    return "no such table" in str(orig) or getattr(orig, "sqlstate", None) == "42P01"


class _Cradle(typer.Typer):
    """Errors every command can meet (a full disk on export, a database not set up) in one line instead of a
    traceback."""

    def __call__(self, *args, **kwargs):
        from sqlalchemy.exc import DBAPIError

        from cradle.atomicfile import DiskFull

        try:
            return super().__call__(*args, **kwargs)
        except DiskFull as exc:
            typer.echo(f"error: {exc}", err=True)
            raise SystemExit(1) from None
        except DBAPIError as exc:
            if not _missing_table(exc):
                raise
            typer.echo(
                "error: 数据库尚未建立或未升级到本版本：请先运行 cradle init-db（CRADLE_DATABASE_URL 所指的库）"
                f"；{str(exc.orig).splitlines()[0]}",
                err=True,
            )
            raise SystemExit(1) from None


app = _Cradle(
    name="cradle",
    help="cradle: fertility-support policy as working software.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module exposes `register(app: typer.Typer) -> None`.
COMMAND_MODULES = [
    "cradle.policy.cli",
    "cradle.backup.cli",
    "cradle.services.cli",
    "cradle.web.cli",
    "cradle.childcare.cli",
    "cradle.monitoring.cli",
    "cradle.monitoring.report.cli",
    "cradle.registry.cli",
    "cradle.batch.cli",
    "cradle.auth.cli",
    "cradle.keys_cli",
    "cradle.jobs.cli",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


if __name__ == "__main__":
    app()
