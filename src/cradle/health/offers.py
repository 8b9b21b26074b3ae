"""婚育一件事: a marriage registered in the 民政 feed offers each spouse a free 婚前医学检查 and a free 孕前优生健康
检查 (a notification each), which they book at an institution of their county, and which is done when the
check's record arrives (entered on the page or from the 妇幼 feed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.auth import roles
from cradle.errors import N_, Forbidden, IllegalTransition, OutOfScope
from cradle.health import access, vocab
from cradle.health.checks import Form
from cradle.health.models import Institution, Offer, WomenService
from cradle.idcard import mask, region_of
from cradle.registry import roster
from cradle.services import notifications

SYSTEM = "system:health"
RECENT_DAYS = 365  # marriages registered within a year before the run are offered the checks
BOOK_AHEAD_DAYS = 180
OFFER_MESSAGE = N_(
    "You and %(spouse)s have registered your marriage. Under the marriage-and-birth bundle you can have a free "
    "premarital medical check and a free preconception health check: sign in and book them under “My health "
    "services”."
)
BOOKED_MESSAGE = N_("You have booked the %(kind)s: %(place)s, %(date)s.")


def _region(code: str | None, id_number: str | None) -> str | None:
    for candidate in (code, region_of(id_number) if id_number else None):
        if candidate and regions.exists(candidate) and regions.get(candidate).level == "county":
            return candidate
    return None


def _host(session: Session, region: str) -> str | None:
    """The county's 妇幼保健院, where an offer is booked unless the spouse chooses another institution."""
    return session.scalar(
        select(Institution.code)
        .where(Institution.region == region, Institution.kind == "mch")
        .order_by(Institution.id)
    )


def offer_new_marriages(session: Session, today: dt.date | None = None, limit: int = 1000) -> int:
    """Offers for the marriages registered since the last run (a job of the scheduler, and of `cradle health
    sync`); returns how many offers were made."""
    today = today or dt.date.today()
    after = session.scalar(select(func.max(Offer.marriage_ref))) or 0
    made = 0
    for reg in roster.marriages_after(session, after, today - dt.timedelta(days=RECENT_DAYS), limit):
        for me, other in (reg.spouses, reg.spouses[::-1]):
            region = _region(reg.region, me.id_number)
            if me.id_number is None or region is None:
                continue
            host = _host(session, region)
            for kind in vocab.OFFER_KINDS:
                session.add(
                    Offer(
                        marriage_ref=reg.source_id,
                        person_id=me.person_id,
                        id_number=me.id_number,
                        name=me.name,
                        sex=me.sex,
                        birth_date=me.birth_date,
                        spouse_name=other.name,
                        region=region,
                        married_on=reg.married_on,
                        kind=kind,
                        status="offered",
                        offered_on=today,
                        institution_code=host,
                    )
                )
                made += 1
            notifications.notify(
                session,
                me.id_number,
                "health.offer",
                f"marriage:{reg.source_id}",
                OFFER_MESSAGE,
                params={"spouse": other.name},
            )
        audit.record(session, SYSTEM, "health.offer", f"marriage:{reg.source_id}", {"on": today})
    session.flush()
    return made


def _get(session: Session, offer_id: int) -> Offer:
    row = session.get(Offer, offer_id)
    if row is None:
        raise access.not_found("offer_id", offer_id)
    return row


def _may_handle(session: Session, actor, offer: Offer) -> None:
    """The spouse herself, or a health worker of an institution in the offer's county."""
    if actor.role == roles.CITIZEN:
        if actor.id_number != offer.id_number:
            raise OutOfScope("offer_id", N_("This offer is someone else's."))
        return
    if access.is_worker(actor):
        if access.institution_of(session, actor).region != offer.region:
            raise OutOfScope("offer_id", N_("This offer is for another county."))
        return
    raise Forbidden(None, N_("Your role may not do this."), code="forbidden_role")


def book(session: Session, actor, offer_id: int, data: dict, today: dt.date | None = None) -> Offer:
    today = today or dt.date.today()
    offer = _get(session, offer_id)
    _may_handle(session, actor, offer)
    if offer.status not in ("offered", "booked"):
        raise IllegalTransition("offer_id", N_("This offer is %(status)s already."), status=offer.status)
    f = Form(data, today)
    code = f.text("institution_code", required=False, max_len=40) or offer.institution_code
    on = f.date("appointment_on", earliest=today, latest=today + dt.timedelta(days=BOOK_AHEAD_DAYS))
    place = access.institution_by_code(session, code) if code else None
    if place is None or place.region != offer.region or place.kind == "hospital":
        f.refuse(
            "institution_code",
            N_("Choose a maternal and child health hospital or health centre of your county."),
        )
    f.done()
    offer.institution_code, offer.appointment_on, offer.status = code, on, "booked"
    audit.record(session, actor, "health.book", f"offer:{offer.id}", {"on": on, "at": code})
    notifications.notify(
        session,
        offer.id_number,
        "health.booked",
        f"offer:{offer.id}",
        BOOKED_MESSAGE,
        params={
            "kind": notifications.label(vocab.WOMEN_KINDS[offer.kind]),
            "place": place.name,
            "date": on.isoformat(),
        },
    )
    return offer


def decline(session: Session, actor, offer_id: int) -> Offer:
    offer = _get(session, offer_id)
    _may_handle(session, actor, offer)
    if offer.status not in ("offered", "booked"):
        raise IllegalTransition("offer_id", N_("This offer is %(status)s already."), status=offer.status)
    offer.status = "declined"
    audit.record(session, actor, "health.decline", f"offer:{offer.id}", {})
    return offer


def complete(session: Session, actor, service: WomenService) -> int:
    """The offers of this kind a check completes (its person's, still open); returns how many."""
    if service.kind not in vocab.OFFER_KINDS:
        return 0
    rows = list(
        session.scalars(
            select(Offer).where(
                Offer.id_number == service.id_number,
                Offer.kind == service.kind,
                Offer.status.in_(("offered", "booked")),
            )
        )
    )
    for offer in rows:
        offer.status, offer.service_id = "done", service.id
        audit.record(session, actor, "health.offer_done", f"offer:{offer.id}", {"service": service.id})
    return len(rows)


def complete_from_feeds(session: Session) -> int:
    """Open offers whose check arrived from the 妇幼 feed (on or after the offer's marriage, less 90 days)."""
    done = 0
    for offer in session.scalars(select(Offer).where(Offer.status.in_(("offered", "booked")))):
        service = session.scalar(
            select(WomenService)
            .where(
                WomenService.id_number == offer.id_number,
                WomenService.kind == offer.kind,
                WomenService.served_on >= offer.married_on - dt.timedelta(days=90),
            )
            .order_by(WomenService.served_on)
            .limit(1)
        )
        if service is not None:
            offer.status, offer.service_id = "done", service.id
            audit.record(session, SYSTEM, "health.offer_done", f"offer:{offer.id}", {"service": service.id})
            done += 1
    return done


def mine(session: Session, actor) -> list[Offer]:
    """A citizen's own offers (her read is recorded too)."""
    if actor.role != roles.CITIZEN or not actor.id_number:
        raise Forbidden(None, N_("Your role may not do this."), code="forbidden_role")
    rows = list(
        session.scalars(select(Offer).where(Offer.id_number == actor.id_number).order_by(Offer.id.desc()))
    )
    access.read(session, actor, f"offers:{mask(actor.id_number)}", {"count": len(rows)})
    return rows


def at_institution(session: Session, actor, status: str | None = "booked") -> list[dict]:
    """A health worker's bookings (or her county's offers in another status), names in full; audited."""
    inst = access.institution_of(session, actor)
    stmt = (
        select(Offer).where(Offer.region == inst.region).order_by(Offer.appointment_on, Offer.id).limit(500)
    )
    if status == "booked":
        stmt = stmt.where(Offer.status == "booked", Offer.institution_code == inst.code)
    elif status in vocab.OFFER_STATUSES:
        stmt = stmt.where(Offer.status == status)
    rows = list(session.scalars(stmt))
    access.read(session, actor, "health:offers", {"count": len(rows), "institution": inst.code})
    return [
        {
            "offer_id": o.id,
            **access.shown(actor, o.name, o.id_number),
            "kind": o.kind,
            "status": o.status,
            "married_on": o.married_on,
            "appointment_on": o.appointment_on,
            "institution_code": o.institution_code,
        }
        for o in rows
    ]


def counts(session: Session, actor) -> dict[str, int]:
    """Offers by status in an official's region (numbers only)."""
    stmt = (
        select(Offer.status, func.count())
        .where(access.region_filter(actor, Offer.region))
        .group_by(Offer.status)
    )
    return dict(session.execute(stmt).all())
