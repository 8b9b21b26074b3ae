"""`cradle calc`, `cradle programs`, `cradle cases`. A refused input is a `cradle.errors` error, printed by the
`cradle` command's one catch (one line per problem naming the field, exit 2)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from cradle.errors import N_, Invalid


class Format(StrEnum):
    json = "json"
    table = "table"


def _desk(source: dict) -> str:
    """Where a value published on the parameter desk comes from; nothing for the release's."""
    if source["source"] != "desk":
        return ""
    return f" ({source['office']} {source['published_at'][:10]} 参数台 {source['doc_number']})".replace(
        " )", ")"
    )


def _date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value}", param_hint="--on") from None


def _amount(e: dict) -> str:
    if e["amount"] is None:
        return e.get("note", "—") if e["unit"] else "—"
    return f"{e['amount']} {e['unit'] or ''}".strip()


def register(app: typer.Typer) -> None:
    @app.command("calc")
    def calc(
        file: str = typer.Argument(..., help="household JSON file, or - for standard input"),
        on: str = typer.Option(None, "--on", help="as-of date, YYYY-MM-DD (default: today)"),
        explain: bool = typer.Option(False, "--explain", help="also list programs tested that did not apply"),
        fmt: Format = typer.Option(Format.json, "--format"),
    ) -> None:
        """Entitlements of one household (the catalogue's household format)."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.policy.calc import calc_household

        as_of = _date(on)
        try:
            raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as e:
            typer.echo(f"{file}: {e.strerror}", err=True)
            raise typer.Exit(2) from None
        result = calc_household(raw, as_of, explain=explain)
        if fmt is Format.json:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
            return
        console = Console(width=max(Console().width, 160))
        table = Table(title=f"{result['jurisdiction']} 截至 {result['as_of']} 的待遇", show_lines=True)
        for col in ("项目", "享受人", "金额/天数", "期间", "说明与依据"):
            table.add_column(col)
        for e in result["entitlements"]:
            period = " → ".join(x or "" for x in (e["period"]["start"], e["period"]["end"])).strip(" →")
            cites = "；".join(f"{c['document']} {c['clause']}" for c in e["citations"])
            table.add_row(
                f"{e['title']}\n[dim]{e['program']}[/dim]",
                e["beneficiary"],
                _amount(e),
                period,
                f"{e['explanation']}\n[dim]{cites}[/dim]",
            )
        console.print(table)
        if explain:
            skipped = Table(title="已检查但不适用的项目")
            skipped.add_column("项目")
            skipped.add_column("原因")
            for s in result["not_applicable"]:
                skipped.add_row(f"{s['title']} ({s['program']})", s["reason"])
            console.print(skipped)

    @app.command("programs")
    def programs(
        jurisdiction: str = typer.Option(
            None, "--jurisdiction", help="GB/T 2260 code; default: every program"
        ),
        on: str = typer.Option(None, "--on", help="values in force on this date (default: today)"),
        fmt: Format = typer.Option(Format.table, "--format"),
    ) -> None:
        """Every program with its parameters, current values and citations."""
        # deferred: the work's imports, as in `calc`
        from cradle import regions
        from cradle.policy.listing import list_programs

        if jurisdiction and not regions.exists(jurisdiction):
            unknown = N_("Unknown region code %(region)s")
            raise Invalid("--jurisdiction", unknown, code="unknown_code", region=jurisdiction)
        rows = list_programs(jurisdiction, _date(on))
        if fmt is Format.json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{len(rows)} programs", show_lines=True)
        table.add_column("id", no_wrap=True)  # an id is copied into commands: never cut or wrapped
        for col in ("项目", "类型", "参数（现行值）", "依据"):
            table.add_column(col)
        for r in rows:
            params = "\n".join(
                f"{p['name'].split('.', 1)[1]} = {p['value'] if p['value'] is not None else '—'} {p['unit']}"
                f"{'' if p['verified'] else ' (待核实)'}{_desk(p['provenance'])}"
                for p in r["parameters"]
            )
            cites = "\n".join(f"《{c['title']}》{c['clause']}" for c in r["citations"])
            table.add_row(r["id"], r["title"], f"{r['kind']} {r['unit'] or ''}", params, cites)
        Console(width=200).print(table)

    @app.command("cases")
    def cases(pack: str = typer.Option(None, "--pack", help="only this pack's tests.yaml")) -> None:
        """Run the packs' worked household cases."""
        # deferred: the work's imports, as in `calc`
        from cradle.policy.cases import check_case, load_cases

        failed = 0
        all_cases = load_cases(pack)
        for case in all_cases:
            problems = check_case(case)
            failed += bool(problems)
            mark = "[red]FAIL[/red]" if problems else "[green]ok[/green]"
            Console().print(f"{mark} {case.id}")
            for p in problems:
                Console().print(f"    {p}")
        typer.echo(f"{len(all_cases) - failed} passed, {failed} failed")
        if failed:
            raise typer.Exit(1)
