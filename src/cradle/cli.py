"""The `cradle` command. Each domain adds its commands in its own `cli` module, registered below."""

from __future__ import annotations

import importlib
import logging
import sys
import time

import click
import typer
from sqlalchemy.exc import DBAPIError
from typer.core import TyperGroup

from cradle.atomicfile import DiskFull
from cradle.errors import DomainError


def _missing_table(exc: Exception) -> bool:
    """A database that was never created, or not upgraded to this version's schema."""
    orig = getattr(exc, "orig", None)
    return "no such table" in str(orig) or getattr(orig, "sqlstate", None) == "42P01"


class _Commands(TyperGroup):
    """Errors every command can meet, each in one line instead of a traceback: a refusal of the domain code
    (`cradle.errors`: exit 2 for bad input, 1 otherwise, naming the field), a full disk on export, a database not
    set up."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DomainError as exc:
            for problem in exc.items():  # "members[2].birth_date: …": the field first, as the README shows
                typer.echo(str(problem) if problem.field else f"error: {problem}", err=True)
            ctx.exit(2 if exc.bad_input else 1)
        except DiskFull as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except DBAPIError as exc:
            if not _missing_table(exc):
                raise
            typer.echo(
                "error: 数据库尚未建立或未升级到本版本：请先运行 cradle init-db（CRADLE_DATABASE_URL 所指的库）"
                f"；{str(exc.orig).splitlines()[0]}",
                err=True,
            )
            ctx.exit(1)


class _Cradle(typer.Typer):
    """The `cradle` process: logs as JSON lines on standard error, and one line per command run (a job run by
    a timer, or a command whose standard error is not a terminal): its command, exit code and duration, never its
    arguments (an ID number may be one)."""

    def __call__(self, *args, **kwargs):
        # deferred: only a real process configures logging (not CliRunner's tests)
        from cradle.ops import logs

        logs.configure()
        job, start, code = _command_name(self, sys.argv[1:]), time.perf_counter(), 1
        try:
            super().__call__(*args, **kwargs)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            raise
        finally:
            if not sys.stderr.isatty():
                logging.getLogger("cradle.job").log(
                    logging.INFO if code == 0 else logging.ERROR,
                    "%s exited with %s",
                    job,
                    code,
                    extra={
                        "job": job,
                        "exit_code": code,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    },
                )


def _command_name(app: typer.Typer, argv: list[str]) -> str:
    """The command words of `argv` (`services proactive`), without its arguments and options."""
    command = typer.main.get_command(app)
    words = []
    for word in argv:
        command = getattr(command, "commands", {}).get(word)
        if command is None:
            break
        words.append(word)
    return " ".join(words) or "cradle"


app = _Cradle(
    cls=_Commands,
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
    "cradle.health.cli",
    "cradle.keys_cli",
    "cradle.ops.cli",
    "cradle.jobs.cli",
    "cradle.assistance.cli",
    "cradle.params.cli",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


if __name__ == "__main__":
    app()
