"""Masked personal data. ID and phone numbers are masked unless the viewer's role handles individual cases in
that region (or the number is the viewer's own); each unmasked view is appended to the shared audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth import roles
from cradle.idcard import mask as mask_id


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def may_unmask(actor, region: str | None) -> bool:
    """Whether `actor` may see full numbers of a person registered in `region`."""
    if actor is None or not actor.authenticated:
        return False
    handles_cases = actor.role in roles.UNMASKED_ROLES or (
        actor.role == roles.DEPT and actor.dept in roles.UNMASKED_DEPARTMENTS
    )
    return handles_cases and actor.can_see(region)


def _own(actor, id_number: str | None) -> bool:
    return (
        actor is not None and actor.role == roles.CITIZEN and bool(id_number) and actor.id_number == id_number
    )


def show_person(
    session: Session,
    actor,
    *,
    subject: str,
    region: str | None,
    id_number: str | None = None,
    phone: str | None = None,
    purpose: str = "view",
) -> dict:
    """{"id_number", "phone", "masked"} for display. Unmasked numbers are audited (one entry per view)."""
    if _own(actor, id_number):
        return {"id_number": id_number or "", "phone": phone or "", "masked": False}
    if may_unmask(actor, region):
        audit.record(
            session,
            actor,
            "view_unmasked",
            subject,
            {
                "fields": [f for f, v in (("id_number", id_number), ("phone", phone)) if v],
                "purpose": purpose,
                "region": region,
            },
        )
        return {"id_number": id_number or "", "phone": phone or "", "masked": False}
    return {"id_number": mask_id(id_number), "phone": mask_phone(phone), "masked": True}
