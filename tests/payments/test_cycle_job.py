"""The payment-cycle job: each county's batch of the month just ended (and of last year, for yearly programs),
made once whoever runs it, and none where nothing is payable."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cradle.db import get_engine, session_scope
from cradle.jobs.registry import JobContext
from cradle.payments.jobs import cycle, period_for
from cradle.payments.models import Batch

from .helpers import add_entitlements


@pytest.mark.parametrize(
    ("frequency", "today", "period"),
    [
        ("monthly", dt.date(2026, 1, 5), "2025-12"),
        ("monthly", dt.date(2026, 3, 31), "2026-02"),
        ("yearly", dt.date(2026, 1, 5), "2025"),
        ("once", dt.date(2026, 1, 5), "once"),
    ],
)
def test_period_of_a_run(frequency, today, period):
    assert period_for(frequency, today) == period


def test_cycle_makes_each_batch_once(svc_url):
    url = svc_url
    with session_scope(url) as s:
        add_entitlements(s, 3)  # 白银区 monthly childcare allowance, 2025-03-10 to 2028-03-10
        add_entitlements(
            s,
            2,
            program="luhe.reward_assistance",
            frequency="yearly",
            start=dt.date(2024, 1, 1),
            end=None,
            county="441523",
        )
    january = JobContext(url=url, today=dt.date(2026, 1, 5))
    assert cycle(january) == {"generated": 2, "payments": 5, "already": 0, "empty": 0}
    assert cycle(january) == {"generated": 0, "payments": 0, "already": 2, "empty": 0}
    later = JobContext(url=url, today=dt.date(2028, 5, 5))  # the allowance ended in March 2028
    assert cycle(later) == {"generated": 1, "payments": 2, "already": 0, "empty": 1}
    with session_scope(url) as s:
        made = s.execute(select(Batch.batch_no, Batch.count, Batch.created_by).order_by(Batch.id)).all()
    assert [(b, n) for b, n, _ in made] == [
        ("baiyin.childcare_allowance-620402-2025-12", 3),
        ("luhe.reward_assistance-441523-2025", 2),
        ("luhe.reward_assistance-441523-2027", 2),
    ]
    assert {who for _, _, who in made} == {"system:system@"}
    get_engine(url).dispose()
