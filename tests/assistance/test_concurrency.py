"""Nobody is paid twice for one person, program and period, whatever runs at once: eight simultaneous `pay` runs
of the same approved list and month on PostgreSQL make one batch and one payment per person; and the database's
own unique key refuses a second payment row written behind the service's back."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from cradle.assistance import payment
from cradle.db import session_scope
from cradle.errors import DomainError
from cradle.payments.models import Batch, Entitlement, Payment

from .helpers import COUNTY, county
from .test_cycle import run_2025

pytestmark = pytest.mark.postgres


def test_simultaneous_payment_runs_pay_each_person_once(svc_pg_url, tmp_path):
    run_2025(svc_pg_url, tmp_path)
    n = 8
    barrier = threading.Barrier(n)

    def one(_i):
        barrier.wait()
        try:
            with session_scope(svc_pg_url) as s:
                return payment.pay(s, county, COUNTY, 2025, "2025-01")
        except DomainError as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(n) as pool:
        outcomes = list(pool.map(one, range(n)))
    made = [b for o in outcomes if isinstance(o, dict) for b in o["batches"]]
    assert sorted(made) == sorted(
        f"{p}-{COUNTY}-2025-01"
        for p in ("baiyin.special_assistance_bereaved", "baiyin.special_assistance_disabled")
    )
    with session_scope(svc_pg_url) as s:
        assert s.execute(select(func.count()).select_from(Entitlement)).scalar() == 4
        assert s.execute(select(func.count()).select_from(Batch)).scalar() == 2
        rows = s.execute(select(Payment.program, Payment.beneficiary_id_number, Payment.period)).all()
        assert len(rows) == 4 and len(set(rows)) == 4
        first = s.execute(select(Payment)).scalars().first()
        twin = {
            c: getattr(first, c)
            for c in (
                "batch_id",
                "program",
                "beneficiary_id_number",
                "period",
                "claim",
                "amount",
                "status",
                "attempt",
            )
        }
    with pytest.raises(IntegrityError), session_scope(svc_pg_url) as s:
        s.execute(insert(Payment).values(entitlement_id=first.entitlement_id + 1000, **twin))
