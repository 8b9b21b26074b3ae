"""The engine's short English notes ("encouraged", "amount set by county", …) said in the reader's language.
Notes written in Chinese by a pack are shown as they are."""

from __future__ import annotations

import re

from cradle.errors import N_
from cradle.web import formatting
from cradle.web.i18n import translations

LEVELS = {"county": N_("county"), "city": N_("city"), "province": N_("province"), "national": N_("state")}
UNCONFIRMED = "amount unconfirmed: regulation not loaded"


def unset_amount(note: str | None, locale: str) -> str:
    """What to show instead of an amount the engine left empty, from who sets it."""
    t = translations(locale)
    if note == UNCONFIRMED:
        return t.gettext("Amount to be confirmed")
    if (note or "").startswith("in force from "):
        return t.gettext("Not yet in force")
    match = re.fullmatch(r"amount set by (\w+)", note or "")
    level = match.group(1) if match else "county"
    if level == "county":
        return t.gettext("Amount set by the county")
    return t.gettext("Amount set by the %(level)s") % {"level": t.gettext(LEVELS.get(level, level))}


def describe(note: str | None, locale: str) -> str | None:
    """The note as a sentence; None when there is nothing to add (the amount line already says it)."""
    if not note or note.startswith("amount set by "):
        return None
    t = translations(locale)
    if note == "encouraged":
        return t.gettext("Encouraged by the policy: the employer decides whether to grant it.")
    if note == "at least":
        return t.gettext("The document sets this amount as a minimum: at least this much.")
    if note == UNCONFIRMED:
        return t.gettext(
            "The regulation that holds this figure is not loaded yet; the value is to be confirmed."
        )
    match = re.fullmatch(r"in force from (\d{4}-\d{2}-\d{2})", note)
    if match:
        return t.gettext("In force from %(date)s") % {"date": formatting.date(match.group(1), locale)}
    return note


def is_draft(status: str | None) -> bool:
    return bool(status) and ("draft" in status or "征求意见" in status)


def document_status(status: str | None, locale: str) -> str:
    """'issued 2023-09-20' -> '2023年9月20日印发'; 'draft' -> '征求意见稿'; anything else as it is."""
    if not status:
        return ""
    t = translations(locale)
    if is_draft(status):
        return t.gettext("Draft for comment")
    match = re.fullmatch(r"issued(?: (\d{4}-\d{2}-\d{2}))?", status)
    if match and match.group(1):
        return t.gettext("Issued %(date)s") % {"date": formatting.date(match.group(1), locale)}
    if match:
        return t.gettext("Issued")
    return status
