"""`cradle health …`: the nightly sync, institutions and their designation, warnings, the 约谈通报 list, and
synthetic 妇幼 feeds at chosen rates. Each command imports its work when it runs (`cradle` loads every command
module at start)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from cradle.errors import N_, Invalid

health = typer.Typer(
    help="Maternal and child health (妇幼健康): sync, indicator counts, institutions, interviews (约谈通报), synthetic feeds.",
    no_args_is_help=True,
)


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        raise Invalid("--today", N_("Enter the date as YYYY-MM-DD: %(value)s"), value=value) from None


@health.command("sync")
def sync_cmd(today: str = typer.Option(None, help="the day to run as (YYYY-MM-DD, default today)")) -> None:
    """Open the cases of newly fed high-risk assessments, close cases 42 days after delivery, offer the free
    checks to newly married couples, complete offers whose checks arrived (run nightly)."""
    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle.db import session_scope
    from cradle.health import sync

    with session_scope() as s:
        done = sync.run(s, _day(today))
    typer.echo("  ".join(f"{k}={v}" for k, v in done.items()))


@health.command("rebuild-aggregates")
def rebuild_aggregates_cmd(
    region: str = typer.Option(None, "--region", help="GB/T 2260 code (default: every county with records)"),
    year: list[int] = typer.Option(None, "--year", help="repeatable (default: from the first record's year)"),
    today: str = typer.Option(None, help="the day to count as (YYYY-MM-DD, default today)"),
) -> None:
    """Count the maternal and child health indicators (妇幼指标) again from the records and store the counts
    kept per county and year (recovery; run nightly by the health-sync job for this year and last)."""
    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle.db import session_scope
    from cradle.health import aggregates

    with session_scope() as s:
        done = aggregates.rebuild(s, region, list(year) if year else None, _day(today))
    typer.echo(f"counted={done['counties']} counties x {done['years']} years")


@health.command("institution")
def institution_cmd(
    code: str,
    name: str = typer.Option(None, help="name, for a new institution"),
    region: str = typer.Option(None, help="county code, for a new institution"),
    kind: str = typer.Option(
        "hospital", help="mch (妇幼保健院), hospital or primary (乡镇卫生院/社区卫生服务中心)"
    ),
    critical_care: bool = typer.Option(
        None,
        "--critical-care/--no-critical-care",
        help="A critical care centre for pregnant women (危重孕产妇救治中心)",
    ),
) -> None:
    """Register an institution (with --name and --region), or change its designation as a critical care centre
    for pregnant women (危重孕产妇救治中心)."""
    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle.db import session_scope
    from cradle.health import access, institutions

    with session_scope() as s:
        if access.institution_by_code(s, code) is None:
            row = institutions.register(s, "cli", code, name, region, kind, bool(critical_care))
        else:
            row = institutions.designate(s, "cli", code, bool(critical_care))
        typer.echo(
            f"institution {row.id}: {row.code} {row.name} ({row.kind} @ {row.region}) critical_care={row.critical_care}"
        )


@health.command("interviews")
def interviews_cmd(region: str = typer.Option(...), year: int = typer.Option(...)) -> None:
    """The interview list (约谈通报) of REGION for YEAR."""
    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle.db import session_scope
    from cradle.health import access, interviews

    with session_scope() as s:
        for item in interviews.for_region(s, access.counties_within(region), year):
            reasons = ", ".join(f"{k}={n}" for k, n in item.reasons.items())
            typer.echo(f"{item.institution_code}\t{item.name}\t{reasons}\t{item.held_on or '-'}")


@health.command("synth")
def synth_cmd(
    region: str = typer.Option(..., "--region", help="county code"),
    persons: int = typer.Option(..., "--persons", min=10),
    out: Path = typer.Option(..., "--out"),
    seed: int = typer.Option(1, "--seed"),
    as_of: str = typer.Option("2025-06-30", "--as-of"),
    rate: list[str] = typer.Option(
        None, "--rate", help="NAME=VALUE, repeatable (cradle.synth.health.HealthRates)"
    ),
) -> None:
    """Write only the four maternal and child health (妇幼) feeds of a synthetic county (the same population
    `cradle synth` writes)."""
    # deferred: `cradle --help` imports every command module; the synthesis (NumPy, Polars) loads when it runs
    from cradle.synth.feeds import write_feeds
    from cradle.synth.health import DEPTS, HealthRates, parse_overrides
    from cradle.synth.population import generate

    rates = HealthRates().with_overrides(parse_overrides(rate or []))
    pop = generate(region, persons, seed, _day(as_of))
    manifest = write_feeds(pop, out, seed=seed, depts=list(DEPTS), health_rates=rates)
    for dept, f in manifest["feeds"].items():
        typer.echo(f"{dept}\t{f['file']}\t{f['rows']} rows")


def register(app: typer.Typer) -> None:
    app.add_typer(health, name="health")
