"""`cradle batch`, `cradle batch-synth`, `cradle whatif`."""

from __future__ import annotations

import datetime as dt
import time
from enum import StrEnum
from pathlib import Path

import typer


class Engine(StrEnum):
    local = "local"
    spark = "spark"


def _date(value: str | None, hint: str = "--on") -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value}", param_hint=hint) from None


def _fail(message: str) -> None:
    """The population tables' own checks (`cradle.policy.population`: a row naming a household that is not
    there) raise ValueError naming the table: one line, exit 2. Refusals of the batch code itself are
    `cradle.errors`, answered by the `cradle` command."""
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _source_dir(source: str, region: str, on: dt.date, out: Path) -> Path:
    """A directory of the three tables: the given one, or one exported from the registry."""
    if source != "registry":
        return Path(source)
    # deferred: the registry's tables and queries load only for --source registry
    from cradle.batch.registry_source import export_region

    directory = out / "registry-source"
    export_region(region, on, directory)
    return directory


def register(app: typer.Typer) -> None:
    @app.command("batch-synth")
    def batch_synth(
        region: str = typer.Option(
            ..., "--region", help="GB/T 2260 code; households spread over its counties"
        ),
        persons: int = typer.Option(..., "--persons", help="number of persons"),
        seed: int = typer.Option(1, "--seed"),
        on: str = typer.Option(None, "--on", help="reference date (default: today)"),
        out: Path = typer.Option(..., "--out", help="directory for households/persons/births.parquet"),
    ) -> None:
        """A synthetic population in the batch layout (three Parquet tables)."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.batch.synth import generate

        frames = generate(region, persons, seed, _date(on))
        frames.write(out)
        typer.echo(
            f"{frames.households.height} households, {frames.persons.height} persons, "
            f"{frames.births.height} births -> {out}"
        )

    @app.command("batch")
    def batch(
        region: str = typer.Option(..., "--region", help="GB/T 2260 code of the region"),
        on: str = typer.Option(None, "--on", help="as-of date, YYYY-MM-DD (default: today)"),
        source: str = typer.Option(
            "registry", "--source", help="'registry' or a directory of the three tables"
        ),
        out: Path = typer.Option(..., "--out", help="output directory (parts/*.parquet + manifest.json)"),
        engine: Engine = typer.Option(Engine.local, "--engine"),
        workers: int = typer.Option(None, "--workers", help="processes (default: one per core)"),
        max_households: int = typer.Option(
            200_000, "--partition-households", help="at most this many households per partition"
        ),
        restart: bool = typer.Option(False, "--restart", help="discard finished partitions and start again"),
        db: bool = typer.Option(False, "--db", help="also store the entitlements in the database"),
        spark_master: str = typer.Option(
            "local[2]",
            "--spark-master",
            "--master",
            help="with --engine spark: local[N], spark://HOST:PORT, …",
        ),
    ) -> None:
        """Every program for every household of the region, to Parquet (resumable)."""
        from rich.console import Console

        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.batch.runner import BatchSpec, run_batch
        from cradle.ops.runs import record_run

        as_of = _date(on)
        console = Console(stderr=True)
        try:
            src = _source_dir(source, region, as_of, out)
            spec = BatchSpec(region, as_of, str(src), max_households=max_households)
            if engine is Engine.spark:
                # deferred: PySpark, only for --engine spark
                from cradle.batch.spark import run_spark

                started = time.perf_counter()
                n = run_spark(spec, out, master=spark_master)
                typer.echo(f"{n} entitlements -> {out}")
                record_run("batch", time.perf_counter() - started, n)
                return

            def progress(res, done, total):
                console.print(
                    f"[{done}/{total}] {res.key}: {res.households} households, {res.persons} persons, "
                    f"{res.rows} entitlements, {res.seconds:.1f}s"
                )

            summary = run_batch(spec, out, workers=workers, restart=restart, progress=progress)
        except ValueError as e:
            _fail(str(e))
        typer.echo(
            f"{summary.partitions} partitions ({summary.skipped} already done), {summary.persons} persons, "
            f"{summary.rows} entitlements in {summary.seconds:.1f}s -> {out}"
        )
        record_run("batch", summary.seconds, summary.rows)
        if db:
            # deferred: `cradle` loads every command module at start; a command imports its work when it runs
            from cradle.batch.store import store

            n = store(out, region, as_of)
            typer.echo(f"{n} entitlements stored in the database (batch_entitlement)")

    @app.command("whatif")
    def whatif(
        region: str = typer.Option(..., "--region"),
        sets: list[str] = typer.Option([], "--set", help="PARAM=VALUE (a number, 'null') or PROGRAM=off"),
        years: str = typer.Option(None, "--years", help="e.g. 2026-2030 (default: the year of --on)"),
        on: str = typer.Option(None, "--on", help="base date of the population (default: today)"),
        source: str = typer.Option(
            "registry", "--source", help="'registry' or a directory of the three tables"
        ),
        out: Path = typer.Option(Path("whatif"), "--out", help="directory for whatif.csv and whatif.html"),
        aging: bool = typer.Option(True, "--aging/--static", help="age the population with the projection"),
        workers: int = typer.Option(None, "--workers"),
        all_programs: bool = typer.Option(
            False, "--all-programs", help="also programs not paid in money that the change does not touch"
        ),
    ) -> None:
        """A parameter change against the baseline: beneficiaries and cost by year and county."""
        # deferred: `cradle` loads every command module at start; a command imports its work when it runs
        from cradle.batch import report
        from cradle.batch.whatif import parse_sets, parse_years, run_whatif

        base = _date(on)
        try:
            change = parse_sets(sets)
            span = parse_years(years, base)
            out.mkdir(parents=True, exist_ok=True)
            src = _source_dir(source, region, base, out)
            result = run_whatif(
                region, src, base, span, change, aging=aging, workers=workers, all_programs=all_programs
            )
        except ValueError as e:
            _fail(str(e))
        typer.echo(result.population_note)
        report.print_table(result)
        csv_path = report.write_csv(result, out / "whatif.csv")
        html_path = report.write_html(result, out / "whatif.html")
        typer.echo(f"-> {csv_path}, {html_path}")
