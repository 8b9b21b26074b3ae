"""The cost preview an approver sees before publishing: the jurisdiction's registry population (the households
the population data hub places in it today, as 免申即享 and `cradle whatif --source registry` read them) run
through the engine with the current values and with the proposed one, for this year and the next two: the
beneficiaries and cost of the programs that read the parameter, and the change. The proposed value counts in a
year whose 1 July falls in its dated period, as what-if reads a year.

Reading a county's households takes about a minute for a real county (docs/performance.md), so a preview is kept
(`params_preview`) under the key of what it read: the day, the desk's version and the registry's. The page starts
its computation in the background and shows it when done; the CLI and the API compute it in the request when no
kept one is current. An approval keeps the preview the approver was shown.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as Pending

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import gcpause
from cradle.batch.compute import entitlements
from cradle.batch.cost import summarise
from cradle.batch.registry_source import registry_households
from cradle.batch.whatif import as_of_for
from cradle.db import session_scope
from cradle.params.models import CostPreview, Proposal, Version, utcnow
from cradle.params.snapshot import parse_value
from cradle.policy.household import parse_household
from cradle.policy.packs import load_packs
from cradle.policy.population import Population
from cradle.registry import roster

YEARS = 3
ABANDONED = dt.timedelta(minutes=30)  # a computation not done by then (its process gone) is started again
log = logging.getLogger(__name__)
_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cradle-preview")
_lock = threading.Lock()
_running: dict[tuple[int, str], Future] = {}


def programs_reading(name: str) -> set[str]:
    """The programs of the parameter's pack that read it (`<pack>.<program>.<key>`)."""
    pack_id, program, _ = name.split(".", 2)
    pack = next(p for p in load_packs() if p.id == pack_id)
    return {prog.id for prog in pack.programs if prog.id == f"{pack_id}.{program}"}


def preview(session: Session, p: Proposal, today: dt.date | None = None) -> dict:
    """{"households", "years": [{year, beneficiaries_current, cost_current, beneficiaries_proposed,
    cost_proposed, cost_change}]} for the proposal's jurisdiction."""
    today = today or dt.date.today()
    with gcpause.paused():  # the households and their validated forms, alive until the population is built
        households = registry_households(session, p.scope, today)
        pop = Population.from_households([parse_household(h, today) for h in households])
    only = programs_reading(p.parameter)
    value = parse_value(p.value)
    years = []
    for year in range(today.year, today.year + YEARS):
        as_of = as_of_for(year, today)
        current = _totals(entitlements(pop, as_of, only=only), year)
        in_force = p.effective_from <= as_of and (p.effective_to is None or as_of <= p.effective_to)
        proposed = (
            _totals(entitlements(pop, as_of, {p.parameter: value}, only), year) if in_force else current
        )
        years.append(
            {
                "year": year,
                "beneficiaries_current": current[0],
                "cost_current": current[1],
                "beneficiaries_proposed": proposed[0],
                "cost_proposed": proposed[1],
                "cost_change": round(proposed[1] - current[1], 2),
            }
        )
    return {"households": pop.n_households, "programs": sorted(only), "years": years}


def _totals(table: pl.DataFrame, year: int) -> tuple[int, float]:
    if table.height == 0:
        return 0, 0.0
    s = summarise(table, year)
    return int(s["beneficiaries"].sum()), round(float(s["cost"].sum()), 2)


def key(session: Session, p: Proposal, today: dt.date | None = None) -> str:
    """What a preview read: the day, the desk's version and the registry's (a new record, a merge)."""
    desk = session.scalar(select(func.max(Version.version))) or 0
    records, merges = roster.version(session)
    return f"{today or dt.date.today()}|{p.value}|{desk}|{records}|{merges}"


def kept(session: Session, p: Proposal, today: dt.date | None = None) -> dict | None:
    """The kept preview if it is current, else None."""
    row = session.get(CostPreview, p.id)
    if row is None or row.result is None or row.key != key(session, p, today):
        return None
    return row.result


def current(session: Session, p: Proposal, today: dt.date | None = None) -> dict:
    """The kept preview if current, else computed now and kept (the CLI and the API)."""
    found = kept(session, p, today)
    if found is not None:
        return found
    k = key(session, p, today)
    result = preview(session, p, today)
    row = session.get(CostPreview, p.id) or CostPreview(proposal_id=p.id)
    row.key, row.result, row.error, row.started_at, row.finished_at = k, result, None, utcnow(), utcnow()
    session.add(row)
    return result


def shown(
    session: Session, p: Proposal, url: str, wait: float = 2.0
) -> tuple[dict | None, CostPreview | None]:
    """For the page: (the current preview or None, the row of its computation under way or failed). A missing
    or outdated preview is computed in the background, once per key (a row marks it under way for every process),
    and awaited `wait` seconds, so a small jurisdiction's shows at once."""
    k = key(session, p)
    row = session.get(CostPreview, p.id)
    if row is not None and row.key == k:
        if row.result is not None:
            return row.result, None
        under_way = row.error is None and utcnow() - row.started_at < ABANDONED
        if under_way and (p.id, k) not in _running:
            return None, row  # another process is at it
    with _lock:
        job = _running.get((p.id, k))
        if job is None:
            job = _running[(p.id, k)] = _EXECUTOR.submit(_compute, p.id, k, url)
            job.add_done_callback(lambda _f, done=(p.id, k): _running.pop(done, None))
    try:
        result, _error = job.result(timeout=wait)
    except Pending:
        result = None
    if result is not None:
        return result, None
    session.expire_all()  # the row as the computation left it: under way, or failed
    return None, session.get(CostPreview, p.id)


def _compute(proposal_id: int, k: str, url: str) -> tuple[dict | None, str | None]:
    """Marks the computation under way, computes and keeps the preview under `k` (unless a newer key has
    replaced it meanwhile). Returns (result, error)."""
    with session_scope(url) as s:
        row = s.get(CostPreview, proposal_id) or CostPreview(proposal_id=proposal_id)
        row.key, row.result, row.error, row.started_at, row.finished_at = k, None, None, utcnow(), None
        s.add(row)
    result = error = None
    try:
        with session_scope(url) as s:
            result = preview(s, s.get(Proposal, proposal_id), dt.date.fromisoformat(k.split("|", 1)[0]))
    except (
        Exception
    ) as exc:  # the page says it failed and the next view tries again; the log has the traceback
        log.exception("cost preview of proposal %s failed", proposal_id)
        error = f"{type(exc).__name__}: {exc}"[:2000]
    with session_scope(url) as s:
        row = s.get(CostPreview, proposal_id)
        if row is not None and row.key == k:
            row.result, row.error, row.finished_at = result, error, utcnow()
    return result, error
