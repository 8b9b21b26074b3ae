"""Demo data for `cradle init-db`: the registry indicators (births, birth-order shares, sex ratio at birth, TFR,
child mortality, kindergarten coverage, as far as the registry gives them) computed from the synthetic 张店区
population that ``cradle.registry.demo`` ingests, for 张店区 and the city and province above it, so the
dashboards show values the registry really gives. Runs after the registry demo in ``DEMO_LOADERS``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cradle import regions
from cradle.monitoring.refresh import refresh
from cradle.registry.demo import DEMO_COUNTY

DEMO_YEARS = range(2020, 2025)  # complete years before the synthetic population's date (2025-06-30)


def demo_regions() -> list[str]:
    """The demo county and every region above it."""
    return [r.code for r in reversed(regions.chain(DEMO_COUNTY))]


def load_demo(session: Session) -> None:
    codes = demo_regions()
    for year in DEMO_YEARS:
        refresh(session, codes, year)
    session.commit()
