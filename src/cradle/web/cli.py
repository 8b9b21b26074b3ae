"""`cradle serve` and `cradle init-db`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = "127.0.0.1",
        port: int = 8000,
        reload: bool = False,
        workers: int = typer.Option(1, min=1, help="Processes, each with its own listening socket."),
        access_log: bool = typer.Option(True, help="Log each request (method, path, status)."),
    ) -> None:
        """Serve the web app and the JSON API."""
        import uvicorn

        options = {"log_level": "info", "access_log": access_log}
        if workers == 1 or reload:
            uvicorn.run(
                "cradle.web.app:serve_app", factory=True, host=host, port=port, reload=reload, **options
            )
            return
        from cradle.web.serving import serve as serve_workers

        try:
            code = serve_workers("cradle.web.app:serve_app", host, port, workers, **options)
        except OSError as exc:
            raise typer.BadParameter(
                f"{host}:{port} cannot be served: {exc.strerror}", param_hint="--port"
            ) from exc
        raise typer.Exit(code)

    @app.command("i18n-update")
    def i18n_update() -> None:
        """Extract the web app's messages into its zh and en catalogues; list what still needs translating."""
        from cradle.web.i18n_catalogues import update

        for locale, missing in update().items():
            typer.echo(f"{locale}: {len(missing)} untranslated")
            for message in missing:
                typer.echo(f"  {message}")

    @app.command("init-db")
    def init_db(demo: bool = typer.Option(True, help="Load demo data when the database is new.")) -> None:
        """Create or upgrade the database; load demo data into a new one."""
        from cradle.demo import init_database

        created = init_database(load_demo=demo)
        typer.echo("database created" if created else "database up to date")
