"""Field encryption at rest: the keyring, both algorithms (AES-256-SIV, SM4-SIV), lookups, rotation, migration."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from alembic import command
from alembic.config import Config
from cryptography.exceptions import InvalidTag
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests.services.helpers import MOTHER, county, mother

from cradle import audit, fieldcrypt
from cradle.config import PROJECT_ROOT
from cradle.db import make_engine, upgrade
from cradle.idcard import make_id_number
from cradle.keyrotation import encrypted_columns, rotate
from cradle.registry.models import Person
from cradle.services import registration
from cradle.services.models import BirthRegistration, Notification

SOON = (dt.date.today() + dt.timedelta(days=120)).isoformat()
PLAIN_ID = re.compile(r"^\d{17}[\dX]$")
PLAIN_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")  # inside a JSON document too
K1 = "k1:" + "A" * 43 + "="  # 32 zero bytes, a fixed key so the test's ciphertexts are reproducible
K2 = "k2:" + fieldcrypt.new_key()


@pytest.fixture(params=["aes", "sm"])
def crypto(request, monkeypatch):
    monkeypatch.setenv("CRADLE_CRYPTO", request.param)
    monkeypatch.setenv("CRADLE_FIELD_KEYS", K1)
    return request.param


def _raw(url, sql):
    engine = make_engine(url)
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(text(sql))]
    engine.dispose()
    return rows


def test_round_trip_is_deterministic_and_authenticated(crypto):
    ring = fieldcrypt.keyring()
    number = make_id_number("370303", dt.date(1990, 1, 1), 12, "F")
    stored = ring.encrypt(number)
    assert stored.startswith({"aes": "$a$k1$", "sm": "$s$k1$"}[crypto]) and number not in stored
    assert ring.encrypt(number) == stored and ring.decrypt(stored) == number
    assert ring.encrypt(number[:-1] + "0") != stored
    body = stored.rsplit("$", 1)[1]
    flipped = stored[: -len(body)] + ("B" if body[0] != "B" else "C") + body[1:]
    with pytest.raises(fieldcrypt.FieldIntegrityError):
        ring.decrypt(flipped)
    with pytest.raises(fieldcrypt.FieldKeyError, match="k9"):
        ring.decrypt(stored.replace("$k1$", "$k9$"))


def test_a_column_decrypted_at_once_reads_as_each_value_alone(crypto, monkeypatch):
    """`decrypt_many` (bulk reads): values under the current key, under an older key and the other algorithm,
    plain values written before encryption and NULLs read as `decrypt` reads each; a tampered value refuses."""
    old = fieldcrypt.keyring()
    numbers = [make_id_number("370303", dt.date(1990, 1, 1), i, "F") for i in range(1, 40)]
    older = [old.encrypt(n, alg) for n, alg in zip(numbers[:10], "as" * 5, strict=True)]
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K2},{K1}")  # the ring follows the environment at once
    ring = fieldcrypt.keyring()
    assert ring is not old and ring.current == "k2"
    stored = [*older, *ring.encrypt_many(numbers[10:30]), *numbers[30:], None]
    assert (
        ring.decrypt_many(stored)
        == [*numbers, None]
        == [None if v is None else ring.decrypt(v) for v in stored]
    )
    body = stored[15].rsplit("$", 1)[1]
    tampered = stored[15][: -len(body)] + ("B" if body[0] != "B" else "C") + body[1:]
    with pytest.raises(fieldcrypt.FieldIntegrityError):
        ring.decrypt_many([stored[0], tampered])
    with pytest.raises(fieldcrypt.FieldIntegrityError):
        ring.decrypt_many([stored[15][:-1] + "\u00e9"])  # not base64 at all


def test_keys_are_checked_and_production_refuses_the_development_key(monkeypatch):
    monkeypatch.delenv("CRADLE_FIELD_KEYS", raising=False)
    assert fieldcrypt.keyring().current == fieldcrypt.DEV_KEY_ID
    monkeypatch.setenv("CRADLE_ENV", "production")
    with pytest.raises(fieldcrypt.FieldKeyError, match="production"):
        fieldcrypt.keyring()
    monkeypatch.setenv("CRADLE_FIELD_KEYS", "k1:AAAA")
    with pytest.raises(fieldcrypt.FieldKeyError, match=r"entry 1 \(k1\): key must be 32 bytes"):
        fieldcrypt.keyring()
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K1},{K1}")
    with pytest.raises(fieldcrypt.FieldKeyError, match="entry 2: key id k1 appears twice"):
        fieldcrypt.keyring()
    monkeypatch.setenv("CRADLE_CRYPTO", "des")
    with pytest.raises(fieldcrypt.FieldKeyError, match="CRADLE_CRYPTO"):
        fieldcrypt.crypto_mode()


def test_registration_stores_no_plain_number_and_is_found_by_it(crypto, svc_url):
    s = Session(make_engine(svc_url))
    reg_id = registration.register(
        s,
        mother,
        {
            "mother_id_number": MOTHER,
            "mother_name": "李梅",
            "hukou_region": "620402",
            "residence_region": "620402",
            "expected_birth": SOON,
            "child_order": 1,
            "phone": "13800000001",
        },
    )
    reg_id, reg_no = reg_id.id, reg_id.reg_no
    s.commit()
    raw = _raw(svc_url, "SELECT mother_id_number, phone FROM svc_birth_registration")
    assert raw and all(MOTHER not in v and "13800000001" not in v for row in raw for v in row)
    assert all(v.startswith(f"${'as'[crypto == 'sm']}$k1$") for row in raw for v in row)
    notes = _raw(svc_url, "SELECT recipient_id_number FROM svc_notification")
    assert notes and not any(MOTHER in v for (v,) in notes)
    s.expunge_all()
    assert [r.id for r in registration.of_person(s, MOTHER)] == [reg_id]
    found = s.execute(
        select(BirthRegistration).where(BirthRegistration.mother_id_number == MOTHER)
    ).scalar_one()
    assert (found.mother_id_number, found.phone) == (MOTHER, "13800000001")
    assert (
        s.execute(select(Notification).where(Notification.recipient_id_number.in_([MOTHER, "x"])))
        .scalars()
        .all()
    )
    assert registration.get(s, county, reg_no).mother_id_number == MOTHER
    s.close()


def test_rotation_reencrypts_every_column_resumably_and_is_audited(crypto, svc_url, monkeypatch):
    s = Session(make_engine(svc_url))
    registration.register(
        s,
        mother,
        {
            "mother_id_number": MOTHER,
            "mother_name": "李梅",
            "hukou_region": "620402",
            "residence_region": "620402",
            "expected_birth": SOON,
            "child_order": 1,
            "phone": "13800000001",
        },
    )
    plain = make_id_number("620402", dt.date(1980, 5, 5), 21, "M")
    s.add(Person(id_number=MOTHER, name="李梅", sex="F", birth_date=dt.date(1993, 4, 2), region="620402"))
    s.commit()
    # a row written before encryption existed, in plain text
    s.execute(
        text(
            "INSERT INTO registry_person (id_number, name, sex, birth_date, region) "
            "VALUES (:n, '旧', 'M', '1980-05-05', '620402')"
        ),
        {"n": plain},
    )
    s.commit()
    before = _raw(svc_url, "SELECT mother_id_number FROM svc_birth_registration")[0][0]

    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K2},{K1}")  # k2 is current; k1 rows still read and match
    s.expunge_all()
    assert s.execute(select(Person).where(Person.id_number == MOTHER)).scalar_one().name == "李梅"
    assert registration.of_person(s, MOTHER)
    s.close()

    report = rotate(make_engine(svc_url), batch=1)
    assert report.key == "k2" and report.columns["registry_person.id_number"] == 2
    assert report.columns["svc_birth_registration.mother_id_number"] == 1
    prefix = f"${'as'[crypto == 'sm']}$k2$"
    for table, _pk, name in encrypted_columns():
        for (v,) in _raw(svc_url, f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL"):
            assert v.startswith(prefix) and not PLAIN_ID.match(v), (table, name)
    assert _raw(svc_url, "SELECT mother_id_number FROM svc_birth_registration")[0][0] != before
    again = rotate(make_engine(svc_url))  # nothing left: resuming after a finished rotation rewrites nothing
    assert sum(again.columns.values()) == 0

    monkeypatch.setenv("CRADLE_FIELD_KEYS", K2)  # k1 retired
    s = Session(make_engine(svc_url))
    assert s.execute(select(Person).where(Person.id_number == plain)).scalar_one().name == "旧"
    assert registration.of_person(s, MOTHER)[0].phone == "13800000001"
    entries = audit.history(s, "column:registry_person.id_number")
    assert [(e.action, e.detail["key"], e.detail["rows"]) for e in entries] == [
        ("keys.rotate", "k2", 2),
        ("keys.rotate", "k2", 0),
    ]
    assert audit.verify(s).ok
    s.close()


def test_migration_encrypts_existing_plain_rows(crypto, db_url):
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", db_url)
    command.upgrade(cfg, "0008_registry_scope")
    command.upgrade(cfg, "0007_services_audit_chains")
    _exec(
        db_url,
        "INSERT INTO registry_person (id_number, name, sex, birth_date, region) "
        f"VALUES ('{MOTHER}', '李梅', 'F', '1993-04-02', '620402')",
    )
    _exec(
        db_url,
        "INSERT INTO svc_consent (id, grantor_id_number, grantor_name, proxy_id_number, proxy_name, "
        "relation, scope, valid_until, evidence) VALUES "
        f"(1, '{MOTHER}', '李梅', '110101199001011237', '王强', 'spouse', '*', '2027-01-01', 'x')",
    )
    _exec(
        db_url,
        "INSERT INTO svc_case (id, case_no, program, applicant_id_number, applicant_name, beneficiary_id_number, "
        "beneficiary_name, beneficiary_member, county, household, identities, eligibility, status, origin, filed_by, "
        f"version) VALUES (1, 'C1', 'p', '{MOTHER}', '李梅', '{MOTHER}', '李梅', 'm', '620402', "
        f'\'{{"members": []}}\', \'{{"m": {{"id_number": "{MOTHER}", "name": "李梅"}}}}\', \'{{}}\', '
        "'submitted', 'citizen', 'x', 1)",
    )
    upgrade(db_url)
    identities, household = _raw(db_url, "SELECT identities, household FROM svc_case")[0]
    assert (
        fieldcrypt.is_encrypted(identities)
        and MOTHER not in identities
        and fieldcrypt.is_encrypted(household)
    )
    from cradle.services.models import Case

    with Session(make_engine(db_url)) as s:
        case = s.execute(select(Case).where(Case.applicant_id_number == MOTHER)).scalar_one()
        assert case.identities == {"m": {"id_number": MOTHER, "name": "李梅"}} and case.household == {
            "members": []
        }
    (stored,) = _raw(db_url, "SELECT id_number FROM registry_person")[0]
    assert stored != MOTHER and fieldcrypt.keyring().decrypt(stored) == MOTHER
    grantor, proxy = _raw(db_url, "SELECT grantor_id_number, proxy_id_number FROM svc_consent")[0]
    assert fieldcrypt.is_encrypted(grantor) and fieldcrypt.keyring().decrypt(proxy) == "110101199001011237"
    with Session(make_engine(db_url)) as s:
        assert s.execute(select(Person.name).where(Person.id_number == MOTHER)).scalar_one() == "李梅"


def _exec(url, sql):
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(text(sql))
    engine.dispose()


def test_no_encrypted_column_of_any_domain_holds_a_plain_number(crypto, svc_url, monkeypatch):
    from decimal import Decimal

    from tests.auth.seed import CHILD_ID, REG_BAD_ID, REG_ID, seed

    from cradle.auth import accounts
    from cradle.payments import entitlements
    from cradle.payments.models import Entitlement

    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_url)
    seed(svc_url)  # childcare enrolment, registry ingest and identity queue
    s = Session(make_engine(svc_url))
    entitlements.register(
        s,
        "county:370303",
        case_ref="case:1",
        program="zibo.childcare_subsidy",
        beneficiary_id_number=CHILD_ID,
        beneficiary_name="小明",
        payee_id_number=MOTHER,
        payee_name="李梅",
        account_no="6222000000000001",
        bank_code="ICBC",
        county="370303",
        amount=Decimal("300"),
        frequency="monthly",
        start=dt.date(2025, 1, 1),
        end=None,
    )
    account = accounts.register_citizen(s, REG_ID, "李梅", "13900000002", "secret-pass-123")
    s.commit()
    filled = {}
    for table, _pk, name in encrypted_columns():
        values = [v for (v,) in _raw(svc_url, f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL")]
        filled[f"{table}.{name}"] = len(values)
        assert not any(
            PLAIN_IN_TEXT.search(v) or CHILD_ID in v or REG_ID in v or REG_BAD_ID in v or "139000" in v
            for v in values
        ), (table, name)
    assert all(
        filled[c]
        for c in (
            "registry_person.id_number",
            "cc_enrolment.child_id_number",
            "pay_entitlement.beneficiary_id_number",
            "pay_entitlement.payee_id_number",
            "auth_account.username",
            "auth_account.phone",
            "registry_quarantine.raw",  # the seed's refused row carries REG_BAD_ID
        )
    )
    (raw,) = _raw(svc_url, "SELECT raw FROM registry_quarantine")[0]
    assert fieldcrypt.keyring().decrypt(raw).count(REG_BAD_ID) == 1  # encrypted, and the value survives
    assert accounts.authenticate(s, REG_ID, "secret-pass-123").id == account.id  # signs in by ID number
    found = s.execute(select(Entitlement).where(Entitlement.payee_id_number == MOTHER)).scalar_one()
    assert found.beneficiary_id_number == CHILD_ID
    assert s.execute(select(Person).where(Person.id_number == REG_ID)).scalar_one().region == "370303"
    s.close()


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 40])
def test_sm4_siv_key_stream_is_standard_ctr(size):
    """The per-thread ECB key stream equals cryptography's SM4-CTR, counter wrap-around included."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    sm = fieldcrypt._Sm4Siv(bytes(range(32)))
    data, iv = bytes(range(size)), b"\xff" * 15 + b"\xfe"
    ctr = Cipher(algorithms.SM4(sm._enc), modes.CTR(iv)).encryptor()
    assert sm._ctr(iv, data) == ctr.update(data) + ctr.finalize()
    sealed = sm.seal(data)
    assert sm.open(sealed) == data and sm.seal(data) == sealed
    with pytest.raises(InvalidTag):
        sm.open(sealed[:-1] + bytes([sealed[-1] ^ 1]) if size else sealed[:15] + bytes([sealed[15] ^ 1]))


def test_a_case_keeps_its_snapshots_encrypted_and_rotation_reaches_them(crypto, svc_url, monkeypatch):
    from tests.services.helpers import CHILD2, IDENTITIES, application

    from cradle.services import applications

    s = Session(make_engine(svc_url))
    case_no = applications.submit(s, mother, application()).case_no
    s.commit()
    stored = _raw(svc_url, "SELECT identities, household, applicant_id_number, phone FROM svc_case")
    assert stored and all(
        fieldcrypt.is_encrypted(v) and MOTHER not in v and CHILD2 not in v for v in stored[0]
    )
    s.expunge_all()
    assert applications.get(s, county, case_no).identities == IDENTITIES
    s.close()
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{K2},{K1}")
    assert rotate(make_engine(svc_url)).columns["svc_case.identities"] == 1
    (identities,) = _raw(svc_url, "SELECT identities FROM svc_case")[0]
    assert identities.startswith(fieldcrypt.keyring().prefix)
    with Session(make_engine(svc_url)) as s:
        assert applications.get(s, county, case_no).identities == IDENTITIES
