"""What of a quarantined row an official is shown: ID numbers masked unless the role handles cases in the row's
region (docs/security.md), and every unmasked list, view or export appended to the shared audit log."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth import masking
from cradle.idcard import mask
from cradle.registry.access import row_scope
from cradle.registry.models import QuarantineRow

LINE = "_line"  # a line the reader could not read as a row, as read (cradle.registry.ingest)
ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def id_fields(values: dict) -> list[str]:
    """The keys holding ID numbers: the ID columns, and a malformed line as read (which may hold any)."""
    return [
        k for k in values if k.endswith("id_number") or (k == LINE and ID_IN_TEXT.search(values[k] or ""))
    ]


def _masked(key: str, value):
    if not value:
        return value
    if key == LINE:
        return ID_IN_TEXT.sub(lambda m: mask(m.group()), value)
    return mask(value) if key.endswith("id_number") else value


def shown_raw(actor, row: QuarantineRow, values: dict | None) -> dict | None:
    """`values` (the row as read, or its correction) with ID numbers masked unless the actor may see them."""
    if values is None or masking.may_unmask(actor, row_scope(row)):
        return values
    return {k: _masked(k, v) for k, v in values.items()}


def audit_unmasked(session: Session, actor, rows: list[QuarantineRow], purpose: str) -> None:
    """One `view_unmasked` entry per region and call, naming the rows whose ID numbers were shown."""
    by_region: dict[str | None, list[QuarantineRow]] = defaultdict(list)
    for r in rows:
        if any(r.raw.get(k) for k in id_fields(r.raw)):
            by_region[r.region].append(r)
    for region, shown in by_region.items():
        fields = sorted({k for r in shown for k in id_fields(r.raw) if r.raw.get(k)})
        audit.record(
            session,
            actor,
            "view_unmasked",
            f"registry:quarantine:{region or 'unknown'}",
            {"fields": fields, "purpose": purpose, "region": region, "rows": [r.id for r in shown]},
        )
