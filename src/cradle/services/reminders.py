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

from cradle.errors import N_, Problems
from cradle.policy.calc import calc_household
from cradle.services import bundle as bundles
from cradle.services import notifications
from cradle.services.models import BirthBundle, BundleTask, Case, Reminder

HORIZON_DAYS = 30
# What a deadline says (message ids, with their parameters kept beside `title`), and the reminder around it.
TASK_DUE = N_("%(task)s: to be done by %(due)s")
SUBSIDY_ENDS = N_("%(program)s is paid until %(due)s (when %(who)s turns 3)")
ENGINE_DUE = N_("%(program)s: deadline %(due)s. %(explanation)s")
REMINDER = N_("Reminder: %(deadline)s")


def _said(message: str, params: dict) -> dict:
    return {"message": message, "params": params, "title": notifications.say(message, params)}


def _engine_deadlines(household: dict, on: dt.date) -> list[dict]:
    try:
        result = calc_household(household, on)
    except Problems:
        return []
    return [e for e in result["entitlements"] if e["kind"] == "deadline" and e.get("amount")]


def deadlines(session: Session, id_number: str, today: dt.date | None = None) -> list[dict]:
    """Every coming deadline for this person, soonest first: `title` says it in Chinese (for SMS), from
    `message` and `params` (a message id and its values), `what`,
    `who` and `why` are its parts, for pages in another language (a task's `kind` is `task.<its kind>`)."""
    today = today or dt.date.today()
    out: list[dict] = []
    for b in bundles.of_person(session, id_number):
        for t in bundles.tasks(session, b):
            if t.deadline and t.status not in ("done",) and t.deadline >= today:
                what = bundles.title_text(t.kind)
                params = {
                    "task": notifications.label(bundles.KINDS[t.kind].title),
                    "due": t.deadline.isoformat(),
                }
                out.append(
                    {
                        "kind": f"task.{t.kind}",
                        "subject": f"bundle:{b.bundle_no}",
                        "due": t.deadline,
                        **_said(TASK_DUE, params),
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
                    **_said(
                        SUBSIDY_ENDS,
                        {
                            "program": c.eligibility["entitlement"]["title"],
                            "due": c.period_end.isoformat(),
                            "who": c.beneficiary_name,
                        },
                    ),
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
                        **_said(
                            ENGINE_DUE,
                            {"program": e["title"], "due": due.isoformat(), "explanation": e["explanation"]},
                        ),
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
            deadline = {"message": d["message"], "params": d["params"]}
            notifications.notify(
                session, person, "reminder", d["subject"], REMINDER, params={"deadline": deadline}
            )
            sent += 1
    return {"people": len(people), "sent": sent}
