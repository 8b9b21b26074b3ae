"""`cradle facilities subsidy-pay …` and `cradle facilities quarantine …`: the officials' desk from the command
line (the same functions as the pages and the API). The CLI acts as a county official of the record's county;
its steps are audited as `county:cli@<county>`, the services' name for it."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cradle import regions
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.childcare.cli_support import open_session
from cradle.services.offices import ref


def _county_actor(county: str) -> str:
    return ref(Actor(id="cli", role=roles.COUNTY, region=county))


def _parse_changes(pairs: list[str]) -> dict:
    changes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{pair}：应写作 字段=值")
        changes[key.strip()] = value
    return changes


def register(facilities: typer.Typer) -> None:
    @facilities.command("subsidy-pay")
    def subsidy_pay(
        application_id: int = typer.Argument(
            ..., help="subsidy application number (approved, awaiting payment)"
        ),
        account_no: str = typer.Option(
            ..., "--account-no", help="the institution's corporate account (12–32 digits)"
        ),
        bank_code: str = typer.Option(..., "--bank-code", help="bank code (开户行代码)"),
        account_name: str | None = typer.Option(
            None, "--account-name", help="account name, default the institution's name"
        ),
    ) -> None:
        """Register an approved facility subsidy for the county's one-off payment batch."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.models import Facility
        from cradle.childcare.subsidies import get_application
        from cradle.childcare.subsidy_desk import register_and_describe

        with open_session() as session:
            app = get_application(session, application_id)
            actor = _county_actor(session.get(Facility, app.facility_id).region_code)
            desk = register_and_describe(
                session,
                actor,
                application_id,
                {"account_no": account_no, "bank_code": bank_code, "account_name": account_name},
            )
        ent = desk["entitlement"]
        typer.echo(
            f"补助申请 {application_id} 已登记发放：{ent['amount']}元 → {ent['payee_name']}（账号{ent['account']}）"
        )
        typer.echo(f"生成批次：{desk['batch_command']}")

    quarantine = typer.Typer(
        help="Import quarantine (隔离区): list, export, correct, resubmit.", no_args_is_help=True
    )

    @quarantine.command("list")
    def list_cmd(
        status: str = typer.Option("open", "--status", help="open, resolved or all"),
        batch: str | None = typer.Option(None, "--batch"),
        fmt: str = typer.Option("table", "--format", help="json or table"),
    ) -> None:
        """Quarantined rows with their errors."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.quarantine import list_rows, row_dict

        with open_session() as session:
            rows = [row_dict(r) for r in list_rows(session, status, batch)]
        if fmt == "json":
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
            return
        for r in rows:
            problems = "；".join(f"{e['field']}：{e['message']}" for e in r["errors"])
            typer.echo(
                f"#{r['id']} {r['source']} 第{r['row_no']}行 [{r['status']}] "
                f"{r['record'].get('name', '') if isinstance(r['record'], dict) else ''} {problems}"
            )
        typer.echo(f"共{len(rows)}行")

    @quarantine.command("export")
    def export_cmd(
        out: Path = typer.Argument(...),
        status: str = typer.Option("open", "--status"),
        batch: str | None = typer.Option(None, "--batch"),
    ) -> None:
        """Write the rows (corrections applied) and their errors as CSV."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.quarantine import export_csv

        with open_session() as session:
            n = export_csv(session, out, status, batch)
        typer.echo(f"{n}行已写入 {out}")

    @quarantine.command("correct")
    def correct_cmd(
        row_id: int = typer.Argument(..., help="quarantined row number"),
        changes: list[str] = typer.Argument(
            ..., help="FIELD=VALUE, e.g. credit_code=… or a class's places (托大班托位=20)"
        ),
    ) -> None:
        """Record corrections beside the row as read (an empty value removes the field)."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.quarantine import correct, current, get_row

        parsed = _parse_changes(changes)
        with open_session() as session:
            record = current(get_row(session, row_id))
            region = str(record.get("region_code") or "") if isinstance(record, dict) else ""
            actor = _county_actor(region) if _known(region) else "cli"
            row = correct(session, row_id, parsed, actor)
            typer.echo(json.dumps(current(row), ensure_ascii=False, default=str))

    @quarantine.command("resubmit")
    def resubmit_cmd(
        row_ids: list[int] = typer.Argument(None, help="quarantined row numbers; none: every corrected row"),
        batch: str | None = typer.Option(None, "--batch"),
    ) -> None:
        """Check and store the rows again: good ones are stored and marked resolved, bad ones stay with new errors."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.models import ImportQuarantine
        from cradle.childcare.quarantine import resubmit

        with open_session() as session:
            result = resubmit(session, "cli", row_ids or None, batch)
            still = [session.get(ImportQuarantine, i) for i in result["still_quarantined"]]
            lines = [
                f"  #{r.id} 第{r.row_no}行 {e['field']}：{e['message']}"
                for r in still
                for e in json.loads(r.errors)
            ]
        typer.echo(f"入库{len(result['stored'])}行，仍在隔离{len(result['still_quarantined'])}行")
        for line in lines:
            typer.echo(line)
        if result["still_quarantined"]:
            raise typer.Exit(1)

    facilities.add_typer(quarantine, name="quarantine")


def _known(region: str) -> bool:
    return len(region) == 6 and regions.exists(region)
