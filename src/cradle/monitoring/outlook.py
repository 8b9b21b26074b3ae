"""The 30-year outlook of a region that the dashboard and the annual report show: population and births under the
low, medium and high scenarios, children under three and the 托位 needed under the medium one.

托位 needed: the medium population times the 托位 per 1000 target that binds the region (its own, one set for every
unit of its level, or an ancestor's as a benchmark: `scorecard.choose_target`); none when no target binds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from cradle.monitoring import scenarios
from cradle.monitoring.report import scorecard
from cradle.monitoring.service import project_scenarios

PROJECTION_YEARS = 30
SCENARIOS = [scenarios.LOW, scenarios.MEDIUM, scenarios.HIGH]


@dataclass
class Projection:
    years: list[int]
    population: dict[str, list[float]]  # scenario label (低方案, 中方案, 高方案) → totals by year
    births: dict[str, list[float]]
    under3: list[float]  # medium
    slots_needed: list[float] | None  # medium population × the region's 托位 per-1000 target
    slots_standard: float | None
    counties: int
    defaulted: int
    tfr: float  # population-weighted starting TFR

    def chart(self, titles: dict[str, str], unit: str) -> dict:
        """The population lines, one per scenario, for the dashboard's chart (ECharts)."""
        return {
            "kind": "lines",
            "unit": unit,
            "years": [str(y) for y in self.years],
            "series": [{"name": titles[k], "values": v} for k, v in self.population.items()],
        }


def outlook(session: Session, code: str, year: int) -> Projection:
    """The outlook from the start of the year after ``year``, rates from ``year``'s registry records."""
    base = dt.date(year + 1, 1, 1)
    runs = project_scenarios(session, code, base, [year], PROJECTION_YEARS, SCENARIOS)
    medium = runs[1].result
    target = scorecard.choose_target(code, "childcare_places_per_1000")
    per_1000 = target.target.value if target and target.target.comparator in (">=", ">") else None
    total = medium.total().sum(1)
    weights = medium.total()[0]
    tfr = float(np.average(runs[1].tfr, weights=weights)) if weights.sum() > 0 else float(runs[1].tfr.mean())
    return Projection(
        years=list(medium.years),
        population={r.scenario.label: r.result.total().sum(1).round().tolist() for r in runs},
        births={r.scenario.label: r.result.births_total().sum(1).round().tolist() for r in runs},
        under3=medium.under(3).sum(1).round().tolist(),
        slots_needed=(total * per_1000 / 1000).round().tolist() if per_1000 else None,
        slots_standard=per_1000,
        counties=len(medium.regions),
        defaulted=len(runs[1].defaulted),
        tfr=tfr,
    )
