"""The annual monitoring report of a region (issue 8 part 6): everything the printed report says, gathered
from the service functions of each domain. Rendering is in :mod:`cradle.monitoring.report.render`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from sqlalchemy.orm import Session

from cradle import regions
from cradle.monitoring import plan, scenarios, warnings
from cradle.monitoring.report import benefits, scorecard
from cradle.monitoring.service import counties_of, project_scenarios

PROJECTION_YEARS = 30
# indicators named in the summary when the scorecard has them
HEADLINE = ("births", "total_fertility_rate", "sex_ratio_at_birth", "childcare_places_per_1000")


@dataclass
class Projection:
    years: list[int]
    population: dict[str, list[float]]  # scenario label → totals by year
    births: dict[str, list[float]]
    under3: list[float]  # medium
    slots_needed: list[float] | None  # medium population × the region's 托位 per-1000 target
    slots_standard: float | None
    counties: int
    defaulted: int
    tfr: float  # population-weighted starting TFR


@dataclass
class AnnualReport:
    region: str
    name: str
    level: str
    year: int
    generated_on: dt.date
    scorecard: scorecard.Scorecard
    capacity: dict | None
    capacity_note: str | None
    benefits: list[benefits.ProgramCounty]
    benefit_programs: list[dict]
    plan: list[plan.MeasureStatus]
    warnings: list[warnings.Warning]
    projection: Projection | None
    projection_note: str | None
    summary: list[str] = field(default_factory=list)

    @property
    def plan_counts(self) -> dict[str, int]:
        out = dict.fromkeys(plan.STATUSES, 0)
        for m in self.plan:
            out[m.status] += 1
        out["overdue"] = sum(m.overdue for m in self.plan)
        return out

    @property
    def benefits_total(self) -> Decimal:
        return sum((r.paid_amount for r in self.benefits), Decimal(0))


def _capacity(session: Session, code: str, on: dt.date) -> tuple[dict | None, str | None]:
    from cradle.childcare import capacity
    from cradle.childcare.errors import ChildcareError

    try:
        return capacity.capacity_report(session, code, on), None
    except ChildcareError as exc:
        return None, str(exc)


def _projection(session: Session, code: str, year: int) -> tuple[Projection | None, str | None]:
    base = dt.date(year + 1, 1, 1)
    runs = project_scenarios(session, code, base, [year], PROJECTION_YEARS,
                             [scenarios.LOW, scenarios.MEDIUM, scenarios.HIGH])
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
        counties=len(medium.regions), defaulted=len(runs[1].defaulted), tfr=tfr,
    ), None


def _summary(r: AnnualReport) -> list[str]:
    out = []
    facts = []
    for ind_id in HEADLINE:
        try:
            row = r.scorecard.row(ind_id)
        except KeyError:
            continue
        if row.value is not None:
            facts.append(f"{row.indicator.name}{row.value_text}"
                         f"{'' if row.indicator.unit in ('%', '‰') else row.indicator.unit}")
    if facts:
        out.append(f"{r.year}年，{r.name}" + "，".join(facts) + "。")
    counts = r.scorecard.counts()
    judged = counts["on_track"] + counts["at_risk"] + counts["missed"]
    out.append(f"监测指标{len(r.scorecard.rows)}项，其中可对照目标评价{judged}项：达标或进度正常{counts['on_track']}项，"
               f"有风险{counts['at_risk']}项，未达标{counts['missed']}项；无本年数据{counts['no_data']}项。")
    pc = r.plan_counts
    out.append(f"实施方案任务措施{len(r.plan)}项：已完成{pc['done']}项，推进中{pc['in_progress']}项，"
               f"受阻{pc['blocked']}项，未启动{pc['not_started']}项；逾期未完成{pc['overdue']}项。")
    if r.benefits:
        paid = sum(b.paid_count for b in r.benefits)
        out.append(f"全年发放生育支持待遇{paid}笔，合计{r.benefits_total:,.2f}元。")
    else:
        out.append("本年度无待遇发放记录。")
    out.append(f"预警{len(r.warnings)}条。" if r.warnings else "本年度无预警。")
    if r.projection:
        p = r.projection
        medium = p.population["中方案"]
        out.append(f"按中方案（保持现有生育水平）预测，{p.years[-1]}年总人口约{medium[-1]:,.0f}人，"
                   f"比{p.years[0]}年{'减少' if medium[-1] < medium[0] else '增加'}"
                   f"{abs(medium[-1] - medium[0]) / medium[0]:.1%}。" if medium[0] else "")
    return [s for s in out if s]


def build(session: Session, code: str, year: int, today: dt.date | None = None) -> AnnualReport:
    """Gather the report of ``code`` for ``year`` (plan status and late data judged on ``today``)."""
    if not regions.exists(code):
        raise KeyError(f"region: unknown code {code!r}")
    today = today or dt.date.today()
    region = regions.get(code)
    card = scorecard.build(session, code, year)
    capacity, capacity_note = _capacity(session, code, min(dt.date(year, 12, 31), today))
    paid = benefits.paid_by_program_county(session, code, year)
    codes = list(dict.fromkeys([code, *counties_of(code)]))
    try:
        projection, projection_note = _projection(session, code, year)
    except ValueError as exc:
        projection, projection_note = None, str(exc)
    report = AnnualReport(
        region=code, name=region.name, level=region.level, year=year, generated_on=today, scorecard=card,
        capacity=capacity, capacity_note=capacity_note, benefits=paid, benefit_programs=benefits.by_program(paid),
        plan=plan.board(session, code, today), warnings=warnings.warnings_for(session, codes, year, today),
        projection=projection, projection_note=projection_note,
    )
    report.summary = _summary(report)
    return report
