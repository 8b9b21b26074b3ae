"""`cradle ingest`, `cradle household`, `cradle synth`, `cradle quarantine …`, `cradle identity …`.

Refusals of the registry code (`cradle.errors`) are answered by the `cradle` command: one line naming the field,
exit 2 for bad input. Each command imports its work when it runs, since `cradle` loads every command module at
start."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cradle.errors import N_, Invalid

err = Console(stderr=True)


def _date(value: str | None, option: str) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(option, N_("Enter the date as YYYY-MM-DD: %(value)s"), value=value) from None


def _print_summary(s) -> None:
    for run_id in getattr(s, "interrupted_runs", []):
        err.print(
            f"[yellow]批次 {run_id} 导入同一文件时中断（进程被终止），已标记为 interrupted；"
            "其已提交的行保留，本次按重复计[/]"
        )
    if s.skipped_as_already_ingested:
        err.print(f"[yellow]{s.file} 已在批次 {s.run_id} 完整导入，本次未作改动[/]（加 --force 重新核对）")
        return
    t = Table(title=f"导入批次 {s.run_id}：{s.dept} {s.file}", show_header=False)
    for label, value in (
        ("读取行数 rows read", s.rows_read),
        ("新入库 accepted", s.accepted),
        ("其中并入已有人员 merged", s.merged),
        ("重复（已入库）duplicates", s.duplicates),
        ("隔离 quarantined", s.quarantined),
        ("待人工确认 queued for review", s.queued),
        ("用时 seconds", f"{s.seconds:.1f}"),
    ):
        t.add_row(label, str(value))
    for reason, n in sorted(s.reasons.items(), key=lambda kv: -kv[1]):
        t.add_row(f"  隔离原因 {reason}", str(n))
    err.print(t)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        dept: str = typer.Argument(
            ..., help="gongan | weijian | minzheng | jiaoyu | yibao | renshe | tongji"
        ),
        file: Path = typer.Argument(..., help="CSV (UTF-8 or GB18030), .xlsx or .parquet"),
        encoding: str = typer.Option(None, "--encoding", help="CSV encoding; detected when absent"),
        batch_rows: int = typer.Option(100_000, "--batch-rows"),
        commit_batches: int = typer.Option(
            5, "--commit-batches", min=1, max=9, help="batches per transaction: what a killed run keeps"
        ),
        force: bool = typer.Option(
            False, "--force", help="re-check a file already ingested (stores nothing twice)"
        ),
        as_json: bool = typer.Option(False, "--json", help="print the summary as JSON on stdout"),
    ) -> None:
        """Ingest one department's file: validate, quarantine bad rows, store the good ones."""
        # deferred: the command's work (Polars, the ingest)
        from cradle.registry.feeds import get_feed
        from cradle.registry.ingest import expected_rows, ingest_file

        get_feed(dept)
        if not file.exists():
            raise Invalid("file", N_("File does not exist: %(path)s"), path=file)
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=True) as bar:
            rows = expected_rows(file)
            task = bar.add_task(f"{dept} {file.name}", total=rows)
            try:
                s = ingest_file(
                    dept,
                    file,
                    batch_rows=batch_rows,
                    encoding=encoding,
                    force=force,
                    on_batch=lambda n: bar.advance(task, n),
                    commit_batches=commit_batches,
                    rows=rows,
                )
            except ValueError as exc:  # a reader's own error on a damaged file (pyarrow's ArrowInvalid, …)
                raise Invalid("file", N_("Ingest failed: %(reason)s"), reason=exc) from None
        _print_summary(s)
        if as_json:
            print(json.dumps(s.as_dict(), ensure_ascii=False))

    @app.command("household")
    def household(
        id_number: str = typer.Argument(..., help="citizen ID number (公民身份号码) of any member"),
        on: str = typer.Option(None, "--on", help="date YYYY-MM-DD (default today)"),
    ) -> None:
        """Print the catalogue's household JSON built from the registry (feed it to `cradle calc -`)."""
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.registry.household import build_household

        with session_scope() as session:
            data = build_household(session, id_number.strip().upper(), _date(on, "--on"))
        print(json.dumps(data, ensure_ascii=False, indent=2))

    @app.command("synth")
    def synth(
        region: str = typer.Option(..., "--region", help="county code, e.g. 441523 (陆河县)"),
        persons: int = typer.Option(..., "--persons", min=10),
        seed: int = typer.Option(1, "--seed"),
        out: Path = typer.Option(..., "--out"),
        dirty: float = typer.Option(0.02, "--dirty", min=0.0, max=0.5, help="share of dirty rows per file"),
        as_of: str = typer.Option("2025-06-30", "--as-of"),
        csv_only: bool = typer.Option(False, "--csv", help="every file as UTF-8 CSV (benchmarks)"),
    ) -> None:
        """Write synthetic feeds for every department (deterministic for a seed) and a manifest."""
        # deferred: the command's work (NumPy, Polars)
        from cradle.synth.feeds import FORMATS, write_feeds
        from cradle.synth.population import generate

        pop = generate(region, persons, seed, _date(as_of, "--as-of"))
        formats = dict.fromkeys(FORMATS, ("csv", "utf-8")) if csv_only else None
        manifest = write_feeds(pop, out, seed=seed, dirty_rate=dirty, formats=formats)
        t = Table("部门 dept", "文件 file", "行 rows", "应入库 stored", "重复 dup", "脏数据 dirty")
        for dept, f in manifest["feeds"].items():
            t.add_row(
                dept,
                f["file"],
                str(f["rows"]),
                str(f["stored"]),
                str(f["duplicates"]),
                str(sum(f["dirty"].values())),
            )
        err.print(t)
        err.print(f"manifest: {out / 'manifest.json'}")

    q = typer.Typer(help="Quarantine (隔离区): list, export, correct, resubmit.", no_args_is_help=True)
    app.add_typer(q, name="quarantine")

    town_opt = typer.Option(
        None, "--town", help="9-digit town (乡镇/街道) code: only the rows naming that town"
    )

    def _town_where(town: str | None):
        # deferred: the command's work
        from cradle.registry.quarantine import town_filter

        return town_filter(town)

    @q.command("list")
    def q_list(
        run: int = typer.Option(None, "--run"),
        dept: str = typer.Option(None, "--dept"),
        reason: str = typer.Option(None, "--reason"),
        status: str = typer.Option("open", "--status"),
        limit: int = typer.Option(50, "--limit"),
        town: str = town_opt,
    ) -> None:
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.registry.quarantine import list_rows

        where = _town_where(town)
        with session_scope() as session:
            rows = list_rows(
                session, run_id=run, dept=dept, reason=reason, status=status, limit=limit, where=where
            )
            t = Table("id", "dept", "file", "row", "town", "field", "reason", "message")
            for r in rows:
                t.add_row(
                    str(r.id),
                    r.dept,
                    Path(r.file_name).name,
                    str(r.row_no),
                    r.town or "",
                    r.field,
                    r.reason,
                    r.message,
                )
        Console(width=200).print(t)

    @q.command("export")
    def q_export(
        out: Path = typer.Argument(..., help="CSV file to write"),
        run: int = typer.Option(None, "--run"),
        dept: str = typer.Option(None, "--dept"),
        status: str = typer.Option("open", "--status"),
        town: str = town_opt,
    ) -> None:
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.registry.quarantine import export_csv

        where = _town_where(town)
        with session_scope() as session:
            n = export_csv(session, out, run_id=run, dept=dept, status=status, where=where)
        err.print(f"{n} 行已导出到 {out}")

    @q.command("correct")
    def q_correct(
        row_id: int = typer.Argument(...),
        set_: list[str] = typer.Option(..., "--set", help="FIELD=VALUE, repeatable"),
    ) -> None:
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.registry.quarantine import correct

        changes = {}
        for item in set_:
            if "=" not in item:
                raise Invalid("--set", N_("Expected FIELD=VALUE: %(item)s"), item=item)
            k, v = item.split("=", 1)
            changes[k.strip()] = v
        with session_scope() as session:
            correct(session, row_id, changes)
        err.print(f"隔离记录 {row_id} 已更正，待重新提交")

    @q.command("resubmit")
    def q_resubmit(
        row_ids: list[int] = typer.Argument(None), dept: str = typer.Option(None, "--dept")
    ) -> None:
        # deferred: the command's work
        from cradle.registry.quarantine import resubmit

        results = resubmit(row_ids or None, dept=dept)
        for s in results:
            _print_summary(s)

    ident = typer.Typer(
        help="Identity matching (身份识别): pending, confirm/reject, merge/split.", no_args_is_help=True
    )
    app.add_typer(ident, name="identity")

    @ident.command("pending")
    def i_pending(limit: int = typer.Option(50, "--limit")) -> None:
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.idcard import mask
        from cradle.registry import identity
        from cradle.registry.models import Person

        t = Table("id", "record", "candidate", "name", "birth_date", "basis")
        with session_scope() as session:
            for c in identity.pending(session, limit):
                a, b = session.get(Person, c.person_id), session.get(Person, c.candidate_id)
                t.add_row(
                    str(c.id),
                    f"{a.id} {mask(a.id_number) or '（无证号）'}",
                    f"{b.id} {mask(b.id_number)}",
                    a.name,
                    str(a.birth_date),
                    c.basis,
                )
        Console().print(t)

    @ident.command("decide")
    def i_decide(
        candidate: int = typer.Argument(...),
        confirm: bool = typer.Option(..., "--confirm/--reject"),
        actor: str = typer.Option(..., "--by"),
        reason: str = typer.Option("", "--reason"),
    ) -> None:
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.registry import identity

        with session_scope() as session:
            c = identity.decide(session, candidate, confirm=confirm, actor=actor, reason=reason)
            msg = f"待确认记录 {c.id}：{c.status}" + (f"（合并 {c.merge_id}）" if c.merge_id else "")
        err.print(msg)

    @ident.command("split")
    def i_split(
        merge: int = typer.Argument(...),
        actor: str = typer.Option(..., "--by"),
        reason: str = typer.Option(..., "--reason"),
    ) -> None:
        # deferred: the command's work
        from cradle.db import session_scope
        from cradle.registry import identity

        with session_scope() as session:
            a = identity.split(session, merge, actor=actor, reason=reason)
            msg = f"合并 {merge} 已撤销（审计 {a.id}）"
        err.print(msg)
