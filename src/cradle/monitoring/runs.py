"""What-if and batch runs started from the /whatif page, run in the background of the web process with the batch
domain's own functions (`cradle.batch.whatif.run_whatif`, `cradle.batch.runner.run_batch`), their progress and
results kept in `monitoring_run` and their files under ``<data_dir>/runs/<id>/``.

A what-if changes one parameter to a new value for a region and years: beneficiaries and cost by year and county,
baseline against scenario (the chart and the table), and the CSV `cradle whatif` writes. A batch run computes
every program for every household of the region on a day: the entitlements as CSV. Either reads the region's
households from the registry, or a synthetic population of a given size (`cradle.batch.synth`). Runs go one at
a time (one worker thread); the page shows the stage or the partitions done.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.auth.deps import check_scope
from cradle.batch import report
from cradle.batch.registry_source import export_region
from cradle.batch.runner import BatchSpec, read_output, run_batch
from cradle.batch.synth import generate
from cradle.batch.whatif import Change, run_whatif
from cradle.config import get_settings
from cradle.db import session_scope
from cradle.errors import N_, DomainError, Invalid, NotFound, Problems
from cradle.monitoring.areas import RegionInvalid, checked
from cradle.monitoring.models import Run
from cradle.policy.packs import packs_for

log = logging.getLogger(__name__)
EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cradle-run")
SOURCES = {"registry": N_("The population registry"), "synthetic": N_("A synthetic population")}
STATES = {"queued": N_("Queued"), "running": N_("Running"), "done": N_("Done"), "failed": N_("Failed")}
STAGES = [N_("Reading the population"), N_("Computing the entitlements"), N_("Writing the results")]
MAX_YEARS = 10
MAX_PERSONS = 200_000
MONEY = ("CNY", "CNY/month", "CNY/year")


def parameters(region: str) -> dict[str, object]:
    """The parameters of the documents binding ``region``, by name (what a what-if may change)."""
    return {name: prm for p in packs_for(region) for name, prm in p.parameters.items()}


def _source(source: str, persons: str | int | None, problems: list) -> int | None:
    if source not in SOURCES:
        problems.append(Invalid("source", N_("Should be one of %(choices)s"), choices=", ".join(SOURCES)))
        return None
    if source == "registry":
        return None
    try:
        n = int(str(persons or "").strip())
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_PERSONS:
        problems.append(Invalid("persons", N_("A whole number from 1 to %(most)s"), most=f"{MAX_PERSONS:,}"))
    return n


def _years(text: str, on: dt.date, problems: list) -> list[int]:
    """The years of a what-if: YYYY or YYYY-YYYY, from the population's year on, at most MAX_YEARS."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", (text or "").strip())
    if not m:
        problems.append(
            Invalid("years", N_("A year or a span of years (YYYY or YYYY-YYYY): %(value)s"), value=repr(text))
        )
        return []
    first, last = int(m[1]), int(m[2] or m[1])
    if last < first:
        problems.append(Invalid("years", N_("%(last)s is before %(first)s"), last=last, first=first))
    elif first < on.year:
        problems.append(
            Invalid("years", N_("The years start before the population's date %(date)s"), date=on)
        )
    elif last - first + 1 > MAX_YEARS:
        problems.append(Invalid("years", N_("At most %(count)s years"), count=MAX_YEARS))
    return list(range(first, last + 1))


def _new(session: Session, actor: Actor, kind: str, region: str, settings: dict, total: int) -> Run:
    row = Run(
        kind=kind,
        region=region,
        settings=settings,
        status="queued",
        done=0,
        total=total,
        started_by=actor.name,
        account_id=actor.account_id,
    )
    session.add(row)
    session.flush()
    return row


def start_whatif(
    session: Session,
    actor: Actor,
    region: str,
    parameter: str,
    value: str,
    years: str,
    source: str = "registry",
    persons: str | int | None = None,
    on: dt.date | None = None,
) -> Run:
    """Check a what-if's settings (each bad field named) and queue it; `launch` runs it once committed."""
    checked(region)
    check_scope(actor, region)
    on = on or dt.date.today()
    problems: list[DomainError] = []
    if parameter not in parameters(region):
        problems.append(
            RegionInvalid(
                "parameter",
                N_("%(parameter)s is not a parameter of the documents binding %(region)s"),
                parameter=repr(parameter),
                region=region,
            )
        )
    try:
        number = float(str(value).strip())
        if not math.isfinite(number) or number < 0:
            raise ValueError
    except ValueError:
        problems.append(Invalid("value", N_("Enter a number of 0 or more: %(value)s"), value=repr(value)))
        number = None
    span = _years(years, on, problems)
    persons_n = _source(source, persons, problems)
    if problems:
        raise Problems(problems)
    settings = {
        "parameter": parameter,
        "value": number,
        "years": span,
        "on": on.isoformat(),
        "source": source,
        "persons": persons_n,
    }
    return _new(session, actor, "whatif", region, settings, len(STAGES))


def start_batch(
    session: Session, actor: Actor, region: str, on: dt.date, source: str = "registry", persons=None
) -> Run:
    """Check a batch run's settings and queue it; `launch` runs it once committed."""
    checked(region)
    check_scope(actor, region)
    problems: list[DomainError] = []
    persons_n = _source(source, persons, problems)
    if problems:
        raise Problems(problems)
    return _new(
        session, actor, "batch", region, {"on": on.isoformat(), "source": source, "persons": persons_n}, 1
    )


def visible(session: Session, actor: Actor, limit: int = 30) -> list[Run]:
    """The newest runs of the regions in the actor's scope."""
    rows = session.scalars(select(Run).order_by(Run.id.desc()).limit(500))
    return [r for r in rows if actor.can_see(r.region)][:limit]


def get(session: Session, actor: Actor, run_id: int) -> Run:
    row = session.get(Run, run_id)
    if row is None or not actor.can_see(row.region):  # another county's run is as if it did not exist
        raise NotFound("run_id", N_("No run %(run)s"), run=run_id)
    return row


def folder(run_id: int) -> Path:
    return get_settings().data_dir / "runs" / str(run_id)


def result_file(row: Run) -> Path | None:
    """The run's download (its CSV), once it is done."""
    name = "whatif.csv" if row.kind == "whatif" else "entitlements.csv"
    path = folder(row.id) / name
    return path if row.status == "done" and path.exists() else None


def launch(run_id: int, url: str | None = None) -> None:
    """Run a committed, queued run in the background."""
    EXECUTOR.submit(execute, run_id, url or get_settings().database_url)


def _update(url: str, run_id: int, **fields) -> None:
    with session_scope(url) as s:
        row = s.get(Run, run_id)
        for k, v in fields.items():
            setattr(row, k, v)


def _population(row: Run, out: Path, url: str) -> Path:
    on = dt.date.fromisoformat(row.settings["on"])
    target = out / "population"
    if row.settings["source"] == "registry":
        return export_region(row.region, on, target, url)
    return generate(row.region, row.settings["persons"], row.id, on).write(target)


def execute(run_id: int, url: str) -> None:
    """Run one run to its end, recording progress and the outcome (a refusal's message id and parameters)."""
    with session_scope(url) as s:
        row = s.get(Run, run_id)
        s.expunge(row)
    out = folder(run_id)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    _update(url, run_id, status="running")
    try:
        result = _whatif(row, out, url) if row.kind == "whatif" else _batch(row, out, url)
    except DomainError as exc:
        error = {"message_id": exc.message_id, "params": {k: str(v) for k, v in exc.params.items()}}
        _update(url, run_id, status="failed", message=str(exc), result={"error": error}, finished_at=_now())
        return
    except Exception as exc:  # the run fails, the server goes on; the log has the traceback
        log.exception("run %s failed", run_id)
        _update(url, run_id, status="failed", message=str(exc)[:2000], finished_at=_now())
        return
    stages = {"done": row.total} if row.kind == "whatif" else {}  # a batch counts its partitions itself
    _update(url, run_id, status="done", result=result, finished_at=_now(), **stages)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _whatif(row: Run, out: Path, url: str) -> dict:
    s = row.settings
    source = _population(row, out, url)
    _update(url, row.id, done=1)
    change = Change(overrides={s["parameter"]: s["value"]})
    result = run_whatif(row.region, source, dt.date.fromisoformat(s["on"]), s["years"], change, workers=1)
    _update(url, row.id, done=2)
    report.write_csv(result, out / "whatif.csv")
    cols = ["beneficiaries_base", "beneficiaries_scenario", "cost_base", "cost_scenario", "cost_diff"]
    return {
        "persons": result.persons,
        "note": result.population_note,
        "by_year": [{k: r[k] for k in ["year", *cols]} for r in result.by_year().iter_rows(named=True)],
        "by_county": [
            {"county": str(r["county"]), **{k: r[k] for k in ["year", *cols]}}
            for r in result.by_county().iter_rows(named=True)
        ],
    }


def _batch(row: Run, out: Path, url: str) -> dict:
    source = _population(row, out, url)
    spec = BatchSpec(row.region, dt.date.fromisoformat(row.settings["on"]), str(source))

    def progress(_part, done: int, total: int) -> None:
        _update(url, row.id, done=done, total=total)

    summary = run_batch(spec, out / "output", workers=1, progress=progress)
    table = read_output(out / "output")
    table.write_csv(out / "entitlements.csv")
    money = table.filter(pl.col("unit").is_in(MONEY))
    by_program = (
        table.group_by("program", "unit")
        .agg(pl.len().alias("entitlements"), pl.col("amount").sum().alias("amount"))
        .sort("program", "unit")
    )
    return {
        "persons": summary.persons,
        "households": summary.households,
        "entitlements": summary.rows,
        "money_entitlements": money.height,
        "by_program": by_program.to_dicts(),
    }
