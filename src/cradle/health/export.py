"""CSV exports of the lists: a health worker's carry her institution's women's names and ID numbers (she handles
them); an official's carry neither name nor full ID number. Every export is one entry in the audit log."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from cradle import audit
from cradle.errors import N_, Invalid
from cradle.health import access, cases, deaths, pregnancies

KINDS = {
    "pregnancies": (
        pregnancies.listing,
        ("pregnancy_no", "filed_on", "weeks_at_filing", "edd", "status", "grade"),
    ),
    "cases": (
        cases.listing,
        ("case_id", "pregnancy_no", "grade", "status", "opened_on", "next_due", "overdue_days"),
    ),
    "deaths": (deaths.listing, ("death_id", "kind", "died_on", "review_status")),
}


def csv_text(session: Session, actor, kind: str) -> str:
    if kind not in KINDS:
        raise Invalid("kind", N_("Choose one of the allowed values."))
    listing, columns = KINDS[kind]
    rows = listing(session, actor)
    named = access.is_worker(actor)
    header = (["name"] if named else []) + ["id_number", *columns, "institution_code"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[c] for c in header])
    audit.record(session, actor, "health.export", f"health:{kind}", {"rows": len(rows), "names": named})
    return out.getvalue()
