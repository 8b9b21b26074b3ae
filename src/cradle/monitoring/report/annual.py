"""The annual monitoring report of a region (issue 8 part 6): everything the printed report says, gathered
from the service functions of each domain. Rendering is in :mod:`cradle.monitoring.report.render`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from sqlalchemy.orm import Session

from cradle import regions
from cradle.childcare import capacity
from cradle.childcare.errors import ChildcareError
from cradle.errors import N_, Invalid
from cradle.monitoring import plan, scenarios, warnings
from cradle.monitoring.areas import found
from cradle.monitoring.report import benefits, scorecard
from cradle.monitoring.service import counties_of, project_scenarios

PROJECTION_YEARS = 30
# indicators named in the summary when the scorecard has them
HEADLINE = ("births", "total_fertility_rate", "sex_ratio_at_birth", "childcare_places_per_1000")


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
    projection_note: Invalid | None  # why there is no projection
    summary: list[str] = field(default_factory=list)
    sentences: list = field(default_factory=list)  # the summary as Sentence, for other languages

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
    try:
        return capacity.capacity_report(session, code, on), None
    except ChildcareError as exc:
        return None, str(exc)


def _projection(session: Session, code: str, year: int) -> tuple[Projection | None, str | None]:
    base = dt.date(year + 1, 1, 1)
    runs = project_scenarios(
        session, code, base, [year], PROJECTION_YEARS, [scenarios.LOW, scenarios.MEDIUM, scenarios.HIGH]
    )
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
    ), None


# The summary's sentences: (English message id for the web page, the Chinese the report and the PDF print).
SENTENCES = {
    "facts": (N_("In %(year)s, %(name)s: %(facts)s."), "%(year)s年，%(name)s%(facts)s。"),
    "fact": (N_("%(indicator)s %(value)s%(unit)s"), "%(indicator)s%(value)s%(unit)s"),
    "indicators": (
        N_(
            "%(rows)s indicators monitored, %(judged)s of them judged against a target: %(on_track)s on track, "
            "%(at_risk)s at risk, %(missed)s missed; %(no_data)s without data for the year."
        ),
        "监测指标%(rows)s项，其中可对照目标评价%(judged)s项：达标或进度正常%(on_track)s项，"
        "有风险%(at_risk)s项，未达标%(missed)s项；无本年数据%(no_data)s项。",
    ),
    "plan": (
        N_(
            "%(total)s tasks and measures in the implementation plan: %(done)s done, %(in_progress)s in progress, "
            "%(blocked)s blocked, %(not_started)s not started; %(overdue)s overdue and not done."
        ),
        "实施方案任务措施%(total)s项：已完成%(done)s项，推进中%(in_progress)s项，"
        "受阻%(blocked)s项，未启动%(not_started)s项；逾期未完成%(overdue)s项。",
    ),
    "paid": (
        N_("%(count)s birth-support payments made in the year, %(amount)s yuan in all."),
        "全年发放生育支持待遇%(count)s笔，合计%(amount)s元。",
    ),
    "no_payments": (N_("No benefit payments this year."), "本年度无待遇发放记录。"),
    "warnings": (N_("%(count)s warnings."), "预警%(count)s条。"),
    "no_warnings": (N_("No warnings this year."), "本年度无预警。"),
    "projection_down": (
        N_(
            "Projected on the medium variant (current fertility level kept), the total population in %(end)s is "
            "about %(population)s, %(change)s less than in %(start)s."
        ),
        "按中方案（保持现有生育水平）预测，%(end)s年总人口约%(population)s人，比%(start)s年减少%(change)s。",
    ),
    "projection_up": (
        N_(
            "Projected on the medium variant (current fertility level kept), the total population in %(end)s is "
            "about %(population)s, %(change)s more than in %(start)s."
        ),
        "按中方案（保持现有生育水平）预测，%(end)s年总人口约%(population)s人，比%(start)s年增加%(change)s。",
    ),
}


@dataclass
class Sentence:
    key: str
    params: dict = field(default_factory=dict)

    def text(self, say=None) -> str:
        """The sentence in Chinese, or through ``say`` (message id → translation) in another language."""
        english, chinese = SENTENCES[self.key]
        return (say(english) if say else chinese) % self.params


def _summary_sentences(r: AnnualReport) -> list[Sentence]:
    out = []
    facts = []
    rows = {row.indicator.id: row for row in r.scorecard.rows}
    for row in (rows[i] for i in HEADLINE if i in rows):
        if row.value is not None:
            unit = "" if row.indicator.unit in ("%", "‰") else row.indicator.unit
            facts.append(
                Sentence("fact", {"indicator": row.indicator.name, "value": row.value_text, "unit": unit})
            )
    if facts:
        out.append(Sentence("facts", {"year": r.year, "name": r.name, "facts": facts}))
    counts = r.scorecard.counts()
    judged = counts["on_track"] + counts["at_risk"] + counts["missed"]
    out.append(Sentence("indicators", {"rows": len(r.scorecard.rows), "judged": judged, **counts}))
    out.append(Sentence("plan", {"total": len(r.plan), **r.plan_counts}))
    if r.benefits:
        paid = sum(b.paid_count for b in r.benefits)
        out.append(Sentence("paid", {"count": paid, "amount": f"{r.benefits_total:,.2f}"}))
    else:
        out.append(Sentence("no_payments"))
    out.append(Sentence("warnings", {"count": len(r.warnings)}) if r.warnings else Sentence("no_warnings"))
    if r.projection:
        p = r.projection
        medium = p.population[scenarios.MEDIUM.label]
        if medium[0]:
            out.append(
                Sentence(
                    "projection_down" if medium[-1] < medium[0] else "projection_up",
                    {
                        "end": p.years[-1],
                        "population": f"{medium[-1]:,.0f}",
                        "start": p.years[0],
                        "change": f"{abs(medium[-1] - medium[0]) / medium[0]:.1%}",
                    },
                )
            )
    return out


def summary_text(sentences: list[Sentence], say=None, join: str = "，") -> list[str]:
    """The summary's sentences as text: Chinese, or through ``say`` with facts joined by ``join``."""
    out = []
    for s in sentences:
        if s.key == "facts":
            facts = join.join(f.text(say) for f in s.params["facts"])
            s = Sentence("facts", {**s.params, "facts": facts})
        out.append(s.text(say))
    return out


def build(session: Session, code: str, year: int, today: dt.date | None = None) -> AnnualReport:
    """Gather the report of ``code`` for ``year`` (plan status and late data judged on ``today``)."""
    found(code)
    today = today or dt.date.today()
    region = regions.get(code)
    card = scorecard.build(session, code, year)
    capacity, capacity_note = _capacity(session, code, min(dt.date(year, 12, 31), today))
    paid = benefits.paid_by_program_county(session, code, year)
    codes = list(dict.fromkeys([code, *counties_of(code)]))
    try:
        projection, projection_note = _projection(session, code, year)
    except Invalid as exc:
        projection, projection_note = None, exc
    report = AnnualReport(
        region=code,
        name=region.name,
        level=region.level,
        year=year,
        generated_on=today,
        scorecard=card,
        capacity=capacity,
        capacity_note=capacity_note,
        benefits=paid,
        benefit_programs=benefits.by_program(paid),
        plan=plan.board(session, code, today),
        warnings=warnings.warnings_for(session, codes, year, today),
        projection=projection,
        projection_note=projection_note,
    )
    report.sentences = _summary_sentences(report)
    report.summary = summary_text(report.sentences)
    return report
