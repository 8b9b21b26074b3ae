"""The services demo loader fills a new database through the service functions: every review state, a paid
batch, accounts to sign in with, and an audit log that verifies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from cradle import audit
from cradle.db import session_factory
from cradle.payments.models import Batch, Payment
from cradle.services import demo
from cradle.services.models import BirthBundle, BirthRegistration, BundleTask, Case


def test_demo_shows_every_state_and_a_paid_batch(svc_sqlite_url):
    s = session_factory(svc_sqlite_url)()
    demo.load_demo(s)
    s.commit()
    states = set(s.execute(select(Case.status)).scalars())
    assert states == {"approved", "county_confirmation", "town_review", "submitted", "returned", "rejected"}
    assert s.execute(select(func.count()).select_from(BirthRegistration)).scalar() == len(demo.FAMILIES)
    assert s.execute(select(func.count()).select_from(BirthBundle)).scalar() == len(demo.FAMILIES)
    assert {"received", "in_progress", "done"} <= set(s.execute(select(BundleTask.status)).scalars())
    batch = s.execute(select(Batch)).scalar_one()
    assert batch.status == "reconciled" and batch.count == 2
    assert set(s.execute(select(Payment.status)).scalars()) == {"paid"}
    assert audit.verify(s).ok
    from cradle.auth.accounts import authenticate

    assert authenticate(s, "demo-county", demo.DEMO_PASSWORD).role == "county_official"
    assert authenticate(s, demo.family(0, dt.date.today())["mother"], demo.DEMO_PASSWORD).role == "citizen"
    s.close()
