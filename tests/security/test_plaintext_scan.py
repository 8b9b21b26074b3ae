"""No table holds an ID number or a mobile number in plain text: every text column of every table is read by raw
SQL after the demo data and the registry scope seed are loaded (a quarantined row corrected, a birth bundle filed), so a
new column that stores one fails here whoever adds it."""

from __future__ import annotations

import datetime as dt
import importlib
import re

from sqlalchemy import JSON, String, Text, inspect, text
from sqlalchemy.orm import Session

from cradle import fieldcrypt
from cradle.db import make_engine, session_scope
from cradle.demo import DEMO_LOADERS
from cradle.idcard import make_id_number

# not inside a longer run of letters or digits: hashes, signatures and ciphertexts are not numbers
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9X](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
FIXED = make_id_number("370303", dt.date(1991, 5, 6), 31, "F")
FIXED_PHONE = "13712345678"


def _plain_values(url: str) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """(rows per table, [(table, column, excerpt)] of every text value holding a plain number)."""
    engine = make_engine(url)
    found, rows = [], {}
    with engine.connect() as c:
        insp = inspect(c)
        for table in insp.get_table_names():
            rows[table] = c.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
            for col in insp.get_columns(table):
                if not isinstance(col["type"], String | Text | JSON):
                    continue
                q = text(f'SELECT "{col["name"]}" FROM "{table}" WHERE "{col["name"]}" IS NOT NULL')
                for (value,) in c.execute(q):
                    m = ID_NUMBER.search(str(value)) or PHONE.search(str(value))
                    if m:
                        found.append((table, col["name"], str(value)[max(0, m.start() - 30) : m.end() + 10]))
    engine.dispose()
    return rows, found


def _seed(url: str) -> None:
    from tests.auth.seed import seed_registry

    from cradle.registry import quarantine
    from cradle.registry.models import QuarantineRow

    for name in DEMO_LOADERS:
        with session_scope(url) as s:
            importlib.import_module(name).load_demo(s)
    ids = seed_registry(url)  # a quarantined row, an identity queue and a merge in 370303
    with Session(make_engine(url)) as s:  # an official's correction carries a full ID number
        quarantine.correct(s, ids["row_id"], {"id_number": FIXED, "name": "更正"})
        s.commit()
        assert s.get(QuarantineRow, ids["row_id"]).corrected["id_number"] == FIXED


def test_no_text_column_of_any_table_holds_a_plain_id_or_phone_number(svc_url, monkeypatch):
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_url)
    _seed(svc_url)
    rows, found = _plain_values(svc_url)
    assert not found, found
    # the scan saw the tables that hold the numbers (encrypted), so an empty result means something
    for table in (
        "registry_person",
        "registry_quarantine",
        "svc_birth_bundle",
        "svc_case",
        "cc_enrolment",
        "audit_log",
    ):
        assert rows.get(table), (table, rows.get(table))


def test_rotation_reaches_quarantined_rows_and_bundles(svc_url, monkeypatch):
    import base64

    from cradle.keyrotation import rotate
    from cradle.registry.models import QuarantineRow

    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_url)
    monkeypatch.delenv("CRADLE_FIELD_KEYS", raising=False)
    _seed(svc_url)
    with Session(make_engine(svc_url)) as s:
        before = {r.id: (r.raw, r.corrected) for r in s.query(QuarantineRow)}
    dev = base64.b64encode(fieldcrypt._DEV_KEY).decode()
    k2 = f"k2:{fieldcrypt.new_key()}"
    monkeypatch.setenv("CRADLE_FIELD_KEYS", f"{k2},{fieldcrypt.DEV_KEY_ID}:{dev}")
    report = rotate(make_engine(svc_url))
    assert report.columns["registry_quarantine.raw"] == len(before)
    assert report.columns["registry_quarantine.corrected"] == 1
    assert report.columns["svc_birth_bundle.data"] == _plain_values(svc_url)[0]["svc_birth_bundle"] > 0
    monkeypatch.setenv("CRADLE_FIELD_KEYS", k2)  # the development key retired: every row is under k2
    with Session(make_engine(svc_url)) as s:
        assert {r.id: (r.raw, r.corrected) for r in s.query(QuarantineRow)} == before


def test_the_scan_finds_a_plain_number(svc_url):
    """The scan is not blind: a number written around the encrypted types is reported with its table."""
    engine = make_engine(svc_url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO registry_ingest_run (id, dept, kind, file_name, status, rows_read, accepted, merged,"
                " duplicates, quarantined, queued, reasons, error) VALUES (1, 'gongan', 'file', 'f.csv', 'failed',"
                " 0, 0, 0, 0, 0, 0, '{}', :e)"
            ),
            {"e": f"row 2: {FIXED} / {FIXED_PHONE}"},
        )
    engine.dispose()
    _, found = _plain_values(svc_url)
    assert [(t, c) for t, c, _ in found] == [("registry_ingest_run", "error")]
    assert not fieldcrypt.is_encrypted(found[0][2])


def test_migration_encrypts_quarantined_rows_and_birth_bundles(db_url):
    """Rows written before 0012 (plain JSON; on PostgreSQL json columns) are encrypted by the upgrade and read."""
    from alembic import command
    from alembic.config import Config

    from cradle.config import PROJECT_ROOT
    from cradle.db import upgrade
    from cradle.registry.models import QuarantineRow
    from cradle.services.models import BirthBundle

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", db_url)
    command.upgrade(cfg, "0010_registry_field_encryption")
    command.upgrade(cfg, "0011_services_case_snapshots")
    raw = f'{{"id_number": "{FIXED}", "name": "王"}}'
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO registry_ingest_run (id, dept, kind, file_name, status, rows_read, accepted, merged, "
                "duplicates, quarantined, queued, reasons) VALUES (1, 'gongan', 'file', 'f.csv', 'done', 3, 0, 0, 0, "
                "3, 0, '{}')"
            )
        )
        for n, corrected in ((1, f'{{"phone": "{FIXED_PHONE}"}}'), (2, "null"), (3, None)):
            c.execute(
                text(
                    "INSERT INTO registry_quarantine (id, run_id, dept, file_name, row_no, row_hash, field, "
                    "reason, message, raw, corrected, status) VALUES (:n, 1, 'gongan', 'f.csv', :n, :n, "
                    "'id_number', 'bad', 'x', :raw, :corrected, 'open')"
                ),
                {"n": n, "raw": raw, "corrected": corrected},
            )
        c.execute(
            text(
                "INSERT INTO svc_birth_bundle (id, bundle_no, mother_id_number, child_name, child_birth_date,"
                " county, data, filed_by) VALUES (1, 'B1', 'x', '小', '2025-01-01', '370303', :d, 'x')"
            ),
            {"d": f'{{"mother_id_number": "{FIXED}", "phone": "{FIXED_PHONE}"}}'},
        )
    engine.dispose()
    upgrade(db_url)
    _, found = _plain_values(db_url)
    assert not found, found
    with Session(make_engine(db_url)) as s:
        rows = {r.id: r for r in s.query(QuarantineRow)}
        assert rows[1].raw == {"id_number": FIXED, "name": "王"} and rows[1].corrected == {
            "phone": FIXED_PHONE
        }
        assert rows[2].corrected is None and rows[3].corrected is None  # the old JSON null is no correction
        assert s.get(BirthBundle, 1).data == {"mother_id_number": FIXED, "phone": FIXED_PHONE}
