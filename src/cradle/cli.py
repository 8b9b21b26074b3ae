"""The `cradle` command. Each domain adds its commands in its own `cli` module, registered below."""

from __future__ import annotations

import importlib

import typer


class _Cradle(typer.Typer):
    """Errors every command can meet (a full disk on export) in one line instead of a traceback."""

    def __call__(self, *args, **kwargs):
        from cradle.atomicfile import DiskFull

        try:
            return super().__call__(*args, **kwargs)
        except DiskFull as exc:
            typer.echo(f"error: {exc}", err=True)
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
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


if __name__ == "__main__":
    app()
