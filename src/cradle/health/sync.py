"""The health domain's scheduled job (`cradle health sync`, nightly): what the feeds bring needs a step SQL
cannot take while it stores them, and some work falls due with the calendar."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from cradle.health import cases, offers


def run(session: Session, today: dt.date | None = None) -> dict[str, int]:
    """Open the 高危专案 of newly fed orange, red and purple assessments, close cases 42 days after delivery,
    offer the free checks to newly married couples, and complete the offers whose checks arrived."""
    today = today or dt.date.today()
    return {
        "cases_opened": cases.open_from_feeds(session),
        "cases_closed": cases.close_after_delivery(session, today),
        "offers_made": offers.offer_new_marriages(session, today),
        "offers_done": offers.complete_from_feeds(session),
    }
