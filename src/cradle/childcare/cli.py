"""`cradle facilities …`: list facilities, import a department's list, capacity against targets, and the
enrolment feed for the population registry."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from cradle.childcare import cli_desk
from cradle.childcare.cli_support import open_session


def _date(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--on {value}: 日期格式应为 YYYY-MM-DD") from None


def _table(rows: list[dict]) -> None:
    # deferred: rich is loaded only to print a table
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("ID", "统一社会信用代码", "名称", "类型", "区划", "托位", "在托", "空位", "普惠", "备案状态"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["credit_code"],
            r["name"],
            r["type_label"],
            f"{r['region_code']} {r['region_name']}",
            str(r["slots"]),
            str(r["enrolled"]),
            str(r["vacancies"]),
            "是" if r["inclusive"] else "否",
            r["filing_status_label"],
        )
    Console(width=200).print(table)


def register(app: typer.Typer) -> None:
    facilities = typer.Typer(
        help="Childcare institutions (托育机构): list, import, places against targets, enrolment feed.",
        no_args_is_help=False,
    )

    @facilities.callback(invoke_without_command=True)
    def list_cmd(
        ctx: typer.Context,
        region: str | None = typer.Option(
            None, "--region", help="region code (行政区划代码) of a province, city or county"
        ),
        fmt: str = typer.Option("table", "--format", help="json or table"),
        on: str | None = typer.Option(None, "--on", help="count date YYYY-MM-DD, default today"),
        filed_only: bool = typer.Option(
            False, "--filed-only", help="only filed (已备案) institutions in operation"
        ),
    ) -> None:
        """List facilities with slots, vacancies and 备案 status."""
        if ctx.invoked_subcommand is not None:
            return
        if fmt not in ("json", "table"):
            raise typer.BadParameter("--format should be json or table")
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.facilities import facility_dict, list_facilities

        day = _date(on)
        with open_session() as session:
            rows = [
                facility_dict(session, f, day)
                for f in list_facilities(session, region=region, filed_only=filed_only, on=day)
            ]
        if fmt == "json":
            typer.echo(
                json.dumps({"as_of": day.isoformat(), "facilities": rows}, ensure_ascii=False, indent=2)
            )
        else:
            _table(rows)

    @facilities.command("import")
    def import_cmd(
        file: Path = typer.Argument(..., help="CSV (UTF-8/GB18030), Excel (.xlsx) or JSON"),
        strict: bool = typer.Option(False, "--strict", help="store nothing of the file if any row is wrong"),
    ) -> None:
        """Load a department's facility list; bad rows go to quarantine with their errors."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.importer import import_file

        with open_session() as session:
            result = import_file(session, file, strict=strict)
        typer.echo(
            f"{result.source}：读取{result.rows}行，新登记{result.created}，更新{result.updated}，"
            f"隔离{len(result.quarantined)}（批次 {result.batch}）"
        )
        for q in result.quarantined:
            for e in q["errors"]:
                typer.echo(f"  第{q['row']}行 {e['field']}：{e['message']}")
        if result.quarantined:
            raise typer.Exit(1)

    @facilities.command("capacity")
    def capacity_cmd(
        region: str = typer.Option(..., "--region"),
        on: str | None = typer.Option(None, "--on"),
        fmt: str = typer.Option("table", "--format"),
    ) -> None:
        """Places per 1000 population and the inclusive (普惠) share against the document's target."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.childcare.capacity import capacity_report

        with open_session() as session:
            report = capacity_report(session, region, _date(on))
        if fmt == "json":
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for row in [report["region"], *report["units"]]:
            target = row["target"]
            goal = (
                f"目标≥{target['slots_per_1000']}（{target['document']} {target['clause']}）"
                if target
                else "无目标"
            )
            pop = row["population"]
            share = f"{row['inclusive_share']:.1%}" if row["inclusive_share"] is not None else "—"
            typer.echo(
                f"{row['region']} {row['name']}：托位{row['slots']}（普惠{share}），"
                f"每千人{row['slots_per_1000'] if row['slots_per_1000'] is not None else '—'}；{goal}；"
                f"人口{pop['value'] or '—'}（来源 {pop['source']}）"
            )

    @facilities.command("export-enrolments")
    def export_cmd(
        out: Path = typer.Argument(..., help="output CSV (the registry's jiaoyu format)"),
        since: str | None = typer.Option(None, "--since"),
        until: str | None = typer.Option(None, "--until"),
    ) -> None:
        """Write enrolments and leavings as the registry's education (jiaoyu) feed: `cradle ingest jiaoyu FILE`."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle import atomicfile
        from cradle.childcare.feeds import registry_feed_csv, registry_feed_rows

        with open_session() as session:
            rows = registry_feed_rows(
                session, since=_date(since) if since else None, until=_date(until) if until else None
            )
        atomicfile.write_text(out, registry_feed_csv(rows))
        typer.echo(f"{len(rows)}条入托/离托记录已写入 {out}")

    cli_desk.register(facilities)  # subsidy-pay, quarantine list/export/correct/resubmit
    app.add_typer(facilities, name="facilities")
