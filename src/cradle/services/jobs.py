"""The services domain's scheduled jobs (registered in cradle.jobs.registry): 免申即享, SLA escalation,
deadline reminders and SMS dispatch. Each returns the counts its run record keeps."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cradle.auth.actor import SYSTEM
from cradle.config import get_settings
from cradle.errors import DomainError
from cradle.jobs.registry import JobContext
from cradle.services import escalation as sla
from cradle.services import notifications
from cradle.services import proactive as runs
from cradle.services import reminders as daily


def candidates_dir() -> Path:
    """Where the data hub drops 免申即享 candidates: `<program>.jsonl`, one household a line, as `cradle services
    proactive` reads them (the registry holds no 乡镇, which a case needs, so the export supplies it)."""
    return get_settings().proactive_dir


def _read(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path.name}:{n}: expected one JSON object per line")
        rows.append(row)
    return rows


def proactive(ctx: JobContext) -> dict:
    """Runs each candidate file through `proactive.run_program` in its own transaction and moves it to done/;
    a file that cannot be read or run stays where it is and fails the run, naming it."""

    folder = candidates_dir()
    totals = {"files": 0, "examined": 0, "eligible": 0, "opened": 0, "existing": 0}
    problems = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        try:
            rows = _read(path)
            with ctx.session() as s:
                run = runs.run_program(s, SYSTEM, path.stem, rows, ctx.today)
                counts = (run.examined, run.eligible, run.opened, run.existing)
        except (ValueError, DomainError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        done = folder / "done"
        done.mkdir(exist_ok=True)
        path.rename(done / f"{path.stem}.{dt.datetime.now():%Y%m%dT%H%M%S}.jsonl")
        totals["files"] += 1
        for key, value in zip(("examined", "eligible", "opened", "existing"), counts, strict=True):
            totals[key] += value
    if problems:
        raise ValueError("; ".join(problems) + f"（已处理 {totals['files']} 个文件）")
    return totals


def escalation(ctx: JobContext) -> dict:

    with ctx.session() as s:
        return sla.escalate(s, ctx.today)


def reminders(ctx: JobContext) -> dict:

    with ctx.session() as s:
        return daily.run_daily(s, ctx.today)


def dispatch(ctx: JobContext) -> dict:

    with ctx.session() as s:
        return notifications.dispatch(s)
