from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from cradle import audit
from cradle.errors import Conflict, Forbidden, Invalid, NotFound
from cradle.payments import bankfile, batches, entitlements, periods
from cradle.payments.models import Payment
from services.helpers import county, finance, other_county

from .helpers import COUNTY, add_entitlements

PROGRAM = "baiyin.childcare_allowance"


def read_export(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def return_file(rows, results):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(bankfile.RETURN_COLUMNS)
    for row, (code, why) in zip(rows, results, strict=True):
        w.writerow([row["付款编号"], code, f"B{row['序号']}", why, row["金额"]])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("period", "paid"), [("2025-02", False), ("2025-03", True), ("2028-02", True), ("2028-03", False)]
)
def test_monthly_period_rule(period, paid):
    # born 2025-03-10: paid from March 2025; the third birthday ends it after February 2028 (36 months)
    assert periods.payable(dt.date(2025, 3, 10), dt.date(2028, 3, 10), None, period, "monthly") is paid


def test_thirty_six_months():
    months = [f"{y}-{m:02d}" for y in range(2025, 2029) for m in range(1, 13)]
    assert (
        sum(periods.payable(dt.date(2025, 3, 10), dt.date(2028, 3, 10), None, p, "monthly") for p in months)
        == 36
    )


@pytest.mark.parametrize(("period", "freq"), [("2025-13", "monthly"), ("25", "yearly"), ("2025", "once")])
def test_bad_period(period, freq):
    with pytest.raises(Invalid) as exc:
        periods.bounds(period, freq)
    assert exc.value.field == "period"


def test_cycle_export_return_reconcile_retry(any_session, tmp_path):
    s = any_session
    add_entitlements(s, 5)
    batch = batches.generate(s, finance, PROGRAM, "2025-07", COUNTY)
    s.commit()
    assert batch.count == 5 and str(batch.total) == "1000.00"
    with pytest.raises(Conflict):
        batches.generate(s, finance, PROGRAM, "2025-07", COUNTY)
    s.rollback()
    result = bankfile.export(s, finance, batch.batch_no, tmp_path / "out.csv")
    s.commit()
    rows = read_export(tmp_path / "out.csv")
    assert len(rows) == 5 and result["total"] == "1000.00" and rows[0]["金额"] == "200.00"
    assert list(rows[0]) == bankfile.EXPORT_COLUMNS
    assert all("*" not in r["收款人姓名"] for r in rows)
    with pytest.raises(Conflict):
        bankfile.export(s, finance, batch.batch_no, tmp_path / "again.csv")

    content = return_file(rows, [("S", ""), ("S", ""), ("F", "账户已销户"), ("S", ""), ("S", "")])
    summary = bankfile.import_return(s, finance, batch.batch_no, content)
    s.commit()
    assert summary["changed"] == {"paid": 4, "failed": 1} and summary["status"] == "reconciled"
    # importing the same file again changes nothing
    assert bankfile.import_return(s, finance, batch.batch_no, content)["applied"] == 0
    # the bank later returns one that was paid
    returned = return_file(rows[:1], [("R", "户名不符退回")])
    assert bankfile.import_return(s, finance, batch.batch_no, returned)["changed"] == {"returned": 1}
    s.commit()

    retry = batches.retry_failures(s, finance, PROGRAM, "2025-07", COUNTY)
    s.commit()
    assert retry.count == 2 and retry.kind == "retry"
    attempts = s.execute(select(Payment.attempt).where(Payment.batch_id == retry.id)).scalars().all()
    assert sorted(attempts) == [2, 2]
    total = s.execute(select(func.count()).select_from(Payment).where(Payment.period == "2025-07")).scalar()
    assert total == 5  # retries reuse the rows: never a second payment
    assert audit.verify(s).ok


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([["P999999999999", "S", "", "", "200.00"]], "line 2.付款编号"),
        ([["{ref}", "X", "", "", "200.00"]], "line 2.结果"),
        ([["{ref}", "S", "", "", "201.00"]], "line 2.金额"),
        ([["{ref}", "S", "", "", "abc"]], "line 2.金额"),
        ([["{ref}", "F", "", "", "200.00"]], "line 2.失败原因"),
        ([["{ref}", "S", "", "", "200.00"], ["{ref}", "S", "", "", "200.00"]], "line 3.付款编号"),
    ],
)
def test_bad_return_file_changes_nothing(session, tmp_path, lines, field):
    add_entitlements(session, 2)
    batch = batches.generate(session, finance, PROGRAM, "2025-07", COUNTY)
    bankfile.export(session, finance, batch.batch_no, tmp_path / "out.csv")
    ref = read_export(tmp_path / "out.csv")[0]["付款编号"]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(bankfile.RETURN_COLUMNS)
    for line in lines:
        w.writerow([c.format(ref=ref) for c in line])
    with pytest.raises(Invalid) as exc:
        bankfile.import_return(session, finance, batch.batch_no, out.getvalue().encode())
    assert exc.value.field == field
    assert set(session.execute(select(Payment.status)).scalars()) == {"pending"}


def test_bad_header_and_encoding(session, tmp_path):
    add_entitlements(session, 1)
    batch = batches.generate(session, finance, PROGRAM, "2025-07", COUNTY)
    bankfile.export(session, finance, batch.batch_no, tmp_path / "out.csv", encoding="gb18030")
    assert "收款人姓名" in (tmp_path / "out.csv").read_bytes().decode("gb18030")
    with pytest.raises(Invalid) as exc:
        bankfile.import_return(session, finance, batch.batch_no, b"a,b\n1,2\n")
    assert exc.value.field == "file"
    with pytest.raises(Invalid):
        bankfile.export(session, finance, batch.batch_no, tmp_path / "x.csv", encoding="latin-1")


def test_stop_on_death_and_moving_away(session):
    ents = add_entitlements(session, 3)
    entitlements.stop(session, county, PROGRAM, ents[0].beneficiary_id_number, "death", dt.date(2025, 7, 20))
    entitlements.stop(session, county, None, ents[1].beneficiary_id_number, "moved_away", dt.date(2025, 9, 1))
    assert batches.generate(session, finance, PROGRAM, "2025-06", COUNTY).count == 3
    assert batches.generate(session, finance, PROGRAM, "2025-07", COUNTY).count == 2  # died in July
    assert batches.generate(session, finance, PROGRAM, "2025-08", COUNTY).count == 2
    assert batches.generate(session, finance, PROGRAM, "2025-09", COUNTY).count == 1
    with pytest.raises(NotFound):
        entitlements.stop(
            session, county, PROGRAM, ents[0].beneficiary_id_number, "death", dt.date(2025, 7, 20)
        )
    with pytest.raises(Invalid):
        entitlements.stop(
            session, county, PROGRAM, ents[2].beneficiary_id_number, "bored", dt.date(2025, 7, 1)
        )
    with pytest.raises(Forbidden):
        entitlements.stop(
            session, other_county, PROGRAM, ents[2].beneficiary_id_number, "death", dt.date(2025, 7, 1)
        )


def test_stop_cancels_unsent_payments(session):
    ents = add_entitlements(session, 1)
    batches.generate(session, finance, PROGRAM, "2025-08", COUNTY)
    entitlements.stop(session, county, PROGRAM, ents[0].beneficiary_id_number, "death", dt.date(2025, 8, 3))
    assert session.execute(select(Payment.status)).scalar() == "cancelled"


def test_one_off_payment(session):
    add_entitlements(
        session,
        2,
        program="zibo.home_purchase_subsidy",
        frequency="once",
        county="370303",
        amount="20000",
        start=dt.date(2025, 6, 1),
        end=None,
    )
    fin = type(finance)(id="f", role=finance.role, region="370303", dept=finance.dept)
    assert batches.generate(session, fin, "zibo.home_purchase_subsidy", "once", "370303").count == 2
    with pytest.raises(Invalid):
        batches.generate(session, fin, "zibo.home_purchase_subsidy", "2025-07", "370303")


def test_scope(session):
    with pytest.raises(Forbidden):
        batches.generate(session, other_county, PROGRAM, "2025-07", COUNTY)
    with pytest.raises(Invalid):
        batches.generate(session, finance, "cn.maternity_leave", "2025-07", COUNTY)
