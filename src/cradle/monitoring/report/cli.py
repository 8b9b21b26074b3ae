"""`cradle report --region CODE --year Y [--out DIR]`: the annual report as HTML and PDF."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import typer


def report_cmd(
    region: str = typer.Option(..., help="province, city or county code, e.g. 140000"),
    year: int = typer.Option(..., help="the year reported on"),
    out: Path = typer.Option(Path("."), help="directory for the .html and .pdf"),
    today: str = typer.Option(None, help="judge plan deadlines and late data on this date (YYYY-MM-DD)"),
    html_only: bool = typer.Option(False, "--html-only", help="skip the PDF"),
) -> None:
    """The year's monitoring report (年度监测评估报告) in Chinese, HTML and PDF."""
    # deferred: the command's work (every domain's tables, WeasyPrint)
    from cradle import atomicfile
    from cradle.db import session_scope
    from cradle.monitoring.areas import checked
    from cradle.monitoring.report import annual, render

    checked(region, "--region")
    day = dt.date.fromisoformat(today) if today else None
    t0 = time.perf_counter()
    with session_scope() as s:
        rep = annual.build(s, region, year, day)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"monitoring_report_{region}_{year}"
    atomicfile.write_text(stem.with_suffix(".html"), render.html(rep))
    typer.echo(f"wrote {stem.with_suffix('.html')}")
    if not html_only:
        atomicfile.write_bytes(stem.with_suffix(".pdf"), render.pdf(rep))
        typer.echo(f"wrote {stem.with_suffix('.pdf')}")
    for line in rep.summary:
        typer.echo(line)
    typer.echo(f"{time.perf_counter() - t0:.1f} s")


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
