"""What a projection implies: 托位 (childcare places) needed and benefit cost, by year and region."""

from __future__ import annotations

import numpy as np

from cradle.monitoring.projection import ProjectionResult


def slots_by_standard(result: ProjectionResult, per_1000: float) -> np.ndarray:
    """Places needed to meet a 'places per 1000 population' target (e.g. 4.5), ``[year, region]``."""
    if per_1000 < 0:
        raise ValueError("per_1000: must be non-negative")
    return result.total() * per_1000 / 1000.0


def slots_by_demand(result: ProjectionResult, enrolment_rate: float) -> np.ndarray:
    """Places wanted if ``enrolment_rate`` of the 0–2 year-olds attend, ``[year, region]``."""
    if not 0 <= enrolment_rate <= 1:
        raise ValueError("enrolment_rate: must be between 0 and 1")
    return result.under(3) * enrolment_rate


def child_years_under(result: ProjectionResult, age: int = 3) -> np.ndarray:
    """Person-years lived under ``age`` during each projected year (mean of start and end), ``[year, region]``."""
    u = result.under(age)
    return (u[:-1] + u[1:]) / 2.0


def benefit_cost(
    result: ProjectionResult, annual_amount: float, eligible_share: float | np.ndarray = 1.0, age: int = 3
) -> np.ndarray:
    """Cost of a per-child benefit paid to children under ``age`` (e.g. 3600 CNY/year for the national
    育儿补贴), for the share of them that is eligible (e.g. second and later children), ``[year, region]``
    for ``result.years[:-1]``."""
    if annual_amount < 0:
        raise ValueError("annual_amount: must be non-negative")
    share = np.asarray(eligible_share, dtype=float)
    if np.any((share < 0) | (share > 1)):
        raise ValueError("eligible_share: must be between 0 and 1")
    return child_years_under(result, age) * annual_amount * share
