"""`cradle doctor`: checks a deployment; one line per problem, exit code 1 when there is any."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    def doctor(
        workers: int = typer.Option(
            None, min=1, help="The processes `cradle serve` will run (default CRADLE_WORKERS, or 1)."
        ),
    ) -> None:
        """Check this deployment: production settings (CRADLE_ENV=production), database, migrations, keys,
        fonts, workers, clock, disk and backups."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.config import get_settings
        from cradle.ops import checks

        settings = get_settings()
        problems = checks.doctor(settings, workers or settings.workers)
        for problem in problems:
            typer.echo(problem.line())
        if problems:
            raise typer.Exit(1)
        typer.echo(f"cradle doctor：检查全部通过（CRADLE_ENV={settings.env or 'development'}）")
