"""婚育 services on both databases: a marriage registered in the 民政 feed offers each spouse a free 婚检 and a free
孕前优生 check (notified, booked, done when the check's record arrives); a 生育登记 gives the town a 生育咨询指导
follow-up with a due date, which the town records done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cradle.auth.actor import Actor
from cradle.db import make_engine, session_scope
from cradle.errors import DomainError, IllegalTransition, OutOfScope
from cradle.health import guidance, offers, screenings, sync
from cradle.health.models import Guidance, Offer
from cradle.idcard import make_id_number
from cradle.jobs import runner
from cradle.jobs.models import JobRun
from cradle.registry.ingest import ingest_file
from cradle.services import notifications, registration

from .conftest import COUNTY, county_official

WIFE = make_id_number("370303", dt.date(1996, 4, 4), 61, "F")
HUSBAND = make_id_number("370303", dt.date(1995, 5, 5), 62, "M")
OLD_WIFE = make_id_number("370303", dt.date(1970, 1, 1), 63, "F")
OLD_HUSBAND = make_id_number("370303", dt.date(1969, 1, 1), 64, "M")
HEAD = "record_no,id_number,name,sex,birth_date,event,event_date,region,spouse_id_number,spouse_name,spouse_sex\n"


def _marriages(url: str, path: Path) -> None:
    path.write_text(
        HEAD + f"MZ1,{WIFE},李娜,2,1996-04-04,marriage,2025-05-20,370303,{HUSBAND},王强,1\n"
        f"MZ2,{OLD_WIFE},赵芳,2,1970-01-01,marriage,1993-05-01,370303,{OLD_HUSBAND},钱军,1\n",
        encoding="utf-8",
    )
    engine = make_engine(url)
    assert ingest_file("minzheng", path, engine=engine).accepted == 2
    engine.dispose()


def test_a_married_couple_is_offered_both_checks_books_and_is_done(hurl, workers, tmp_path):
    _marriages(hurl, tmp_path / "minzheng.csv")
    with session_scope(hurl) as s:
        assert (
            sync.run(s, dt.date(2025, 6, 1))["offers_made"] == 4
        )  # two spouses × two checks; not the 1993 couple
        assert sync.run(s, dt.date(2025, 6, 1))["offers_made"] == 0
        rows = s.scalars(select(Offer).order_by(Offer.id)).all()
        assert {(o.id_number, o.kind, o.status, o.institution_code) for o in rows} == {
            (n, k, "offered", "H37030301") for n in (WIFE, HUSBAND) for k in ("premarital", "preconception")
        }
        for number, spouse in ((WIFE, "王强"), (HUSBAND, "李娜")):
            (note,) = notifications.inbox(s, number)
            said = notifications.text(note)  # a message id with its parameters, said in Chinese
            assert note.kind == "health.offer" and spouse in said and "婚前医学检查" in said
        assert notifications.inbox(s, OLD_WIFE) == []
        wife_offer = next(o.id for o in rows if o.id_number == WIFE and o.kind == "premarital")
    wife = Actor(id="account:9", role="citizen", id_number=WIFE, name="李娜", account_id=9)
    husband = Actor(id="account:10", role="citizen", id_number=HUSBAND, name="王强", account_id=10)
    with session_scope(hurl) as s:
        assert len(offers.mine(s, wife)) == 2
        with pytest.raises(OutOfScope):
            offers.book(s, husband, wife_offer, {"appointment_on": "2025-06-10"}, today=dt.date(2025, 6, 1))
        with pytest.raises(DomainError) as e:  # a hospital is not where the free checks are done
            offers.book(
                s,
                wife,
                wife_offer,
                {"appointment_on": "2025-06-10", "institution_code": "H37030401"},
                today=dt.date(2025, 6, 1),
            )
        assert e.value.field == "institution_code"
        offers.book(s, wife, wife_offer, {"appointment_on": "2025-06-10"}, today=dt.date(2025, 6, 1))
    with session_scope(hurl) as s:
        assert s.get(Offer, wife_offer).status == "booked"
        assert "2025-06-10" in notifications.text(notifications.inbox(s, WIFE)[0])
        booked = offers.at_institution(s, workers["H37030301"])
        assert [(b["offer_id"], b["name"]) for b in booked] == [(wife_offer, "李娜")]
        screenings.record_women(
            s,
            workers["H37030301"],
            {
                "kind": "premarital",
                "id_number": WIFE,
                "name": "李娜",
                "served_on": "2025-06-10",
                "result": "normal",
            },
        )
    with session_scope(hurl) as s:
        done = s.get(Offer, wife_offer)
        assert done.status == "done" and done.service_id is not None
        with pytest.raises(IllegalTransition):
            offers.decline(s, wife, wife_offer)
        assert offers.counts(s, county_official()) == {"done": 1, "offered": 3}


def test_the_scheduled_sync_offers_the_checks_and_keeps_its_counts(hurl, workers, tmp_path):
    _marriages(hurl, tmp_path / "minzheng.csv")
    record = runner.run("health-sync", hurl, today=dt.date(2025, 6, 1))
    assert (record.result, record.error) == ("ok", None)
    assert record.summary == {
        "cases_opened": 0,
        "cases_closed": 0,
        "offers_made": 4,
        "offers_done": 0,
        "counted_counties": 0,
        "counted_years": 0,
    }
    with session_scope(hurl) as s:
        assert s.scalar(select(func.count()).select_from(Offer)) == 4
        (stored,) = s.scalars(select(JobRun).where(JobRun.name == "health-sync")).all()
        assert (stored.result, stored.summary["offers_made"]) == ("ok", 4)


def test_a_birth_registration_gives_the_town_a_counselling_follow_up(hurl, workers):
    mother = Actor(id="m", role="citizen", id_number=WIFE, name="李娜")
    with session_scope(hurl) as s:
        reg = registration.register(
            s,
            mother,
            {
                "mother_id_number": WIFE,
                "mother_name": "李娜",
                "hukou_region": COUNTY,
                "residence_region": COUNTY,
                "expected_birth": (dt.date.today() + dt.timedelta(days=100)).isoformat(),
                "child_order": 1,
            },
        )
        reg_no = reg.reg_no
    with session_scope(hurl) as s:
        row = s.scalar(select(Guidance))
        assert (row.registration_no, row.region, row.status) == (reg_no, COUNTY, "open")
        assert row.due_on == row.created_on + dt.timedelta(days=guidance.DUE_DAYS)
        county = county_official()
        listed = guidance.listing(s, county)
        assert [(g["registration_no"], g["name"], g["overdue"]) for g in listed] == [(reg_no, "李娜", False)]
        assert guidance.listing(s, county_official("370304")) == []
        assert guidance.overdue_count(s, county, row.due_on + dt.timedelta(days=1)) == 1
        with pytest.raises(OutOfScope):
            guidance.done(
                s, county_official("370304"), row.id, {"done_on": dt.date.today().isoformat(), "note": "x"}
            )
        with pytest.raises(DomainError) as e:
            guidance.done(s, county, row.id, {"done_on": "2000-01-01"})
        assert {p.field for p in e.value.items()} == {"done_on", "note"}
        guidance.done(
            s, county, row.id, {"done_on": dt.date.today().isoformat(), "note": "讲解孕期保健和免费检查"}
        )
    with session_scope(hurl) as s:
        assert s.scalar(select(Guidance.status)) == "done"
        assert s.scalar(select(func.count()).select_from(Guidance)) == 1
        with pytest.raises(IllegalTransition):
            guidance.done(s, county_official(), 1, {"done_on": dt.date.today().isoformat(), "note": "再次"})
