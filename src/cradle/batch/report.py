"""What-if output: a terminal table, CSV, and a self-contained HTML page with SVG bar charts."""

from __future__ import annotations

import html
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from cradle import atomicfile, regions
from cradle.atomicfile import atomic_path
from cradle.batch.whatif import WhatIfResult


def _county_name(code: int) -> str:
    try:
        return regions.name(str(code))
    except KeyError:
        return str(code)


def _money(x: float) -> str:
    return f"{x / 10_000:,.1f}"


def print_table(result: WhatIfResult, console: Console | None = None) -> None:
    console = console or Console(width=160)
    console.print(f"方案：{result.change.describe()}（{result.persons} 人）")
    table = Table(title="按年度和县区：现金类待遇的享受人次与支出（万元）")
    for col in (
        "年度",
        "县区",
        "人次（基线）",
        "人次（方案）",
        "人次差",
        "支出（基线）",
        "支出（方案）",
        "支出差",
    ):
        table.add_column(col, justify="right")
    for r in result.by_county().iter_rows(named=True):
        table.add_row(
            str(r["year"]),
            _county_name(r["county"]),
            f"{r['beneficiaries_base']:,.0f}",
            f"{r['beneficiaries_scenario']:,.0f}",
            f"{r['beneficiaries_diff']:+,.0f}",
            _money(r["cost_base"]),
            _money(r["cost_scenario"]),
            f"{r['cost_diff'] / 10_000:+,.1f}",
        )
    for r in result.by_year().iter_rows(named=True):
        table.add_row(
            str(r["year"]),
            "[b]合计[/b]",
            f"{r['beneficiaries_base']:,.0f}",
            f"{r['beneficiaries_scenario']:,.0f}",
            f"{r['beneficiaries_diff']:+,.0f}",
            _money(r["cost_base"]),
            _money(r["cost_scenario"]),
            f"{r['cost_diff'] / 10_000:+,.1f}",
        )
    console.print(table)


def write_csv(result: WhatIfResult, path: Path) -> Path:
    """One row per year, county and program (every unit; cost is 0 for days and other non-money units)."""
    table = result.by_program.with_columns(
        county_name=pl.col("county").map_elements(_county_name, return_dtype=pl.String)
    )
    with atomic_path(path) as tmp:
        table.write_csv(tmp)
    return path


def _bars(title: str, labels: list[str], base: list[float], scenario: list[float], unit: str) -> str:
    """A grouped bar chart (baseline grey, scenario blue) as inline SVG."""
    w, h, pad = 720, 260, 50
    top = max([*base, *scenario, 1.0])
    n = max(len(labels), 1)
    slot = (w - pad - 10) / n
    bar = slot * 0.38
    parts = [
        f'<svg viewBox="0 0 {w} {h + 40}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="{pad}" y="16" font-size="14">{html.escape(title)}（{unit}）</text>',
    ]
    for i, (label, b, s) in enumerate(zip(labels, base, scenario, strict=True)):
        x = pad + i * slot
        for k, (v, color) in enumerate(((b, "#9e9e9e"), (s, "#1f6fb2"))):
            bh = (h - 40) * v / top
            parts.append(
                f'<rect x="{x + k * bar:.1f}" y="{h - bh:.1f}" width="{bar:.1f}" height="{bh:.1f}" '
                f'fill="{color}"><title>{html.escape(label)}: {v:,.1f}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{h + 16}" font-size="11" text-anchor="middle">'
            f"{html.escape(label)}</text>"
        )
    parts.append(f'<line x1="{pad}" y1="{h}" x2="{w}" y2="{h}" stroke="#333"/>')
    parts.append(
        f'<text x="{pad}" y="{h + 34}" font-size="11"><tspan fill="#9e9e9e">■ 基线</tspan> '
        f'<tspan fill="#1f6fb2">■ 方案</tspan></text></svg>'
    )
    return "\n".join(parts)


def write_html(result: WhatIfResult, path: Path) -> Path:
    years = result.by_year()
    labels = [str(y) for y in years["year"]]
    charts = [
        _bars(
            "各年度现金类待遇支出",
            labels,
            (years["cost_base"] / 10_000).to_list(),
            (years["cost_scenario"] / 10_000).to_list(),
            "万元",
        ),
        _bars(
            "各年度享受人次",
            labels,
            years["beneficiaries_base"].to_list(),
            years["beneficiaries_scenario"].to_list(),
            "人次",
        ),
    ]
    last = result.by_county().filter(pl.col("year") == result.years[-1]).sort("cost_diff")
    charts.append(
        _bars(
            f"{result.years[-1]}年各县区支出",
            [_county_name(c) for c in last["county"]],
            (last["cost_base"] / 10_000).to_list(),
            (last["cost_scenario"] / 10_000).to_list(),
            "万元",
        )
    )
    rows = "\n".join(
        f"<tr><td>{r['year']}</td><td>{html.escape(_county_name(r['county']))}</td>"
        f"<td>{r['beneficiaries_base']:,.0f}</td><td>{r['beneficiaries_scenario']:,.0f}</td>"
        f"<td>{r['beneficiaries_diff']:+,.0f}</td><td>{_money(r['cost_base'])}</td>"
        f"<td>{_money(r['cost_scenario'])}</td><td>{r['cost_diff'] / 10_000:+,.1f}</td></tr>"
        for r in result.by_county().iter_rows(named=True)
    )
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政策测算：{html.escape(result.region)}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}}
svg{{width:100%;height:auto;margin:1rem 0}}</style></head><body>
<h1>政策测算：{html.escape(regions.name(result.region) if regions.exists(result.region) else result.region)}</h1>
<p>方案：{html.escape(result.change.describe())}；年度：{result.years[0]}–{result.years[-1]}；人数：{result.persons:,}</p>
<p>{html.escape(result.population_note)}</p>
{"".join(charts)}
<table><thead><tr><th>年度</th><th>县区</th><th>人次（基线）</th><th>人次（方案）</th><th>人次差</th>
<th>支出（基线，万元）</th><th>支出（方案，万元）</th><th>支出差（万元）</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""
    return atomicfile.write_text(path, page)
