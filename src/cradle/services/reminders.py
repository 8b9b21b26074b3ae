"""Deadlines from the rules, on the citizen's page and in a daily reminder job.

- 医保参保 within six months of birth (陆河 `luhe.newborn_insurance_window`; the 出生一件事 insurance task);
- maternity claims within three years of delivery (陆河 `luhe.maternity_claim_deadline`; the claim tasks);
- the third birthday ending a monthly subsidy (the approved case's period end).
Engine deadlines (`kind: deadline`) are read from each case's household through the rules engine.
`run_daily()` sends each reminder once: the (person, kind, subject, due) row is unique.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cradle.errors import Problems
from cradle.policy.calc import calc_household
from cradle.services import bundle as bundles
from cradle.services import notifications
from cradle.services.models import BirthBundle, BundleTask, Case, Reminder

HORIZON_DAYS = 30


def _engine_deadlines(household: dict, on: dt.date) -> list[dict]:
    try:
        result = calc_household(household, on)
    except Problems:
        return []
    return [e for e in result["entitlements"] if e["kind"] == "deadline" and e.get("amount")]


def deadlines(session: Session, id_number: str, today: dt.date | None = None) -> list[dict]:
    """Every coming deadline for this person, soonest first: `title` says it in Chinese (for SMS), `what`,
    `who` and `why` are its parts, for pages in another language (a task's `kind` is `task.<its kind>`)."""
    today = today or dt.date.today()
    out: list[dict] = []
    for b in bundles.of_person(session, id_number):
        for t in bundles.tasks(session, b):
            if t.deadline and t.status not in ("done",) and t.deadline >= today:
                what = bundles.title_text(t.kind)
                out.append(
                    {
                        "kind": f"task.{t.kind}",
                        "subject": f"bundle:{b.bundle_no}",
                        "due": t.deadline,
                        "title": f"{what}：请于 {t.deadline.isoformat()} 前办理",
                        "what": what,
                    }
                )
    seen: set[str] = set()
    for c in session.execute(select(Case).where(Case.applicant_id_number == id_number)).scalars():
        if c.status == "approved" and c.period_end and c.period_end >= today:
            out.append(
                {
                    "kind": "subsidy_end",
                    "subject": f"case:{c.case_no}",
                    "due": c.period_end,
                    "title": f"{c.eligibility['entitlement']['title']}发放至 {c.period_end.isoformat()}"
                    f"（{c.beneficiary_name}满3周岁）止",
                    "what": c.eligibility["entitlement"]["title"],
                    "who": c.beneficiary_name,
                }
            )
        key = json.dumps(c.household, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        for e in _engine_deadlines(c.household, today):
            due = dt.date.fromisoformat(e["amount"])
            if due >= today:
                out.append(
                    {
                        "kind": e["program"],
                        "subject": f"case:{c.case_no}",
                        "due": due,
                        "title": f"{e['title']}：{due.isoformat()} 截止。{e['explanation']}",
                        "what": e["title"],
                        "why": e["explanation"],
                    }
                )
    return sorted(out, key=lambda d: d["due"])


def run_daily(session: Session, today: dt.date | None = None, horizon: int = HORIZON_DAYS) -> dict:
    """Send a reminder for each deadline within `horizon` days that has not been reminded yet."""
    today = today or dt.date.today()
    people = set(
        session.execute(
            select(BirthBundle.mother_id_number)
            .join(BundleTask, BundleTask.bundle_id == BirthBundle.id)
            .where(BundleTask.status != "done")
        ).scalars()
    )
    people |= set(
        session.execute(
            select(Case.applicant_id_number).where(Case.status.not_in(("withdrawn", "declined", "rejected")))
        ).scalars()
    )
    sent = 0
    for person in sorted(people):
        for d in deadlines(session, person, today):
            if d["due"] > today + dt.timedelta(days=horizon):
                continue
            try:
                with session.begin_nested():
                    session.add(
                        Reminder(
                            recipient_id_number=person,
                            kind=d["kind"],
                            subject=d["subject"],
                            due=d["due"],
                            sent_on=today,
                        )
                    )
                    session.flush()
            except IntegrityError:
                continue  # already reminded
            notifications.notify(session, person, "reminder", d["subject"], f"提醒：{d['title']}")
            sent += 1
    return {"people": len(people), "sent": sent}
