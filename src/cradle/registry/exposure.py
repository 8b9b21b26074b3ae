"""What of a quarantined row an official is shown: ID numbers masked unless the role handles cases in the row's
region (docs/security.md), and every unmasked list, view or export appended to the shared audit log."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth import masking
from cradle.idcard import mask
from cradle.registry.access import row_scope
from cradle.registry.models import QuarantineRow


def id_fields(values: dict) -> list[str]:
    return [k for k in values if k.endswith("id_number")]


def shown_raw(actor, row: QuarantineRow, values: dict | None) -> dict | None:
    """`values` (the row as read, or its correction) with ID numbers masked unless the actor may see them."""
    if values is None or masking.may_unmask(actor, row_scope(row)):
        return values
    return {k: (mask(v) if k.endswith("id_number") and v else v) for k, v in values.items()}


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
