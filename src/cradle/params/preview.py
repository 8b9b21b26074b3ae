"""The cost preview an approver sees before publishing: the jurisdiction's registry population (the households
the population data hub places in it today, as 免申即享 and `cradle whatif --source registry` read them) run
through the engine with the current values and with the proposed one, for this year and the next two: the
beneficiaries and cost of the programs that read the parameter, and the change. The proposed value counts in a
year whose 1 July falls in its dated period, as what-if reads a year."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy.orm import Session

from cradle.batch.compute import entitlements
from cradle.batch.cost import summarise
from cradle.batch.registry_source import registry_households
from cradle.batch.whatif import as_of_for
from cradle.params.models import Proposal
from cradle.params.snapshot import parse_value
from cradle.policy.household import parse_household
from cradle.policy.packs import load_packs
from cradle.policy.population import Population

YEARS = 3


def programs_reading(name: str) -> set[str]:
    """The programs of the parameter's pack that read it (`<pack>.<program>.<key>`)."""
    pack_id, program, _ = name.split(".", 2)
    pack = next(p for p in load_packs() if p.id == pack_id)
    return {prog.id for prog in pack.programs if prog.id == f"{pack_id}.{program}"}


def preview(session: Session, p: Proposal, today: dt.date | None = None) -> dict:
    """{"households", "years": [{year, beneficiaries_current, cost_current, beneficiaries_proposed,
    cost_proposed, cost_change}]} for the proposal's jurisdiction."""
    today = today or dt.date.today()
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
