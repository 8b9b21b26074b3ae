from __future__ import annotations

import datetime as dt

from cradle.auth.testing import PASSWORD, make_account
from cradle.idcard import make_id_number

CITIZEN_ID = make_id_number("370303", dt.date(1993, 4, 2), 12, "F")


def login(client, username: str, password: str = PASSWORD) -> str:
    """Signs the client in by the JSON API; returns the session's CSRF token."""
    r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def official(url: str, role: str = "county_official", region: str = "370303", **fields):
    return make_account(url, role, region, **fields)
