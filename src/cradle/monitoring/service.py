"""Projection for an area: inputs from the registry where it has history, documented defaults where not.

Default base population where the registry has nobody in a county: the 2020 census resident population of
the nearest ancestor in :mod:`cradle.census` (cities and 山西省), split **equally over its county-level
units** (the census table has no county figures), with the default age structure
(:mod:`cradle.monitoring.schedules`). Results say which counties used it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from cradle import regions
from cradle.census import resident_population
from cradle.errors import N_, Invalid
from cradle.monitoring import scenarios
from cradle.monitoring.estimate import estimate
from cradle.monitoring.projection import ProjectionResult, project
from cradle.monitoring.registry_source import load_records
from cradle.monitoring.schedules import default_base


def counties_of(code: str) -> list[str]:
    region = regions.get(code)
    if region.level == "county":
        return [code]
    return [r.code for r in regions.descendants(code, "county")]


def census_split(county: str) -> float | None:
    """The county's share of its nearest census ancestor's population (equal split), or None."""
    for anc in reversed(regions.ancestors(county)[:-1]):
        if anc in resident_population():
            return resident_population()[anc] / len(counties_of(anc))
    return None


@dataclass(frozen=True)
class AreaProjection:
    result: ProjectionResult
    scenario: scenarios.Scenario
    defaulted: tuple[str, ...]  # counties whose base came from the census split, not the registry
    tfr: np.ndarray  # starting TFR per county


def project_area(
    session: Session,
    code: str,
    base_date: dt.date,
    history_years: list[int],
    years: int = 30,
    scenario: scenarios.Scenario = scenarios.MEDIUM,
) -> AreaProjection:
    return project_scenarios(session, code, base_date, history_years, years, [scenario])[0]


def project_scenarios(
    session: Session,
    code: str,
    base_date: dt.date,
    history_years: list[int],
    years: int,
    scenario_list: list[scenarios.Scenario],
) -> list[AreaProjection]:
    """Several scenarios from one reading of the registry (same inputs as :func:`project_area`)."""
    counties = counties_of(code)
    if not counties:
        raise Invalid("region", N_("There are no county-level units in %(region)s"), region=code)
    est = estimate(load_records(session, base_date), counties, base_date, history_years)
    base = est.base.copy()
    empty = base.sum(axis=(1, 2)) == 0
    defaulted = []
    for i in np.flatnonzero(empty):
        total = census_split(counties[i])
        if total is None:
            raise Invalid(
                "region",
                N_("No registry population and no census figure for %(county)s"),
                county=counties[i],
            )
        base[i] = default_base(np.array([total]))[0]
        defaulted.append(counties[i])
    out = []
    for scenario in scenario_list:
        asfr = scenarios.scenario_asfr(est.asfr, scenario, years)
        result = project(
            base,
            est.mortality,
            asfr,
            est.srb,
            est.migration,
            years=years,
            start_year=base_date.year,
            regions=tuple(counties),
        )
        out.append(AreaProjection(result, scenario, tuple(defaulted), est.tfr))
    return out
