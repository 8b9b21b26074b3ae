"""Quarantined rows of `cradle facilities import`: list, export, correct, re-submit (as the data hub's
`cradle.registry.quarantine`). The row as read (`data`) is never overwritten: corrections are kept beside it and
applied when the row is shown, exported or re-submitted. A re-submitted row goes through the same checks and
storing as a file row: if it is still bad it stays open with the new errors; if good, the facility is stored and
the row is marked resolved. Rows are never deleted."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.childcare import places
from cradle.childcare.importer import HEADER_ALIASES, from_flat, store
from cradle.childcare.models import ImportQuarantine
from cradle.childcare.validate import ONE_OF, check_facility, choices, stored
from cradle.childcare.vocab import AGE_GROUPS
from cradle.errors import N_, Invalid, NotFound

STATUSES = ("open", "resolved", "all")
_SLOT_FIELDS = {"slots": "slots", "classes": "classes", "fee": "fee_monthly"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def current(row: ImportQuarantine) -> dict:
    """The record as read with its corrections applied."""
    record = json.loads(row.data)
    if not isinstance(record, dict):
        return record
    for key, value in json.loads(row.corrected or "{}").items():
        _apply(record, key, value)
    return record


def _apply(record: dict, key: str, value) -> None:
    prefix, _, group = key.partition("_")
    if group in AGE_GROUPS and prefix in _SLOT_FIELDS:  # a flat slot column: slots_toddler, fee_infant, …
        slots = record.setdefault("slots", [])
        entry = next((g for g in slots if isinstance(g, dict) and g.get("age_group") == group), None)
        if entry is None:
            entry = {"age_group": group}
            slots.append(entry)
        entry[_SLOT_FIELDS[prefix]] = value
    elif value is None:
        record.pop(key, None)
    else:
        record[key] = value


def _in_scope(row: ImportQuarantine, scope: str | None) -> bool:
    if scope is None:
        return True
    record = current(row)
    region = record.get("region_code") if isinstance(record, dict) else None
    return bool(region) and places.exists(str(region)) and places.is_within(str(region), scope)


def list_rows(
    session: Session, status: str = "open", batch: str | None = None, scope: str | None = None
) -> list[ImportQuarantine]:
    if status not in STATUSES:
        raise Invalid("status", ONE_OF, choices=choices(STATUSES))
    q = select(ImportQuarantine).order_by(ImportQuarantine.id)
    if status != "all":
        q = q.where(ImportQuarantine.status == status)
    if batch:
        q = q.where(ImportQuarantine.batch == batch)
    return [r for r in session.scalars(q) if _in_scope(r, scope)]


def get_row(session: Session, row_id: int, scope: str | None = None) -> ImportQuarantine:
    row = session.get(ImportQuarantine, row_id)
    if row is None or not _in_scope(row, scope):
        raise NotFound(None, N_("Quarantined row %(key)s does not exist"), key=row_id)
    return row


def row_dict(row: ImportQuarantine) -> dict:
    return {
        "id": row.id,
        "batch": row.batch,
        "source": row.source,
        "row_no": row.row_no,
        "status": row.status,
        "errors": json.loads(row.errors),
        "record": current(row),
        "corrected": json.loads(row.corrected or "{}"),
        "attempts": row.attempts,
        "facility_id": row.facility_id,
        "resolved_by": row.resolved_by,
    }


def export_csv(
    session: Session, out: Path, status: str = "open", batch: str | None = None, scope: str | None = None
) -> int:
    """One line per row (corrections applied), its errors, and the record as JSON; opens in Excel (UTF-8 BOM)."""
    rows = list_rows(session, status, batch, scope)
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["quarantine_id", "batch", "file", "row_no", "status", "errors", "record"])
        for r in rows:
            errors = "；".join(f"{e['field']}：{e['message']}" for e in json.loads(r.errors))
            writer.writerow(
                [
                    r.id,
                    r.batch,
                    r.source,
                    r.row_no,
                    r.status,
                    errors,
                    json.dumps(current(r), ensure_ascii=False),
                ]
            )
    return len(rows)


def correct(
    session: Session, row_id: int, changes: dict, actor, scope: str | None = None
) -> ImportQuarantine:
    """Record corrections (field → value; '' or None removes the field). Fields are the record's names, the
    Chinese headers of the facility list, or flat slot columns (slots_toddler=20)."""
    row = get_row(session, row_id, scope)
    if row.status != "open":
        raise Invalid(
            "quarantine_id",
            N_("Quarantined row %(row)s already handled (%(status)s)"),
            row=row_id,
            status=row.status,
        )
    if not changes:
        raise Invalid("changes", N_("No fields to correct"))
    clean = {}
    for key, value in changes.items():
        name = HEADER_ALIASES.get(str(key).strip(), str(key).strip())
        if not name:
            raise Invalid("changes", N_("The field name cannot be empty"))
        clean[name] = None if value is None or (isinstance(value, str) and not value.strip()) else value
    row.corrected = json.dumps(
        {**json.loads(row.corrected or "{}"), **clean}, ensure_ascii=False, default=str
    )
    row.updated_at = _now()
    session.flush()
    audit.record(session, actor, "facility_import.correct", f"cc_quarantine:{row.id}", {"changes": clean})
    return row


def resubmit(
    session: Session,
    actor,
    row_ids: list[int] | None = None,
    batch: str | None = None,
    scope: str | None = None,
    on: dt.date | None = None,
) -> dict:
    """Run open rows (the named ones, else every corrected open row, of `batch` if given) through the import's
    checks and storing again: {"stored": [ids], "still_quarantined": [ids]}."""
    if row_ids:
        rows = [get_row(session, i, scope) for i in dict.fromkeys(row_ids)]
        done = [r.id for r in rows if r.status != "open"]
        if done:
            raise Invalid(
                "quarantine_id", N_("These quarantined rows are already handled: %(rows)s"), rows=done
            )
    else:
        rows = [r for r in list_rows(session, "open", batch, scope) if r.corrected]
    out = {"stored": [], "still_quarantined": []}
    for row in rows:
        record = current(row)
        record = from_flat(record) if isinstance(record, dict) else record
        clean, problems = check_facility(record)
        facility = None
        if not problems:
            try:
                _outcome, facility = store(session, record, scope, on)
            except Invalid as exc:
                problems = [exc]
        row.attempts, row.updated_at = row.attempts + 1, _now()
        if problems:
            row.errors = json.dumps([stored(p) for p in problems], ensure_ascii=False)
            out["still_quarantined"].append(row.id)
        else:
            row.status, row.facility_id, row.resolved_by = (
                "resolved",
                facility.id,
                getattr(actor, "ref", str(actor)),
            )
            out["stored"].append(row.id)
        session.flush()
        audit.record(
            session,
            actor,
            "facility_import.resubmit",
            f"cc_quarantine:{row.id}",
            {
                "status": row.status,
                "facility_id": row.facility_id,
                "errors": json.loads(row.errors) if problems else [],
            },
        )
    return out
