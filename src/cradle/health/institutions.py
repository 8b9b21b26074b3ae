"""医疗机构 and 妇幼保健院: registered by officials (or first seen in a feed), and the county's designation of its
危重孕产妇救治中心, where 高危专案 are referred."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.errors import N_, Conflict, Invalid
from cradle.health import access, vocab
from cradle.health.models import Institution


def register(
    session: Session, actor, code: str, name: str, region: str, kind: str, critical_care: bool = False
) -> Institution:
    """An institution; `actor` is an official's Actor or "cli"."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 40:
        raise Invalid("code", N_("Enter the institution's code (at most 40 characters)."))
    if not name:
        raise Invalid("name", N_("Required."))
    if not regions.exists(region or "") or regions.get(region).level != "county":
        raise Invalid("region", N_("Enter the code of a county-level region."))
    if kind not in vocab.INSTITUTION_KINDS:
        raise Invalid("kind", N_("Choose one of the allowed values."))
    if actor != "cli":
        access.check_region(actor, region)
    if access.institution_by_code(session, code) is not None:
        raise Conflict("code", N_("An institution with this code exists already."))
    row = Institution(code=code, name=name, region=region, kind=kind, critical_care=critical_care)
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "health.institution", f"institution:{code}", {"critical_care": critical_care}
    )
    return row


def designate(session: Session, actor, code: str, critical_care: bool) -> Institution:
    """Mark (or unmark) an institution as a 危重孕产妇救治中心."""
    row = access.institution_by_code(session, code)
    if row is None:
        raise access.not_found("code", code)
    if actor != "cli":
        access.check_region(actor, row.region)
    row.critical_care = critical_care
    audit.record(session, actor, "health.designate", f"institution:{code}", {"critical_care": critical_care})
    return row


def in_region(session: Session, counties: list[str]) -> list[Institution]:
    return list(
        session.scalars(
            select(Institution).where(Institution.region.in_(counties)).order_by(Institution.code)
        )
    )


def centres(session: Session) -> list[Institution]:
    """Every 危重孕产妇救治中心 (a referral may cross county lines)."""
    return list(
        session.scalars(
            select(Institution).where(Institution.critical_care.is_(True)).order_by(Institution.code)
        )
    )


def names(session: Session, codes) -> dict[str, str]:
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    return dict(
        session.execute(select(Institution.code, Institution.name).where(Institution.code.in_(codes))).all()
    )
