"""Facility subsidies paid through the payments flow: approve → register → batch → bank file → return → paid."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from cradle import audit
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.childcare import subsidies, subsidy_payments
from cradle.childcare.facilities import facility_input, update_facility
from cradle.childcare.models import SubsidySlot
from cradle.db import session_scope
from cradle.errors import Conflict, Invalid, OutOfScope
from cradle.payments import bankfile, batches, entitlements
from cradle.payments.models import Batch, Payment

from .helpers import filed_facility
from .test_subsidies import ON, zibo_rule

COUNTY = "370303"
FINANCE = Actor(id="f1", role=roles.DEPT, region=COUNTY, dept="caizheng")
ACCOUNT = {"account_no": "622700001234567890", "bank_code": "ZBBANK", "account_name": "测试托育园1（对公）"}


def read_export(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def return_file(rows, code, why=""):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(bankfile.RETURN_COLUMNS)
    for row in rows:
        w.writerow(
            [row["付款编号"], code, f"B{row['付款编号'][1:]}" if code == "S" else "", why, row["金额"]]
        )
    return out.getvalue().encode("utf-8")


def approved(s, program, **facility):
    fid = filed_facility(s, demonstration=True, **facility).id
    app = subsidies.apply(s, fid, program, ON, calc=zibo_rule)
    subsidies.transition(s, app.id, "approve", ON)
    return fid, app.id


def test_approve_batch_export_return_marks_subsidy_paid(migrated_db_url, tmp_path):
    with session_scope(migrated_db_url) as s:
        fid, app_id = approved(s, subsidies.CONSTRUCTION)
        award_id = subsidies.apply(s, fid, subsidies.AWARD, ON, calc=zibo_rule).id
        subsidies.transition(s, award_id, "approve", ON)
        credit = subsidies.get_facility(s, fid).credit_code
    with session_scope(migrated_db_url) as s:
        ent = subsidy_payments.register_payment(s, FINANCE, app_id, scope=COUNTY, **ACCOUNT)
        assert (ent.program, ent.beneficiary_id_number, ent.payee_id_number) == (
            subsidies.CONSTRUCTION,
            credit,
            credit,
        )
        assert (ent.amount, ent.frequency, ent.county, ent.case_ref) == (
            Decimal("120000.00"),
            "once",
            COUNTY,
            f"cc-subsidy:{app_id}",
        )
        # registering again (a replayed request) returns the same entitlement
        assert subsidy_payments.register_payment(s, FINANCE, app_id, **ACCOUNT).id == ent.id
        subsidy_payments.register_payment(s, FINANCE, award_id, **ACCOUNT)
    with session_scope(migrated_db_url) as s:
        batch = batches.generate(s, FINANCE, subsidies.CONSTRUCTION, "once", COUNTY)
        assert (batch.batch_no, batch.count, batch.total) == (
            f"{subsidies.CONSTRUCTION}-{COUNTY}-once",
            1,
            Decimal("120000.00"),
        )
    # replaying the generation: refused, and still one payment for the facility
    with pytest.raises(Conflict) as err, session_scope(migrated_db_url) as s:
        batches.generate(s, FINANCE, subsidies.CONSTRUCTION, "once", COUNTY)
    assert err.value.field == "period"
    with session_scope(migrated_db_url) as s:
        # the generator's own statement replayed into another batch inserts nothing (ON CONFLICT DO NOTHING)
        s.execute(
            text(batches._INSERT.format(once="AND e.status = 'active'")),
            {
                "batch": 999,
                "period": "once",
                "program": subsidies.CONSTRUCTION,
                "county": COUNTY,
                "frequency": "once",
                "after": dt.date(9999, 1, 1),
            },
        )
        n = s.scalar(
            select(func.count())
            .select_from(Payment)
            .where(Payment.program == subsidies.CONSTRUCTION, Payment.beneficiary_id_number == credit)
        )
        assert n == 1
        assert subsidies.get_application(s, app_id).status == "payable"
    out = tmp_path / "bank.csv"
    with session_scope(migrated_db_url) as s:
        info = bankfile.export(s, FINANCE, f"{subsidies.CONSTRUCTION}-{COUNTY}-once", out)
        assert (info["rows"], info["total"]) == (1, "120000.00")
    rows = read_export(out)
    assert [
        (r["收款人姓名"], r["一卡通账号"], r["开户行代码"], r["金额"], r["项目"], r["期间"]) for r in rows
    ] == [
        (
            ACCOUNT["account_name"],
            ACCOUNT["account_no"],
            "ZBBANK",
            "120000.00",
            subsidies.CONSTRUCTION,
            "once",
        )
    ]
    with session_scope(migrated_db_url) as s:
        result = bankfile.import_return(
            s, FINANCE, f"{subsidies.CONSTRUCTION}-{COUNTY}-once", return_file(rows, "S")
        )
        assert result["status"] == "reconciled" and result["changed"] == {"paid": 1}
    with session_scope(migrated_db_url) as s:
        app = subsidies.get_application(s, app_id)
        assert app.status == "paid"
        assert app.payment_ref == f"{rows[0]['付款编号']}/B{rows[0]['付款编号'][1:]}"
        assert app.paid_on is not None
        steps = [e.action for e in audit.history(s, f"cc_subsidy:{app_id}")]
        assert steps == ["subsidy.apply", "subsidy.approve", "subsidy.register_payment", "subsidy.paid"]
        # the same return file again changes nothing
        bankfile.import_return(s, FINANCE, f"{subsidies.CONSTRUCTION}-{COUNTY}-once", return_file(rows, "S"))
        assert subsidies.get_application(s, app_id).status == "paid"
        assert len(audit.history(s, f"cc_subsidy:{app_id}")) == 4
    # the award's payment fails at the bank: the subsidy stays payable until a retry is paid
    award_batch = f"{subsidies.AWARD}-{COUNTY}-once"
    with session_scope(migrated_db_url) as s:
        batches.generate(s, FINANCE, subsidies.AWARD, "once", COUNTY)
        bankfile.export(s, FINANCE, award_batch, tmp_path / "award.csv")
    rows = read_export(tmp_path / "award.csv")
    assert [r["金额"] for r in rows] == ["50000.00"]
    with session_scope(migrated_db_url) as s:
        bankfile.import_return(s, FINANCE, award_batch, return_file(rows, "F", "账户名称不符"))
        assert subsidies.get_application(s, award_id).status == "payable"
        retry = batches.retry_failures(s, FINANCE, subsidies.AWARD, "once", COUNTY)
        bankfile.export(s, FINANCE, retry.batch_no, tmp_path / "retry.csv")
        rows = read_export(tmp_path / "retry.csv")
        bankfile.import_return(s, FINANCE, retry.batch_no, return_file(rows, "S"))
        assert subsidies.get_application(s, award_id).status == "paid"


def test_refusals(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        fid = filed_facility(s).id
        app = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        with pytest.raises(Invalid) as err:  # not approved yet
            subsidy_payments.register_payment(s, FINANCE, app.id, **ACCOUNT)
        assert err.value.field == "application_id"
        subsidies.transition(s, app.id, "approve", ON)
        for field, bad in (
            ("account_no", {"account_no": "6227-0000"}),
            ("bank_code", {"bank_code": ""}),
            ("account_name", {"account_name": "名" * 65}),
        ):
            with pytest.raises(Invalid) as err:
                subsidy_payments.register_payment(s, FINANCE, app.id, **{**ACCOUNT, **bad})
            assert err.value.field == field
        with pytest.raises(OutOfScope):
            subsidy_payments.register_payment(s, FINANCE, app.id, scope="370302", **ACCOUNT)
        assert subsidy_payments.entitlement_of(s, app.id) is None
        subsidy_payments.register_payment(s, FINANCE, app.id, **ACCOUNT)
        with pytest.raises(Invalid) as err:  # it may be sent to the bank: no silent cancel
            subsidies.transition(s, app.id, "cancel", ON, note="机构撤回")
        assert err.value.field == "application_id"
        credit, app_id = subsidies.get_facility(s, fid).credit_code, app.id
    # the database itself refuses a second payment of the same application (its claim) in the same period
    with pytest.raises(IntegrityError, match="claim"), session_scope(migrated_db_url) as s:
        for batch_id in (1, 2):
            s.add(
                Payment(
                    batch_id=batch_id,
                    entitlement_id=1,
                    program=subsidies.CONSTRUCTION,
                    period="once",
                    beneficiary_id_number=credit,
                    claim=f"cc-subsidy:{app_id}",
                    amount=Decimal("1500"),
                )
            )
        s.flush()
    with session_scope(migrated_db_url) as s:
        assert subsidies.get_application(s, app_id).status == "payable"


def test_top_up_is_paid_once_and_no_slot_twice(migrated_db_url, tmp_path):
    with session_scope(migrated_db_url) as s:
        fid, first = approved(s, subsidies.CONSTRUCTION)
        subsidy_payments.register_payment(s, FINANCE, first, **ACCOUNT)
        batch = batches.generate(s, FINANCE, subsidies.CONSTRUCTION, "once", COUNTY)
        assert (batch.count, batch.total) == (1, Decimal("120000.00"))
        with pytest.raises(Invalid) as err:  # sent to the bank: its slots can no longer be freed
            subsidies.transition(s, first, "cancel", ON, note="机构撤回")
        assert err.value.field == "application_id"
        # the facility grows by 20 inclusive slots: only those are granted, and paid in a follow-up batch
        data = facility_input(subsidies.get_facility(s, fid))
        data["slots"][2]["slots"], data["slots"][2]["classes"] = 60, 3
        update_facility(s, fid, data, on=ON)
        more = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        assert (more.units, more.amount) == (20, 30000)
        assert sorted(
            s.scalars(select(SubsidySlot.slot_no).where(SubsidySlot.application_id == more.id))
        ) == list(range(81, 101))
        with pytest.raises(Invalid, match="全部享受过"):  # nothing left to grant
            subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        subsidies.transition(s, more.id, "approve", ON)
        ent = subsidy_payments.register_payment(s, FINANCE, more.id, **ACCOUNT)
        assert ent.claim == f"cc-subsidy:{more.id}"
        top_up = batches.generate(s, FINANCE, subsidies.CONSTRUCTION, "once", COUNTY)
        assert (top_up.batch_no, top_up.count, top_up.total) == (
            f"{subsidies.CONSTRUCTION}-{COUNTY}-once-2",
            1,
            Decimal("30000.00"),
        )
        credit = subsidies.get_facility(s, fid).credit_code
    # a third generation holds nothing new: refused, no empty batch left behind
    with pytest.raises(Conflict) as err, session_scope(migrated_db_url) as s:
        batches.generate(s, FINANCE, subsidies.CONSTRUCTION, "once", COUNTY)
    assert err.value.field == "period"
    with session_scope(migrated_db_url) as s:
        paid = s.execute(
            select(Payment.claim, Payment.amount)
            .where(Payment.beneficiary_id_number == credit)
            .order_by(Payment.id)
        ).all()
        assert paid == [
            (f"cc-subsidy:{first}", Decimal("120000.00")),
            (f"cc-subsidy:{more.id}", Decimal("30000.00")),
        ]
        assert list(s.scalars(select(Batch.batch_no).where(Batch.program == subsidies.CONSTRUCTION))) == [
            f"{subsidies.CONSTRUCTION}-{COUNTY}-once",
            f"{subsidies.CONSTRUCTION}-{COUNTY}-once-2",
        ]
        # the same slot under a second application: refused by the database
        with pytest.raises(IntegrityError, match="slot_no"), s.begin_nested():
            s.add(
                SubsidySlot(application_id=first, facility_id=fid, program=subsidies.CONSTRUCTION, slot_no=81)
            )
            s.flush()
        # a second entitlement for the same application: refused
        with pytest.raises(Conflict):
            entitlements.register(
                s,
                FINANCE,
                case_ref="x",
                claim=f"cc-subsidy:{more.id}",
                program=subsidies.CONSTRUCTION,
                beneficiary_id_number=credit,
                beneficiary_name="x",
                payee_id_number=credit,
                payee_name="x",
                account_no="622700001234567890",
                bank_code="ZBBANK",
                county=COUNTY,
                amount=Decimal(1),
                frequency="once",
                start=ON,
                end=None,
            )
    # the follow-up batch goes to the bank; its return marks the top-up paid, the first application untouched
    top_up_no = f"{subsidies.CONSTRUCTION}-{COUNTY}-once-2"
    with session_scope(migrated_db_url) as s:
        bankfile.export(s, FINANCE, top_up_no, tmp_path / "top_up.csv")
    rows = read_export(tmp_path / "top_up.csv")
    assert [r["金额"] for r in rows] == ["30000.00"]
    with session_scope(migrated_db_url) as s:
        bankfile.import_return(s, FINANCE, top_up_no, return_file(rows, "S"))
        assert subsidies.get_application(s, more.id).status == "paid"
        assert subsidies.get_application(s, first).status == "payable"


def test_payments_knows_the_facility_programs():
    assert set(bankfile.FACILITY_PROGRAMS) == set(subsidies.PROGRAMS)
    assert {batches.frequency_of(p) for p in subsidies.PROGRAMS} == {"once"}
