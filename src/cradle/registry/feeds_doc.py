"""Writes docs/feeds/<dept>.md from the feed definitions, with example rows from a small synthetic county, so
the documentation cannot drift from what ingest accepts:  python -m cradle.registry.feeds_doc docs/feeds"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from cradle.registry.feeds import FEEDS, RELATION_TO_HEAD, Feed
from cradle.registry.validation import REASONS
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate

KINDS = {
    "text": "文本",
    "id_number": "18位公民身份号码（GB 11643）",
    "date": "日期 YYYY-MM-DD（也接受 YYYYMMDD、YYYY/MM/DD）",
    "region": "6位行政区划代码（GB/T 2260）",
    "town": "9位乡镇（街道）代码（前6位为本行的县级行政区划代码）",
    "enum": "代码",
    "int": "非负整数",
    "money": "非负金额（元）",
    "flag": "0 否 / 1 是",
}


def _required(feed: Feed, c) -> str:
    if c.name == "id_number" and feed.id_optional_for:
        return f"是（{', '.join(feed.id_optional_for)} 可空）"
    if c.required:
        return "是"
    if c.required_for:
        later = "；无此类记录的文件可不含此列" if c.later else ""
        return f"{', '.join(c.required_for)} 时必填{later}"
    return "否"


def render(feed: Feed, example: str) -> str:
    lines = [
        f"# {feed.label} — `cradle ingest {feed.dept} FILE`",
        "",
        "One row per event. CSV (UTF-8, or GB18030 detected automatically), Excel (.xlsx, first sheet) or "
        "Parquet; the first row names the columns (order free, extra columns ignored).",
        "",
        "| column | 含义 | type | required | codes |",
        "|---|---|---|---|---|",
    ]
    for c in feed.columns:
        codes = ""
        if c.name == "event":
            codes = "; ".join(f"`{k}` {v}" for k, v in feed.events.items())
        elif c.name == "relation_to_head":
            codes = "; ".join(f"`{k}` {v}" for k, v in RELATION_TO_HEAD.items())
        elif c.codes and c.kind != "flag":
            codes = "; ".join(f"`{k}` → {v}" for k, v in c.codes.items())
        lines.append(f"| `{c.name}` | {c.label} | {KINDS[c.kind]} | {_required(feed, c)} | {codes} |")
    lines += [
        "",
        "`record_no` is the department's own record number: the same number sent again with the same "
        "content is a duplicate (stored once), with other content a `record_conflict` (quarantined). "
        "`event_date` is the date from which the fact holds; a correction is a new record with a later date, "
        "and the earlier value is kept.",
        "",
        "## Example",
        "",
        "```csv",
        example.rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def index() -> str:
    lines = [
        "# Department feeds of the population data hub (全员人口数据库)",
        "",
        "| dept | feed | format |",
        "|---|---|---|",
    ]
    lines += [f"| `{d}` | {f.label} | [{d}.md]({d}.md) |" for d, f in FEEDS.items()]
    lines += [
        "",
        "```",
        "cradle ingest gongan 户籍.csv        # progress bar, then the summary",
        "cradle quarantine list --run 1       # refused rows: file, row, field, reason",
        "cradle quarantine export q.csv --run 1",
        "cradle quarantine correct 17 --set id_number=370303199001011234",
        "cradle quarantine resubmit",
        "cradle identity pending              # look-alikes without ID numbers",
        "cradle household 370303199001011234 --on 2025-07-01 | cradle calc - --on 2025-07-01",
        "cradle synth --region 441523 --persons 5000 --seed 1 --out var/synth",
        "```",
        "",
        "Row numbers are spreadsheet lines: the header is line 1, the first data row line 2.",
        "",
        "## Quarantine reasons",
        "",
        "| reason | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{k}` | {v} |" for k, v in REASONS.items()]
    lines += [
        "",
        "Checks run in column order and the first failing one is reported. ID numbers: 18 characters, "
        "GB 11643 check digit, a valid birth date, and a region prefix that is a current GB/T 2260 code or "
        "one in use at some time (older ID numbers keep abolished codes). The ID number must agree with the "
        "birth-date and sex columns; `event_date` may not precede the birth (a death before the birth is "
        "`death_before_birth`); a mother must be at least 12 at the birth.",
        "",
        "`town` (optional in every feed) is the row's 9-digit 乡镇/街道 code, its first six digits the row's "
        "county: a quarantined row naming a town is seen by that town's officials (and the county's); one "
        "naming none, or a town outside its county (`town_unknown`), by the county only.",
        "",
        "公安's `household_no` and `relation_to_head` also give parents to persons no 卫健 birth record "
        "covers (`cradle.registry.kinship`, after each 公安 ingest): a child of the head (`20`, `30`) is the "
        "child of the head and the head's spouse, a grandchild (`40`) the child of the head's only child in "
        "the same 户; these links cite the 公安 row and never override a birth record.",
        "",
    ]
    return "\n".join(lines)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        write_feeds(
            generate("370303", 400, 5, dt.date(2025, 6, 30)),
            Path(d),
            seed=5,
            dirty_rate=0.0,
            formats={k: ("csv", "utf-8") for k in FEEDS},
        )
        for dept, feed in FEEDS.items():
            rows = (Path(d) / f"{dept}.csv").read_text(encoding="utf-8").splitlines()
            (out / f"{dept}.md").write_text(render(feed, "\n".join(rows[:4])), encoding="utf-8")
    (out / "README.md").write_text(index(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/feeds"))
