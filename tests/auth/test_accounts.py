"""Accounts on SQLite and PostgreSQL: registration with the ID check digit, administrators' accounts with
role-appropriate scope, argon2 hashes, lock-out and the per-client rate limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cradle.audit import AuditEntry
from cradle.auth import accounts, ratelimit
from cradle.auth.models import Account
from cradle.auth.testing import PASSWORD
from cradle.db import session_scope
from cradle.errors import Conflict, Forbidden, Invalid, TooMany, Unauthenticated

from .helpers import CITIZEN_ID


def test_register_citizen_pending_registry_check(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        a = accounts.register_citizen(s, CITIZEN_ID.lower(), "王芳", "13800138000", PASSWORD, "1.2.3.4")
        assert (a.username, a.id_number, a.role, a.registry_status) == (
            CITIZEN_ID,
            CITIZEN_ID,
            "citizen",
            "pending",
        )
        assert a.password_hash.startswith("$argon2id$") and PASSWORD not in a.password_hash
        with pytest.raises(Conflict) as e:
            accounts.register_citizen(s, CITIZEN_ID, "王芳", None, PASSWORD, "1.2.3.4")
        assert e.value.field == "id_number"
    with session_scope(migrated_db_url) as s:
        assert accounts.authenticate(s, CITIZEN_ID, PASSWORD, "1.2.3.4").name == "王芳"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.register")).one()
        assert CITIZEN_ID not in entry.actor and CITIZEN_ID[:6] in entry.actor


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("id_number", {"id_number": CITIZEN_ID[:-1] + ("0" if CITIZEN_ID[-1] != "0" else "1")}),
        ("id_number", {"id_number": "12345"}),
        ("name", {"name": " "}),
        ("phone", {"phone": "12345"}),
        ("password", {"password": "short1"}),
        ("password", {"password": "onlyletterslong"}),
    ],
)
def test_registration_errors_name_the_field(auth_url, field, kwargs):
    data = {"id_number": CITIZEN_ID, "name": "王芳", "phone": None, "password": PASSWORD, **kwargs}
    with session_scope(auth_url) as s:
        with pytest.raises(Invalid) as e:
            accounts.register_citizen(s, data["id_number"], data["name"], data["phone"], data["password"])
        assert e.value.field == field
        assert s.scalar(select(Account.id)) is None


@pytest.mark.parametrize(
    ("role", "region", "field"),
    [
        ("county_official", "370300", "region"),  # a city code for a county role
        ("city_official", "370303", "region"),
        ("province_official", "370000", None),
        ("town_official", "370303001", None),
        ("town_official", "370303", "region"),
        ("county_official", "cn", "region"),
        ("auditor", "cn", None),
        ("county_official", "999999", "region"),
        ("dept_clerk", "370303", "department"),
        ("facility_operator", "370303", "facility_id"),
        ("citizen", "370303", "role"),
        ("mayor", "370303", "role"),
    ],
)
def test_administrator_accounts_need_a_scope_fit_for_the_role(auth_url, role, region, field):
    with session_scope(auth_url) as s:
        if field is None:
            assert (
                accounts.create_account(
                    s, "cli", username=f"u{role}", role=role, name="李", password=PASSWORD, region=region
                ).region
                == region
            )
            return
        with pytest.raises(Invalid) as e:
            accounts.create_account(
                s, "cli", username="user1", role=role, name="李", password=PASSWORD, region=region
            )
        assert e.value.field == field


def test_only_administrators_create_accounts_and_only_inside_their_scope(auth_url):
    from cradle.auth.actor import from_account

    with session_scope(auth_url) as s:
        admin = from_account(
            accounts.create_account(
                s, "cli", username="adm", role="administrator", name="管", password=PASSWORD, region="370300"
            ),
            "session",
        )
        county = from_account(
            accounts.create_account(
                s,
                admin,
                username="cty1",
                role="county_official",
                name="张",
                password=PASSWORD,
                region="370303",
            ),
            "session",
        )
        with pytest.raises(Forbidden):
            accounts.create_account(
                s,
                county,
                username="cty2",
                role="county_official",
                name="赵",
                password=PASSWORD,
                region="370303",
            )
        with pytest.raises(Forbidden) as e:
            accounts.create_account(
                s,
                admin,
                username="cty3",
                role="county_official",
                name="赵",
                password=PASSWORD,
                region="620402",
            )
        assert e.value.field == "region"


def test_five_failures_lock_the_account(auth_url):
    with session_scope(auth_url) as s:
        accounts.create_account(
            s, "cli", username="zhang", role="county_official", name="张", password=PASSWORD, region="370303"
        )
    for _ in range(ratelimit.ACCOUNT_LOCK_AFTER):
        with session_scope(auth_url) as s, pytest.raises(Unauthenticated):
            accounts.authenticate(s, "zhang", "wrong-password-1", "10.0.0.1")
    with session_scope(auth_url) as s, pytest.raises(TooMany) as e:
        accounts.authenticate(s, "zhang", PASSWORD, "10.0.0.2")  # even the right password, from elsewhere
    assert (e.value.field, e.value.code) == ("username", "locked")
    with session_scope(auth_url) as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.locked")).one()


def test_too_many_failures_from_one_client(auth_url, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOGIN_FAILURES_PER_CLIENT", 3)
    for n in range(3):
        with session_scope(auth_url) as s, pytest.raises(Unauthenticated):
            accounts.authenticate(s, f"nobody{n}", "whatever-123", "10.9.9.9")
    with session_scope(auth_url) as s, pytest.raises(TooMany):
        accounts.authenticate(s, "nobody", "whatever-123", "10.9.9.9")
    with session_scope(auth_url) as s, pytest.raises(Unauthenticated):
        accounts.authenticate(s, "nobody", "whatever-123", "10.9.9.10")  # another client is not held back


def test_cli_creates_an_official(auth_url):
    from typer.testing import CliRunner

    from cradle.cli import app

    r = CliRunner().invoke(
        app,
        [
            "users",
            "create",
            "--username",
            "zd-county",
            "--role",
            "county_official",
            "--region",
            "370303",
            "--name",
            "张店区工作人员",
            "--password",
            PASSWORD,
        ],
    )
    assert r.exit_code == 0, r.output
    assert "county_official @ 370303" in r.output
    r = CliRunner().invoke(
        app,
        [
            "users",
            "create",
            "--username",
            "bad",
            "--role",
            "county_official",
            "--region",
            "370300",
            "--name",
            "x",
            "--password",
            PASSWORD,
        ],
    )
    assert r.exit_code == 2 and "region:" in r.output
    listed = CliRunner().invoke(app, ["users", "list"]).output
    assert "zd-county" in listed and "bad" not in listed
    assert CliRunner().invoke(app, ["users", "set-active", "zd-county", "--disabled"]).exit_code == 0
    with session_scope(auth_url) as s, pytest.raises(Unauthenticated):
        accounts.authenticate(s, "zd-county", PASSWORD)
