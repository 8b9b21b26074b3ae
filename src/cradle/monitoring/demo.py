"""Demo data for `cradle init-db`: the registry indicators (births, birth-order shares, sex ratio at birth, TFR,
child mortality, kindergarten coverage, as far as the registry gives them) computed from the synthetic 张店区
population that ``cradle.registry.demo`` ingests, for 张店区 and the city and province above it, so the
dashboards show values the registry really gives; and two reports on 张店区's plan: the 教育局's accepted by the
卫健 office, the 民政局's awaiting review. Runs after the registry demo in ``DEMO_LOADERS``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle import regions
from cradle.auth.actor import Actor
from cradle.monitoring import plan
from cradle.monitoring.refresh import refresh
from cradle.registry.demo import DEMO_COUNTY

DEMO_YEARS = range(2020, 2025)  # complete years before the synthetic population's date (2025-06-30)
REPORTED_ON = dt.date(2025, 12, 20)


def demo_regions() -> list[str]:
    """The demo county and every region above it."""
    return [r.code for r in reversed(regions.chain(DEMO_COUNTY))]


def _unit(dept: str, name: str) -> Actor:
    return Actor(id=f"demo:{dept}", role="dept_clerk", region=DEMO_COUNTY, dept=dept, name=name)


def load_demo(session: Session) -> None:
    codes = demo_regions()
    for year in DEMO_YEARS:
        refresh(session, codes, year)
    education = plan.submit(
        session,
        _unit("jiaoyu", "张店区教育局 王老师"),
        DEMO_COUNTY,
        "zibo.4-3.1",
        "2025",
        "新建、改扩建公办幼儿园4所，普惠性幼儿园覆盖率达到91.2%。",
        REPORTED_ON,
        [{"label": "普惠性幼儿园覆盖率", "value": 91.2, "unit": "%"}],
        today=REPORTED_ON,
    )
    plan.review(session, _unit("weijian", "张店区卫健窗口"), DEMO_COUNTY, education.id, "accept")
    plan.submit(
        session,
        _unit("minzheng", "张店区民政局 赵老师"),
        DEMO_COUNTY,
        "zibo.5-2.2",
        "2025",
        "12户计划生育特殊家庭老人入住公办养老机构。",
        REPORTED_ON,
        today=REPORTED_ON,
    )
    session.commit()
