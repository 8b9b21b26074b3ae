"""find_person: the auth module verifies a citizen account against the registry with it."""

import datetime as dt

from cradle.auth import accounts
from cradle.auth.testing import PASSWORD
from cradle.db import make_engine, session_scope
from cradle.idcard import make_id_number
from cradle.registry.ingest import ingest_file
from cradle.registry.lookup import find_person

from .test_quarantine_identity import _gongan

MOTHER = make_id_number("370303", dt.date(1992, 3, 4), 1, "F")
FATHER = make_id_number("370303", dt.date(1990, 6, 7), 2, "M")


def _registry(url, tmp_path):
    f = tmp_path / "gongan.csv"
    _gongan(
        f,
        [
            ["L1", MOTHER, "赵敏", "2", "1992-03-04", "register", "1992-03-04", "370303", "H1", "02", "2"],
            ["L2", FATHER, "孙浩", "1", "1990-06-07", "register", "1990-06-07", "370303", "H1", "01", "2"],
            ["L3", FATHER, "孙皓", "1", "1990-06-07", "correct", "2024-05-01", "370303", "H1", "01", "2"],
        ],
    )
    engine = make_engine(url)
    assert ingest_file("gongan", f, engine=engine).accepted == 3
    engine.dispose()


def test_a_registered_citizen_becomes_verified(migrated_db_url, tmp_path):
    _registry(migrated_db_url, tmp_path)
    with session_scope(migrated_db_url) as s:
        found = find_person(s, MOTHER.lower())
        assert (found.id_number, found.name, found.birth_date) == (MOTHER, "赵敏", dt.date(1992, 3, 4))
        assert find_person(s, make_id_number("370303", dt.date(1995, 1, 1), 9, "F")) is None
        assert find_person(s, "") is None
        verified = accounts.register_citizen(s, MOTHER, "赵敏", None, PASSWORD, "1.1.1.1")
        assert verified.registry_status == "verified"
        # the registry knows the number under another name: not verified
        other = accounts.register_citizen(s, FATHER, "孙浩", None, PASSWORD, "1.1.1.2")
        assert other.registry_status == "pending"
        # …because a later correction renamed him: the current name is what counts
        assert find_person(s, FATHER).name == "孙皓"
    with session_scope(migrated_db_url) as s:
        assert accounts.authenticate(s, MOTHER, PASSWORD, "1.1.1.1").registry_status == "verified"
