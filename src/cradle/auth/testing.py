"""For tests of any domain: an account with a role and scope, and a bearer token for it (no password round
trip), so API tests can call protected routes as a given official."""

from __future__ import annotations

import itertools

from argon2 import profiles

from cradle.auth import passwords, tokens
from cradle.auth.accounts import create_account, register_citizen
from cradle.auth.actor import from_account
from cradle.db import session_scope

PASSWORD = "test-Passw0rd!"
_serial = itertools.count(1)
passwords.use_profile(profiles.CHEAPEST)  # importing this module means a test is running: hash fast


def make_account(url: str, role: str, region: str | None = None, **fields):
    """A new account in the database at `url` (username, name and password made up unless given)."""
    n = next(_serial)
    fields.setdefault("username", f"{role}-{region or 'x'}-{n}")
    fields.setdefault("name", f"测试{n}")
    fields.setdefault("password", PASSWORD)
    with session_scope(url) as s:
        account = create_account(s, "cli", role=role, region=region, **fields)
        s.expunge(account)
    return account


def bearer_for(url: str, role: str, region: str | None = None, **fields) -> dict[str, str]:
    """An Authorization header for a new account of `role` scoped to `region`."""
    account = make_account(url, role, region, **fields)
    with session_scope(url) as s:
        token, _ = tokens.issue(s, from_account(account, "token"), "test", days=1)
    return {"Authorization": f"Bearer {token}"}


def citizen_bearer(url: str, id_number: str, name: str = "测试") -> dict[str, str]:
    """An Authorization header for a new citizen account (her ID number is her user name)."""
    with session_scope(url) as s:
        account = register_citizen(s, id_number, name, None, PASSWORD, f"test-{next(_serial)}")
        token, _ = tokens.issue(s, from_account(account, "token"), "test", days=1)
    return {"Authorization": f"Bearer {token}"}
