"""No double payment under concurrency: 50 simultaneous submissions plus replays on PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from cradle.audit import AuditEntry
from cradle.db import get_engine, session_scope
from cradle.errors import DomainError
from cradle.payments import bankfile, batches, entitlements
from cradle.payments.models import Batch, Entitlement, Payment
from cradle.services import applications
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
        except DomainError as exc:
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
        dup = s.execute(
            select(Payment.beneficiary_id_number)
            .group_by(Payment.program, Payment.beneficiary_id_number, Payment.period)
            .having(func.count() > 1)
        ).all()
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
        values = {
            "batch_id": batch.id,
            "entitlement_id": row.entitlement_id,
            "program": row.program,
            "beneficiary_id_number": row.beneficiary_id_number,
            "period": "2025-07",
            "amount": row.amount,
            "status": "pending",
            "attempt": 1,
        }
    with (
        pytest.raises(IntegrityError, match="uq_pay_payment_program_beneficiary_period"),
        session_scope(svc_pg_url) as s,
    ):
        s.execute(insert(Payment).values(**values))
    get_engine(svc_pg_url).dispose()


def test_concurrent_exports_of_a_batch_write_one_bank_file(svc_pg_url, tmp_path):
    """Two bank files of one batch would have the bank pay every line twice: one export wins, the rest are
    refused and write nothing."""
    with session_scope(svc_pg_url) as s:
        add_entitlements(s, 30)
        batch_no = batches.generate(s, finance, PROGRAM, "2025-07", COUNTY).batch_no

    def export(i):
        with session_scope(svc_pg_url) as s:
            return bankfile.export(s, finance, batch_no, tmp_path / f"out{i}.csv")["rows"]

    outcomes = hammer(export, 10)
    assert outcomes.count(30) == 1 and outcomes.count("Conflict") == 9, outcomes
    assert len(list(tmp_path.glob("out*.csv"))) == 1
    with session_scope(svc_pg_url) as s:
        exports = s.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.subject == f"batch:{batch_no}", AuditEntry.action == "batch.export")
        ).scalar()
        assert exports == 1
    get_engine(svc_pg_url).dispose()


def test_a_stop_racing_an_export_never_cancels_an_exported_payment(svc_pg_url, tmp_path):
    """A stop cancels a payment only while its batch is unsent; a payment in the bank file stays pending, so the
    bank's answer about it can be imported."""
    with session_scope(svc_pg_url) as s:
        ents = add_entitlements(s, 20)
        ids = [e.beneficiary_id_number for e in ents]
        batch_no = batches.generate(s, finance, PROGRAM, "2025-07", COUNTY).batch_no

    def act(i):
        with session_scope(svc_pg_url) as s:
            if i == 0:
                return bankfile.export(s, finance, batch_no, tmp_path / "out.csv")["rows"]
            entitlements.stop(s, finance, PROGRAM, ids[i], "death", dt.date(2025, 7, 5))
            return "stopped"

    outcomes = hammer(act, 20)
    with open(tmp_path / "out.csv", encoding="utf-8-sig") as fh:
        sent = {r["付款编号"] for r in csv.DictReader(fh)}
    assert outcomes[0] == len(sent)
    with session_scope(svc_pg_url) as s:
        status = {bankfile.payment_ref(p.id): p.status for p in s.execute(select(Payment)).scalars()}
    assert all(status[ref] == "pending" for ref in sent)
    assert all(v == "cancelled" for ref, v in status.items() if ref not in sent)
    get_engine(svc_pg_url).dispose()
