"""Warnings on the 妇幼 workbench: 专案 follow-ups past their due date, 生育咨询指导 follow-ups past theirs, and
deaths whose review has waited longer than `REVIEW_DAYS`. Each says why in a message id (translated when shown)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.errors import N_, translate
from cradle.health import access, cases, guidance
from cradle.health.models import DeathReport

REVIEW_DAYS = 30  # 孕产妇死亡 is reviewed at county level within a month of its report


@dataclass(frozen=True)
class Warning:
    kind: str  # case_overdue | guidance_overdue | review_waiting
    subject: str
    link: str
    message_id: str
    params: dict

    def text(self, locale: str = "zh") -> str:
        return translate(self.message_id, self.params, locale)


def for_actor(session: Session, actor, today: dt.date | None = None) -> list[Warning]:
    today = today or dt.date.today()
    out = [
        Warning(
            "case_overdue",
            f"case:{c['case_id']}",
            f"/health/cases/{c['case_id']}",
            N_("High-risk case %(case)s (%(pregnancy)s): follow-up overdue by %(days)s days (due %(due)s)."),
            {
                "case": c["case_id"],
                "pregnancy": c["pregnancy_no"],
                "days": c["overdue_days"],
                "due": c["next_due"],
            },
        )
        for c in cases.listing(session, actor, today, overdue_only=True)
    ]
    if actor.role in access.GUIDES:
        out += [
            Warning(
                "guidance_overdue",
                f"guidance:{g['guidance_id']}",
                "/health/guidance",
                N_("Fertility counselling for registration %(number)s was due on %(due)s."),
                {"number": g["registration_no"], "due": g["due_on"]},
            )
            for g in guidance.listing(session, actor, "open", today)
            if g["overdue"]
        ]
    if access.may_review(actor):
        waiting = session.scalars(
            select(DeathReport).where(
                access.region_filter(actor, DeathReport.region, DeathReport.town),
                DeathReport.review_status == "pending",
                DeathReport.died_on < today - dt.timedelta(days=REVIEW_DAYS),
            )
        )
        out += [
            Warning(
                "review_waiting",
                f"death:{d.id}",
                f"/health/deaths/{d.id}",
                N_("Death report %(id)s (%(date)s) is still awaiting its review."),
                {"id": d.id, "date": d.died_on},
            )
            for d in waiting
        ]
    return out
