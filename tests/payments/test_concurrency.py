"""No double payment under concurrency: 50 simultaneous submissions plus replays on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from cradle.db import get_engine, session_scope
from cradle.payments import batches
from cradle.payments.models import Batch, Entitlement, Payment
from cradle.services import applications
from cradle.services.errors import ServiceError
from cradle.services.models import Case
from services.helpers import application, county, finance, mother, town

from .helpers import COUNTY, add_entitlements

pytestmark = pytest.mark.postgres
PROGRAM = "baiyin.childcare_allowance"


def hammer(fn, n=50):
    barrier = threading.Barrier(n)
    outcomes = []

    def one(i):
        barrier.wait()
        try:
            return fn(i)
        except ServiceError as exc:
            return type(exc).__name__
    with ThreadPoolExecutor(n) as pool:
        outcomes = list(pool.map(one, range(n)))
    return outcomes


def test_fifty_concurrent_cycle_generations_and_replays(svc_pg_url):
    with session_scope(svc_pg_url) as s:
        add_entitlements(s, 40)

    def generate(_i):
        with session_scope(svc_pg_url) as s:
            return batches.generate(s, finance, PROGRAM, "2025-07", COUNTY).batch_no
    first = hammer(generate)
    replays = hammer(generate)
    assert sum(1 for o in first if o.startswith(PROGRAM)) == 1
    assert all(o == "Conflict" for o in replays)
    with session_scope(svc_pg_url) as s:
        assert s.execute(select(func.count()).select_from(Batch)).scalar() == 1
        assert s.execute(select(func.count()).select_from(Payment)).scalar() == 40
        dup = s.execute(select(Payment.beneficiary_id_number).group_by(
            Payment.program, Payment.beneficiary_id_number, Payment.period).having(func.count() > 1)).all()
        assert dup == []
    get_engine(svc_pg_url).dispose()


def test_fifty_concurrent_applications_and_approvals(svc_pg_url):
    with session_scope(svc_pg_url) as s:
        import datetime as dt

        from cradle.payments import rates

        rates.set_rate(s, county, PROGRAM, COUNTY, dt.date(2024, 1, 1), 200, "白区政发〔2024〕1号")

    def submit(_i):
        with session_scope(svc_pg_url) as s:
            return applications.submit(s, mother, application()).case_no
    outcomes = hammer(submit) + hammer(submit)
    case_nos = {o for o in outcomes if o.startswith("SQ")}
    assert len(case_nos) == 1 and outcomes.count("Conflict") == 99
    case_no = case_nos.pop()
    with session_scope(svc_pg_url) as s:
        applications.act(s, town, case_no, "town_accept")
        applications.act(s, town, case_no, "town_pass")

    def approve(_i):
        with session_scope(svc_pg_url) as s:
            return applications.act(s, county, case_no, "county_approve").status
    outcomes = hammer(approve)
    assert outcomes.count("approved") == 1 and outcomes.count("IllegalTransition") == 49
    with session_scope(svc_pg_url) as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar() == 1
        assert s.execute(select(func.count()).select_from(Entitlement)).scalar() == 1
    get_engine(svc_pg_url).dispose()


def test_the_database_itself_refuses_a_second_payment(svc_pg_url):
    with session_scope(svc_pg_url) as s:
        add_entitlements(s, 1)
        batch = batches.generate(s, finance, PROGRAM, "2025-07", COUNTY)
        row = s.execute(select(Payment)).scalar_one()
        values = {"batch_id": batch.id, "entitlement_id": row.entitlement_id, "program": row.program,
                  "beneficiary_id_number": row.beneficiary_id_number, "period": "2025-07", "amount": row.amount,
                  "status": "pending", "attempt": 1}
    with pytest.raises(IntegrityError, match="uq_pay_payment_program_beneficiary_period"), \
            session_scope(svc_pg_url) as s:
        s.execute(insert(Payment).values(**values))
    get_engine(svc_pg_url).dispose()
