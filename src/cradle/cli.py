"""The `cradle` command. Each domain adds its commands in its own `cli` module, registered below."""

from __future__ import annotations

import importlib
import logging
import sys
import time

import typer


def _missing_table(exc: Exception) -> bool:
    """A database that was never created, or not upgraded to this version's schema."""
    orig = getattr(exc, "orig", None)
    return "no such table" in str(orig) or getattr(orig, "sqlstate", None) == "42P01"


class _Cradle(typer.Typer):
    """Errors every command can meet (a full disk on export, a database not set up) in one line instead of a
    traceback; logs as JSON lines on standard error, and one line per command run (a job): its command, exit
    code and duration, never its arguments (an ID number may be one)."""

    def __call__(self, *args, **kwargs):
        from cradle.ops import logs

        logs.configure()
        job, start, code = _command_name(self, sys.argv[1:]), time.perf_counter(), 1
        try:
            code = self._run(*args, **kwargs)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            raise
        finally:
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

    def _run(self, *args, **kwargs):
        from sqlalchemy.exc import DBAPIError

        from cradle.atomicfile import DiskFull

        try:
            super().__call__(*args, **kwargs)
            return 0
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


def _command_name(app: typer.Typer, argv: list[str]) -> str:
    """The command words of `argv` (`services proactive`), without its arguments and options."""
    words = []
    for word in argv:
        groups = {g.name: g.typer_instance for g in app.registered_groups}
        commands = {
            c.name or typer.main.get_command_name(c.callback.__name__) for c in app.registered_commands
        }
        if word in groups:
            words.append(word)
            app = groups[word]
        elif word in commands:
            words.append(word)
            break
        else:
            break
    return " ".join(words) or "cradle"


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
    "cradle.ops.cli",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


if __name__ == "__main__":
    app()
