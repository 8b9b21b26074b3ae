"""`cradle audit verify`, `cradle services …` (proactive run, reminders, SMS dispatch, actor tokens) and
`cradle payments …` (generate, export, import the bank's return, retry, summary)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from cradle import audit
from cradle.auth import roles
from cradle.auth.actor import SYSTEM, Actor
from cradle.db import session_scope
from cradle.services.offices import FINANCE_DEPARTMENT


def _finance(county: str) -> Actor:
    """The command acts as the county's finance desk (audited as `finance:cli@<county>`)."""
    return Actor(id="cli", role=roles.DEPT, region=county, dept=FINANCE_DEPARTMENT)


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)
    services_app = typer.Typer(
        help="Citizen services: automatic benefits (免申即享), reminders, SMS.", no_args_is_help=True
    )
    payments_app = typer.Typer(
        help="One-card payments (一卡通): batches, bank files, reconciliation.", no_args_is_help=True
    )
    app.add_typer(audit_app, name="audit")
    app.add_typer(services_app, name="services")
    app.add_typer(payments_app, name="payments")

    @audit_app.command("verify")
    def verify() -> None:
        """Recompute the whole chain; exit 1 at the first altered, missing or reordered entry."""
        with session_scope() as s:
            result = audit.verify(s)
        if result.ok:
            typer.echo(f"审计日志完整：{result.entries} 条，哈希链校验通过")
            return
        typer.echo(
            f"审计日志被篡改：第 {result.bad_seq} 条 — {result.problem}（此前 {result.entries} 条无误）",
            err=True,
        )
        raise typer.Exit(1)

    @services_app.command("proactive")
    def proactive_run(
        program: str,
        candidates: Path = typer.Argument(..., help="JSON lines: one household each"),
        on: str | None = None,
    ) -> None:
        """Automatic benefits (免申即享): open cases for eligible households that have none."""
        # deferred: the command's work is loaded when it runs
        from cradle.services import proactive

        rows = [
            json.loads(line) for line in candidates.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        with session_scope() as s:
            run = proactive.run_program(s, SYSTEM, program, rows, dt.date.fromisoformat(on) if on else None)
            typer.echo(
                json.dumps(
                    {
                        "examined": run.examined,
                        "eligible": run.eligible,
                        "opened": run.opened,
                        "existing": run.existing,
                    },
                    ensure_ascii=False,
                )
            )

    @services_app.command("reminders")
    def reminders_run(on: str | None = None) -> None:
        """The daily reminder job."""
        # deferred: the command's work is loaded when it runs
        from cradle.services import reminders

        with session_scope() as s:
            typer.echo(json.dumps(reminders.run_daily(s, dt.date.fromisoformat(on) if on else None)))

    @services_app.command("dispatch")
    def dispatch() -> None:
        """Hand pending SMS to the configured sender (CRADLE_SMS_SENDER; a file by default)."""
        # deferred: the command's work is loaded when it runs
        from cradle.services import notifications

        with session_scope() as s:
            typer.echo(json.dumps(notifications.dispatch(s)))

    @payments_app.command("stop")
    def stop(
        beneficiary_id_number: str, reason: str, effective: str, county: str, program: str | None = None
    ) -> None:
        """Stop a beneficiary's payments: REASON death or moved_away, EFFECTIVE the date (YYYY-MM-DD)."""
        # deferred: the command's work is loaded when it runs
        from cradle.payments import stops

        with session_scope() as s:
            rows = stops.stop_for(
                s,
                _finance(county),
                {
                    "beneficiary_id_number": beneficiary_id_number,
                    "reason": reason,
                    "effective": effective,
                    "program": program,
                },
            )
            typer.echo(
                json.dumps(
                    [{"entitlement": e.id, "program": e.program, "status": e.status} for e in rows],
                    ensure_ascii=False,
                )
            )

    @payments_app.command("generate")
    def generate(program: str, period: str, county: str) -> None:
        # deferred: the command's work is loaded when it runs
        from cradle.payments import batches

        with session_scope() as s:
            b = batches.generate(s, _finance(county), program, period, county)
            typer.echo(json.dumps(batches.summary(s, b), ensure_ascii=False))

    @payments_app.command("export")
    def export(batch_no: str, out: Path, county: str, encoding: str = "utf-8-sig") -> None:
        # deferred: the command's work is loaded when it runs
        from cradle.payments import bankfile

        with session_scope() as s:
            typer.echo(
                json.dumps(bankfile.export(s, _finance(county), batch_no, out, encoding), ensure_ascii=False)
            )

    @payments_app.command("import-return")
    def import_return(batch_no: str, file: Path, county: str) -> None:
        # deferred: the command's work is loaded when it runs
        from cradle.payments import bankfile

        with session_scope() as s:
            typer.echo(
                json.dumps(
                    bankfile.import_return(s, _finance(county), batch_no, file.read_bytes()),
                    ensure_ascii=False,
                )
            )

    @payments_app.command("retry")
    def retry(program: str, period: str, county: str) -> None:
        # deferred: the command's work is loaded when it runs
        from cradle.payments import batches

        with session_scope() as s:
            b = batches.retry_failures(s, _finance(county), program, period, county)
            typer.echo(json.dumps(batches.summary(s, b), ensure_ascii=False))
