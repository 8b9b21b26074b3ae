"""Never paid twice while `cradle keys rotate` is part-way: a payment still under the old key and its entitlement
already under the new one are the same obligation to the database (uq_pay_payment_entitlement_period_claim), on
SQLite and PostgreSQL; top-ups (another claim) stay payable, and the rotation then finishes over payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cradle import fieldcrypt
from cradle.auth.actor import SYSTEM
from cradle.childcare.subsidies import CONSTRUCTION
from cradle.config import PROJECT_ROOT
from cradle.db import make_engine
from cradle.errors import Conflict
from cradle.idcard import make_id_number
from cradle.keyrotation import reencrypt_column
from cradle.payments import batches, entitlements
from cradle.payments.models import Batch, Payment
from services.helpers import finance

ZIBO = "370303"
K1 = "k1:" + "A" * 43 + "="
K2 = "k2:" + fieldcrypt.new_key()
FACILITY = make_id_number(ZIBO, dt.date(1985, 1, 1), 7, "M")  # the payee the subsidy is registered to
FIN = type(finance)(id="f", role=finance.role, region=ZIBO, dept=finance.dept)


def _subsidy(s: Session, claim: str, beneficiary: str = FACILITY):
    return entitlements.register(
        s,
        SYSTEM,
        case_ref=f"cc:{claim}",
        program=CONSTRUCTION,
        beneficiary_id_number=beneficiary,
        beneficiary_name="托育园",
        payee_id_number=FACILITY,
        payee_name="托育园",
        account_no="6217000000000000001",
        bank_code="ZBBANK",
        county=ZIBO,
        amount=Decimal("30000"),
        frequency="once",
        start=dt.date(2025, 6, 1),
        end=None,
        claim=claim,
    )


def _raw(s: Session, sql: str) -> list[tuple]:
    return [tuple(r) for r in s.execute(text(sql))]


def _payments(s: Session) -> int:
    return s.execute(select(func.count()).select_from(Payment)).scalar()


def test_a_batch_generated_mid_rotation_pays_no_one_twice(svc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_FIELD_KEYS", K1)
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_url)  # for `cradle keys rotate`
    engine = make_engine(svc_url)
    s = Session(engine)
    first = _subsidy(s, "cc-subsidy:1").id
    other = _subsidy(s, "cc-subsidy:2", make_id_number(ZIBO, dt.date(1986, 2, 2), 8, "M")).id
    assert batches.generate(s, FIN, CONSTRUCTION, "once", ZIBO).count == 2
    s.commit()

    # k2 becomes current and the rotation stops after the entitlements: payments still carry k1's ciphertext
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K2},{K1}")
    with engine.connect() as conn:
        assert reencrypt_column(conn, "pay_entitlement", ("id",), "beneficiary_id_number") == 2
    s.expunge_all()
    ring = fieldcrypt.keyring()
    (ent_cipher,) = _raw(s, f"SELECT beneficiary_id_number FROM pay_entitlement WHERE id = {first}")[0]
    pay_sql = f"SELECT beneficiary_id_number FROM pay_payment WHERE entitlement_id = {first}"
    (pay_cipher,) = _raw(s, pay_sql)[0]
    assert ent_cipher.startswith(ring.prefix) and not pay_cipher.startswith(ring.prefix)
    assert ring.decrypt(ent_cipher) == ring.decrypt(pay_cipher) == FACILITY  # same person, different text

    # generating again adds nothing, and leaves no empty batch behind
    with pytest.raises(Conflict):
        batches.generate(s, FIN, CONSTRUCTION, "once", ZIBO)
    s.rollback()
    assert _payments(s) == 2 and s.execute(select(func.count()).select_from(Batch)).scalar() == 1

    # a top-up for slots added later (another claim) is still paid: only it
    top_up = _subsidy(s, "cc-subsidy:3").id
    batch = batches.generate(s, FIN, CONSTRUCTION, "once", ZIBO)
    s.commit()
    assert batch.count == 1 and batch.total == Decimal("30000.00")
    assert [p.entitlement_id for p in batches.payments_in(s, batch)] == [top_up]
    assert _payments(s) == 3

    # the rotation finishes over payments through the CLI; then a replay still adds nothing
    from cradle.cli import app

    result = CliRunner().invoke(app, ["keys", "rotate", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "pay_payment.beneficiary_id_number: 2 rows re-encrypted" in result.output
    s.expunge_all()
    assert all(v.startswith(ring.prefix) for (v,) in _raw(s, "SELECT beneficiary_id_number FROM pay_payment"))
    assert {p.entitlement_id for p in s.execute(select(Payment)).scalars()} == {first, other, top_up}
    assert s.execute(select(Payment).where(Payment.beneficiary_id_number == FACILITY)).scalars().all()
    with pytest.raises(Conflict):
        batches.generate(s, FIN, CONSTRUCTION, "once", ZIBO)
    s.rollback()
    assert _payments(s) == 3
    s.close()
    engine.dispose()


def test_the_database_refuses_a_second_payment_under_another_key(svc_url, monkeypatch):
    """The set-based generator is not the only guard: a raw INSERT whose ciphertext the text constraint does not
    recognise is refused by the entitlement-period index, and nothing is stored."""
    monkeypatch.setenv("CRADLE_FIELD_KEYS", K1)
    engine = make_engine(svc_url)
    s = Session(engine)
    ent = _subsidy(s, "cc-subsidy:1")
    batch = batches.generate(s, FIN, CONSTRUCTION, "once", ZIBO)
    s.commit()
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K2},{K1}")
    values = {
        "batch_id": batch.id,
        "entitlement_id": ent.id,
        "program": CONSTRUCTION,
        "period": "once",
        "claim": "cc-subsidy:1",
        "beneficiary_id_number": FACILITY,  # encrypted under k2 on the way in
        "amount": Decimal("30000"),
        "status": "pending",
        "attempt": 1,
    }
    with pytest.raises(IntegrityError, match=r"entitlement_period_claim|pay_payment\.entitlement_id"):
        s.execute(insert(Payment).values(**values))
    s.rollback()
    assert _payments(s) == 1
    s.close()
    engine.dispose()


def test_the_migration_names_payments_already_made_twice(db_url):
    """A database that already holds a doubled payment cannot take the index: the upgrade names the entitlement
    and period and stops with the rows as they were; once reconciled it goes through."""
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", db_url)
    command.upgrade(cfg, "0010_payments_field_encryption")
    engine = make_engine(db_url)
    with engine.begin() as c:
        for n, cipher in enumerate(("$a$k1$old", "$a$k2$new"), 1):
            c.execute(
                text(
                    "INSERT INTO pay_payment (id, batch_id, entitlement_id, program, beneficiary_id_number, period, "
                    f"claim, amount, status, attempt) VALUES ({n}, {n}, 7, 'p', '{cipher}', '2025-07', '', 200, "
                    "'pending', 1)"
                )
            )
    with pytest.raises(RuntimeError, match="entitlement 7 period 2025-07 claim '': 2 payments"):
        command.upgrade(cfg, "0015_payments_entitlement_period")
    with engine.begin() as c:
        assert c.execute(text("SELECT count(*) FROM pay_payment")).scalar() == 2
        c.execute(text("DELETE FROM pay_payment WHERE id = 2"))
    command.upgrade(cfg, "0015_payments_entitlement_period")
    with engine.begin() as c, pytest.raises(IntegrityError):
        c.execute(
            text(
                "INSERT INTO pay_payment (id, batch_id, entitlement_id, program, beneficiary_id_number, period, claim, "
                "amount, status, attempt) VALUES (3, 3, 7, 'p', '$a$k2$new', '2025-07', '', 200, 'pending', 1)"
            )
        )
    engine.dispose()


def test_a_second_entitlement_for_one_person_is_refused_mid_rotation(svc_url, monkeypatch):
    """The unique key on the encrypted ID number cannot see a person registered under the old key; the look-up
    before the insert matches every key, so a second entitlement (say from a duplicate case let in while the
    rotation was part-way) is refused and nothing is stored."""
    monkeypatch.setenv("CRADLE_FIELD_KEYS", K1)
    engine = make_engine(svc_url)
    s = Session(engine)
    _subsidy(s, "cc-subsidy:1")
    s.commit()
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K2},{K1}")  # k2 current, the row still under k1
    with pytest.raises(Conflict) as refused:
        _subsidy(s, "cc-subsidy:1")
    assert refused.value.field == "beneficiary"
    s.rollback()
    assert s.execute(select(func.count()).select_from(entitlements.Entitlement)).scalar() == 1
    assert _subsidy(s, "cc-subsidy:2").id  # another claim of the same person is its own entitlement
    s.rollback()
    s.close()
    engine.dispose()
