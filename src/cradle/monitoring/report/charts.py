"""Small SVG charts for the printed report (WeasyPrint draws SVG itself; no plotting library needed).

The dashboards draw the same data with ECharts in the browser; these are for paper: a line chart of years
(one or more series, an optional target line) and a horizontal bar chart (units compared)."""

from __future__ import annotations

import math
from html import escape

from cradle.monitoring.report.scorecard import format_value

FONT = "Noto Sans CJK SC, sans-serif"
COLOURS = ("#1f5f99", "#c0392b", "#2e8b57", "#b8860b", "#6a5acd")


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values from at or below ``lo`` to at or above ``hi``."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    step = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(step))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= step * 0.999)
    out = [math.floor(lo / step + 1e-9) * step]
    while out[-1] < hi - 1e-9 * step:
        out.append(out[-1] + step)
    return [round(v, 10) for v in out]


WORDS = {"no_data": "无数据", "target": "目标"}


def line_chart(
    series: dict[str, dict[int, float]],
    target: float | None = None,
    width: int = 520,
    height: int = 200,
    title: str = "",
    words: dict[str, str] | None = None,
) -> str:
    """``series``: label → {year: value}. Returns an ``<svg>`` element (empty chart text when no data).
    ``words``: the chart's own words in the reader's language (default Chinese, as in the PDF)."""
    words = {**WORDS, **(words or {})}
    pts = [(y, v) for s in series.values() for y, v in s.items()]
    if not pts:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40"><text x="0" y="20" '
            f'font-family="{FONT}" font-size="11">{escape(words["no_data"])}</text></svg>'
        )
    years = sorted({y for y, _ in pts})
    vals = [v for _, v in pts] + ([target] if target is not None else [])
    lo, hi = min(vals), max(vals)
    if 0 <= lo < hi * 0.5:
        lo = 0.0  # start at zero unless that squashes the line
    ticks = _ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    left, right, top, bottom = 56, 12, 26 if title else 10, 36
    pw, ph = width - left - right, height - top - bottom
    x0, x1 = years[0], years[-1]

    def x(year: float) -> float:
        return left + (pw / 2 if x1 == x0 else (year - x0) / (x1 - x0) * pw)

    def y(value: float) -> float:
        return top + ph - (value - lo) / (hi - lo) * ph

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">'
    ]
    if title:
        out.append(f'<text x="{left}" y="14" font-size="11" font-weight="bold">{escape(title)}</text>')
    for t in ticks:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y(t) + 3:.1f}" text-anchor="end">{format_value(t)}</text>'
        )
    step = max(1, math.ceil(len(years) / 8))
    for yr in years[::step]:
        out.append(f'<text x="{x(yr):.1f}" y="{top + ph + 14}" text-anchor="middle">{yr}</text>')
    if target is not None:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="#c0392b" stroke-dasharray="4 3"/>'
            f'<text x="{left + pw}" y="{y(target) + (11 if y(target) < top + 12 else -3):.1f}" text-anchor="end" '
            f'fill="#c0392b">{escape(words["target"])} '
            f"{format_value(target)}</text>"
        )
    for i, (label, s) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        coords = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in sorted(s.items()))
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.8"/>')
        for yr, v in sorted(s.items()):
            if len(s) <= 12:
                out.append(f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="2.2" fill="{colour}"/>')
        if len(series) > 1:
            lx = left + i * 110
            out.append(
                f'<rect x="{lx}" y="{height - 12}" width="10" height="4" fill="{colour}"/>'
                f'<text x="{lx + 14}" y="{height - 7}">{escape(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    bars: list[tuple[str, float | None, str]],
    target: float | None = None,
    width: int = 520,
    bar: int = 14,
    words: dict[str, str] | None = None,
) -> str:
    """Horizontal bars: (label, value or None, colour). A missing value is written 无数据 (``words["no_data"]``)."""
    words = {**WORDS, **(words or {})}
    if not bars:
        return ""
    known = [v for _, v, _ in bars if v is not None] + ([target] if target is not None else [])
    hi = max(known) if known else 1.0
    hi = _ticks(0, hi or 1.0)[-1]
    left, right, top = 110, 50, 6
    pw = width - left - right
    height = top + len(bars) * (bar + 6) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">'
    ]
    for i, (label, v, colour) in enumerate(bars):
        yy = top + i * (bar + 6)
        out.append(f'<text x="{left - 4}" y="{yy + bar - 3}" text-anchor="end">{escape(label)}</text>')
        if v is None:
            out.append(
                f'<text x="{left + 2}" y="{yy + bar - 3}" fill="#888">{escape(words["no_data"])}</text>'
            )
            continue
        w = max(0.0, v / hi * pw) if hi else 0.0
        out.append(
            f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{left + w + 3:.1f}" y="{yy + bar - 3}">{format_value(v)}</text>'
        )
    if target is not None and hi:
        tx = left + target / hi * pw
        out.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="0" y2="{height}" stroke="#c0392b" '
            f'stroke-dasharray="4 3"/>'
        )
    out.append("</svg>")
    return "".join(out)
