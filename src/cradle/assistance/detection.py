"""Who qualifies (免申即享): the registry's households of a county run through the rules engine at once, one row
per eligible person and program with the engine's own explanation as the reason.

`detect` takes catalogue households (as `cradle.batch.registry_source.registry_households` builds them from the
population data hub) so a test or a benchmark can hand it a synthetic county; `index` answers, for the yearly
review, where each person of those households stands (alive, still here, a child born or adopted since).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cradle import gcpause
from cradle.batch.source import plan, read_partition
from cradle.errors import Problems
from cradle.policy.engine import run
from cradle.policy.explain import entitlement
from cradle.policy.household import parse_household
from cradle.policy.population import Population

PARENTS = ("mother", "father")


@dataclass(frozen=True)
class Found:
    program: str
    id_number: str
    name: str
    household: str  # the family's key: its first parent's ID number
    reason: str
    amount: float | None  # None: left to the county's rate


def family_key(household: dict) -> str | None:
    """The first parent's ID number (mother first, as the registry orders them)."""
    for m in household.get("members", []):
        if m.get("relation") in PARENTS and m.get("id_number"):
            return m["id_number"]
    return None


FOUND_SCHEMA = {
    "program": pl.String,
    "person": pl.Int64,  # the person's row in the population
    "household": pl.Int64,  # the household's row
    "reason": pl.String,
    "amount": pl.Float64,  # null: left to the county's rate
}


def found(pop: Population, as_of: dt.date, programs: set[str]) -> pl.DataFrame:
    """Every person of `pop` the programs pay (FOUND_SCHEMA), each with the engine's explanation, computed once
    per distinct set of facts the sentence reads (`reasons`): for a county or a province of persons."""
    frames = []
    for res in run(pop, as_of, only=programs):
        keep = np.flatnonzero(res.beneficiary >= 0)  # a household row has nobody to pay
        if not len(keep):
            continue
        amount = (
            np.full(len(keep), np.nan) if res.amount is None else np.asarray(res.amount[keep], dtype=float)
        )
        frames.append(
            pl.DataFrame(
                {
                    "program": pl.repeat(res.program.id, len(keep), dtype=pl.String, eager=True),
                    "person": res.beneficiary[keep].astype(np.int64),
                    "household": res.household[keep].astype(np.int64),
                    "reason": pl.Series(reasons(res, keep, pop.person_ids), dtype=pl.String),
                    "amount": pl.Series(amount, dtype=pl.Float64, nan_to_null=True),
                }
            )
        )
    if not frames:
        return pl.DataFrame(schema=FOUND_SCHEMA)
    return pl.concat(frames).cast(FOUND_SCHEMA)


def province(
    source: Path,
    region: str,
    as_of: dt.date,
    programs: set[str],
    *,
    workers: int | None = None,
    max_households: int = 200_000,
) -> pl.DataFrame:
    """Who qualifies in a whole region from the batch layout (`cradle batch`'s three tables in `source`): the
    rows of `found` with the layout's person_id and household_id, partition by partition (the batch's plan),
    in `workers` processes (spawned, as the batch runner's, so Polars' threads are never forked)."""
    jobs = [
        (str(source), part, as_of, sorted(programs)) for part in plan(Path(source), region, max_households)
    ]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        tables = [_partition(job) for job in jobs]
    else:
        with mp.get_context("spawn").Pool(workers, initializer=_one_thread) as pool:
            tables = pool.map(_partition, jobs, chunksize=1)
    tables = [t for t in tables if t.height]
    return pl.concat(tables) if tables else pl.DataFrame(schema={**FOUND_SCHEMA, **_IDS})


_IDS = {"person_id": pl.String, "household_id": pl.String}


def _one_thread() -> None:
    os.environ.setdefault("POLARS_MAX_THREADS", "1")  # two processes on two cores, not two pools of threads


def _partition(job) -> pl.DataFrame:
    source, part, as_of, programs = job
    households, persons, births = read_partition(Path(source), part)
    pop = Population.from_frames(households, persons, births)
    table = found(pop, as_of, set(programs))
    return table.with_columns(
        person_id=pl.Series(pop.person_ids).cast(pl.String).gather(table["person"]),
        household_id=pl.Series(pop.household_ids).cast(pl.String).gather(table["household"]),
    )


def _codes(values: np.ndarray) -> np.ndarray:
    """Small integers naming each distinct value (equal values, NaN and NaT included, share one)."""
    try:
        return np.unique(values, return_inverse=True)[1].reshape(-1)
    except TypeError:  # mixed objects (text and None): a dict names them
        seen: dict = {}
        return np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))


def reasons(res, keep: np.ndarray, person_ids: np.ndarray) -> list[str]:
    """The explanation `entitlement()` writes for each of the eligible rows `keep` of `res`, asked once per
    distinct combination of what the sentence reads: its facts and entity columns, the amount and the period
    it names, and the parameter values behind the row (the desk's sources and 待核实). A province's hundreds
    of thousands of rows share a few thousand sentences."""
    rule = res.rule
    rows = res.rows[keep]
    keys: list[np.ndarray] = [np.isnan(np.asarray(res.amount[keep], dtype=float))] if _float(res) else []
    fields = [f for _, f, _, _ in string.Formatter().parse(rule.explanation) if f is not None]
    if any(not f.isidentifier() for f in fields):  # an index or attribute in the sentence: row by row
        return [entitlement(res, int(i), person_ids)["explanation"] for i in keep]
    entity = res.ctx.entity(res.program.entity)
    for f in dict.fromkeys(fields):
        if f == "amount":
            keys.append(np.asarray(res.amount[keep]) if res.amount is not None else np.zeros(len(keep)))
        elif f in ("start", "end"):
            keys.append(getattr(res, f)[keep])
        elif f in rule.facts:
            v = rule.facts[f]
            if callable(v):  # computed once, as the sentence writer does (RowFacts)
                v = rule.facts[f] = v()
            if np.ndim(v):
                keys.append(np.asarray(v)[rows])
        elif f in entity:
            keys.append(np.asarray(getattr(entity, f))[rows])
    for use in res.uses:  # the parameter values each row was read with
        for by in (use.on, use.regions):
            if by is not None and np.ndim(by):
                keys.append(np.asarray(by)[rows])
    if not keys:
        return [entitlement(res, int(keep[0]), person_ids)["explanation"]] * len(keep)
    groups, first, inverse = np.unique(
        np.stack([_codes(k) for k in keys], axis=1), axis=0, return_index=True, return_inverse=True
    )
    said = np.array([entitlement(res, int(keep[i]), person_ids)["explanation"] for i in first], dtype=object)
    return said[inverse.reshape(-1)].tolist()


def _float(res) -> bool:
    return res.amount is not None and np.asarray(res.amount).dtype.kind == "f"


def detect(households: list[dict], as_of: dt.date, programs: set[str]) -> list[Found]:
    parsed, kept = [], []
    with gcpause.paused():  # every household's validated form, alive until the population is built
        for h in households:
            try:
                parsed.append(parse_household(h, as_of))
                kept.append(h)
            except (Problems, KeyError, TypeError):
                continue  # a broken registry record is no reason to stop the county's run
        if not parsed:
            return []
        pop = Population.from_households(parsed)
    out: list[Found] = []
    members: dict[int, dict] = {}  # household row -> its members by id
    for program, person, row, reason, amount in found(pop, as_of, programs).iter_rows():
        household = kept[row]
        by_id = members.get(row)
        if by_id is None:
            by_id = members[row] = {m["id"]: m for m in reversed(household["members"])}  # the first wins
        member = by_id[str(pop.person_ids[person])]
        if not member.get("id_number"):
            continue
        out.append(
            Found(
                program=program,
                id_number=member["id_number"],
                name=member.get("name") or "",
                household=family_key(household) or member["id_number"],
                reason=reason,
                amount=_amount(amount),
            )
        )
    return out


def _amount(value: float | None) -> float | None:
    """As `entitlement()` gives it: whole figures as int, others to the fen."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)


@dataclass(frozen=True)
class Standing:
    deceased: bool
    newest_child: dt.date | None  # the youngest child's birth date
    adopted: bool  # a child adopted with no date given (a household entered by hand)
    adopted_on: dt.date | None = None  # the newest adoption's date (the registry's, from 民政's 收养登记)

    def new_child_since(self, day: dt.date) -> bool:
        """A child born or adopted on or after `day` (an undated adoption counts: it cannot be placed)."""
        return (
            self.adopted
            or (self.newest_child is not None and self.newest_child >= day)
            or (self.adopted_on is not None and self.adopted_on >= day)
        )


def index(households: list[dict]) -> dict[str, Standing]:
    """Every parent with an ID number in `households`, with what the yearly review asks of them."""
    out: dict[str, Standing] = {}
    for h in households:
        kids = [m for m in h.get("members", []) if m.get("relation") == "child" and m.get("birth_date")]
        newest = max((dt.date.fromisoformat(m["birth_date"]) for m in kids), default=None)
        adopted = any(m.get("adopted") and not m.get("adopted_on") for m in kids)
        adopted_on = max(
            (
                dt.date.fromisoformat(str(m["adopted_on"]))
                for m in kids
                if m.get("adopted") and m.get("adopted_on")
            ),
            default=None,
        )
        for m in h.get("members", []):
            if m.get("relation") in PARENTS and m.get("id_number"):
                out[m["id_number"]] = Standing(bool(m.get("deceased")), newest, adopted, adopted_on)
    return out
