"""The annual monitoring report of a region (issue 8 part 6): everything the printed report says, gathered
from the service functions of each domain. Rendering is in :mod:`cradle.monitoring.report.render`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from cradle import regions
from cradle.childcare import capacity
from cradle.errors import N_, Invalid
from cradle.monitoring import catalogue, plan, plan_score, scenarios, warnings
from cradle.monitoring.areas import found
from cradle.monitoring.outlook import Projection, outlook
from cradle.monitoring.report import benefits, scorecard
from cradle.monitoring.service import counties_of

# indicators named in the summary when the scorecard has them
HEADLINE = ("births", "total_fertility_rate", "sex_ratio_at_birth", "childcare_places_per_1000")
SCORE_KEYS = ("due", "accepted", "on_time", "submitted", "returned", "overdue")


@dataclass
class AnnualReport:
    region: str
    name: str
    level: str
    year: int
    generated_on: dt.date
    scorecard: scorecard.Scorecard
    capacity: dict | None
    capacity_note: Invalid | None  # why there is no capacity table, said in the reader's language
    benefits: list[benefits.ProgramCounty]
    benefit_programs: list[dict]
    plan: list[plan.TaskStatus]  # every task with its due items, judged on generated_on
    warnings: list[warnings.Warning]
    projection: Projection | None
    projection_note: Invalid | None  # why there is no projection
    summary: list[str] = field(default_factory=list)
    sentences: list = field(default_factory=list)  # the summary as Sentence, for other languages

    @property
    def plan_units(self) -> list[plan_score.Score]:
        """The 考核 scorecard by unit: the items that fell due in the report's year."""
        return plan_score.by_unit(self.plan, self.generated_on, self.year)

    @property
    def plan_chapters(self) -> list[plan_score.Score]:
        return plan_score.by_chapter(self.plan, self.generated_on, self.year)

    @property
    def plan_overdue(self) -> list[plan.DueItem]:
        return plan.overdue_items(self.plan, self.generated_on)

    @property
    def benefits_total(self) -> Decimal:
        return sum((r.paid_amount for r in self.benefits), Decimal(0))


def _capacity(session: Session, code: str, on: dt.date) -> tuple[dict | None, Invalid | None]:
    try:
        return capacity.capacity_report(session, code, on), None
    except Invalid as exc:
        return None, exc


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
            "%(due)s items of the implementation plan fell due in %(year)s: %(accepted)s accepted (%(on_time)s on "
            "time), %(submitted)s awaiting review, %(returned)s returned, %(overdue)s overdue."
        ),
        "%(year)s年实施方案到期事项%(due)s项：已验收%(accepted)s项（按期%(on_time)s项），待审核%(submitted)s项，"
        "退回%(returned)s项，逾期未报%(overdue)s项。",
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

    def text(self, say=None, locale: str = "zh") -> str:
        """The sentence in Chinese, or through ``say`` (message id → translation) in ``locale``; an indicator is
        kept as its id and said by its name in the sentence's language."""
        english, chinese = SENTENCES[self.key]
        params = dict(self.params)
        if "indicator" in params:
            params["indicator"] = catalogue.indicator_text(params["indicator"], "name", locale)
        return (say(english) if say else chinese) % params


def _summary_sentences(r: AnnualReport) -> list[Sentence]:
    out = []
    facts = []
    rows = {row.indicator.id: row for row in r.scorecard.rows}
    for row in (rows[i] for i in HEADLINE if i in rows):
        if row.value is not None:
            unit = "" if row.indicator.unit in ("%", "‰") else row.indicator.unit
            facts.append(
                Sentence("fact", {"indicator": row.indicator.id, "value": row.value_text, "unit": unit})
            )
    if facts:
        out.append(Sentence("facts", {"year": r.year, "name": r.name, "facts": facts}))
    counts = r.scorecard.counts()
    judged = counts["on_track"] + counts["at_risk"] + counts["missed"]
    out.append(Sentence("indicators", {"rows": len(r.scorecard.rows), "judged": judged, **counts}))
    total = plan_score.Score("")
    for u in r.plan_chapters:
        for k in SCORE_KEYS:
            setattr(total, k, getattr(total, k) + getattr(u, k))
    out.append(Sentence("plan", {"year": r.year, **{k: getattr(total, k) for k in SCORE_KEYS}}))
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


def summary_text(sentences: list[Sentence], say=None, join: str = "，", locale: str = "zh") -> list[str]:
    """The summary's sentences as text: Chinese, or through ``say`` in ``locale`` with facts joined by ``join``."""
    out = []
    for s in sentences:
        if s.key == "facts":
            facts = join.join(f.text(say, locale) for f in s.params["facts"])
            s = Sentence("facts", {**s.params, "facts": facts})
        out.append(s.text(say, locale))
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
        projection, projection_note = outlook(session, code, year), None
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
