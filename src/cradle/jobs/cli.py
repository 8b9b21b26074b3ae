"""`cradle jobs list | run NAME | systemd --out DIR`."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import typer

from cradle.jobs.systemd import SKIPPED


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


def register(app: typer.Typer) -> None:
    jobs_app = typer.Typer(
        help="Scheduled jobs: list, run one (under its lock), systemd units.", no_args_is_help=True
    )
    app.add_typer(jobs_app, name="jobs")

    @jobs_app.command("list")
    def list_cmd(as_json: bool = typer.Option(False, "--json", help="one JSON object per job")) -> None:
        """Each job's schedule, last run and result, and next run (the host's local time)."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.config import get_settings
        from cradle.jobs.runner import status
        from cradle.jobs.schedule import ScheduleError
        from cradle.web.i18n import gettext

        settings = get_settings()
        try:
            rows = status(settings.database_url)
        except ScheduleError as exc:
            typer.echo(f"错误 {exc}", err=True)
            raise typer.Exit(2) from None
        if as_json:
            for r in rows:
                last = r.last
                typer.echo(
                    json.dumps(
                        {
                            "name": r.name,
                            "schedule": r.schedule,
                            "last_started": r.last_started.isoformat() if r.last_started else None,
                            "last_result": last.result if last else None,
                            "seconds": r.seconds,
                            "summary": last.summary if last else None,
                            "error": last.error if last else None,
                            "last_ok": r.last_ok.isoformat() if r.last_ok else None,
                            "next_run": r.next_run.isoformat(),
                        },
                        ensure_ascii=False,
                    )
                )
            return
        header = ("作业", "计划 (OnCalendar)", "上次运行", "结果", "用时", "下次运行", "说明")
        table = [header]
        for r in rows:
            table.append(
                (
                    r.name,
                    r.schedule,
                    _when(r.last_started),
                    r.last.result if r.last else "—",
                    f"{r.seconds:.1f}s" if r.seconds is not None else "—",
                    _when(r.next_run),
                    gettext(settings.default_locale, r.title),
                )
            )
        widths = [max(_width(row[i]) for row in table) for i in range(len(header) - 1)]
        for row in table:
            cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=False)]
            typer.echo("  ".join([*cells, row[-1]]))

    @jobs_app.command("run")
    def run_cmd(
        name: str,
        scheduled: bool = typer.Option(
            False, "--scheduled", help="as the timer runs it: skipped if this firing was already served"
        ),
        on: str = typer.Option(None, "--on", help="the job's date (YYYY-MM-DD; default today)"),
    ) -> None:
        """Run job NAME now, under its lock. Exit 0 done, 1 failed, 2 unknown job, 75 not run (another
        process holds the job, or the timer's firing was already served)."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.config import get_settings
        from cradle.jobs.locks import JobBusy
        from cradle.jobs.registry import UnknownJob
        from cradle.jobs.runner import AlreadyRan, run
        from cradle.jobs.schedule import ScheduleError

        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise typer.BadParameter(f"not a date (YYYY-MM-DD): {on}", param_hint="--on") from None
        try:
            record = run(name, get_settings().database_url, today=day, scheduled=scheduled)
        except (UnknownJob, ScheduleError) as exc:
            typer.echo(f"错误 {exc.args[0]}", err=True)
            raise typer.Exit(2) from None
        except (JobBusy, AlreadyRan) as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(SKIPPED) from None
        if record.result != "ok":
            typer.echo(f"作业 {name} 失败：{record.error}", err=True)
            raise typer.Exit(1)
        typer.echo(json.dumps({"job": name, "run": record.id, **(record.summary or {})}, ensure_ascii=False))

    @jobs_app.command("systemd")
    def systemd_cmd(
        out: Path = typer.Option(..., "--out", help="directory for the .service and .timer files"),
        cradle: str = typer.Option("/opt/cradle/.venv/bin/cradle", "--cradle", help="the cradle command"),
        user: str = typer.Option("cradle", "--user", help="the system user the jobs run as"),
        env_file: str = typer.Option("/etc/cradle/cradle.env", "--env-file", help="CRADLE_* settings"),
        working_dir: str = typer.Option("/opt/cradle", "--working-dir"),
    ) -> None:
        """Write a systemd service and timer per job (install them in /etc/systemd/system)."""
        # deferred: `cradle --help` imports every command module; the command's work loads when it runs
        from cradle.jobs.schedule import ScheduleError
        from cradle.jobs.systemd import Deployment, write

        try:
            written = write(
                out, Deployment(cradle=cradle, user=user, env_file=env_file, working_dir=working_dir)
            )
        except ScheduleError as exc:
            typer.echo(f"错误 {exc}", err=True)
            raise typer.Exit(2) from None
        for path in written:
            typer.echo(str(path))


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
