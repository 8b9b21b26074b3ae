"""`cradle serve` and `cradle init-db`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = "127.0.0.1",
        port: int = 8000,
        reload: bool = False,
        workers: int = typer.Option(
            None, min=1, help="Processes, given connections in turn (default CRADLE_WORKERS, or 1)."
        ),
        access_log: bool = typer.Option(True, help="One JSON line per request (without it: only 5xx)."),
        metrics_port: int = typer.Option(
            None, help="Also serve /metrics alone on this port (no token asked: keep it off the internet)."
        ),
        metrics_host: str = typer.Option("127.0.0.1", help="The address of --metrics-port."),
    ) -> None:
        """Serve the web app and the JSON API."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.config import get_settings
        from cradle.ops import logs, multiproc

        workers = workers or get_settings().workers
        multiproc.prepare(port)  # before anything imports prometheus-client: the workers share its files
        metrics_server = None
        if metrics_port:
            # deferred: `cradle --help` imports every command module; the command's work loads when it runs
            from cradle.ops.metrics import serve_port

            try:
                metrics_server = serve_port(metrics_host, metrics_port)
            except OSError as exc:
                raise typer.BadParameter(
                    f"{metrics_host}:{metrics_port} cannot be served: {exc.strerror}",
                    param_hint="--metrics-port",
                ) from exc
        # uvicorn's access log writes raw paths and query strings; cradle.request writes route templates
        options = {"log_level": "info", "access_log": False, "log_config": logs.config(access_log)}
        try:
            if workers == 1 or reload:
                import uvicorn

                uvicorn.run(
                    "cradle.web.app:serve_app", factory=True, host=host, port=port, reload=reload, **options
                )
                return
            # deferred: `cradle --help` imports every command module; the command's work loads when it runs
            from cradle.web.serving import serve as serve_workers

            try:
                code = serve_workers("cradle.web.app:serve_app", host, port, workers, **options)
            except OSError as exc:
                raise typer.BadParameter(
                    f"{host}:{port} cannot be served: {exc.strerror}", param_hint="--port"
                ) from exc
            raise typer.Exit(code)
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()

    @app.command("i18n-update")
    def i18n_update() -> None:
        """Extract the web app's messages into its zh and en catalogues; list what still needs translating."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.web.i18n_catalogues import update

        for locale, missing in update().items():
            typer.echo(f"{locale}: {len(missing)} untranslated")
            for message in missing:
                typer.echo(f"  {message}")

    @app.command("init-db")
    def init_db(demo: bool = typer.Option(True, help="Load demo data when the database is new.")) -> None:
        """Create or upgrade the database; load demo data into a new one."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.demo import init_database

        created = init_database(load_demo=demo)
        typer.echo("database created" if created else "database up to date")
