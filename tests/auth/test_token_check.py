"""`tokens.check`, the request path's one-statement token look-up, on SQLite and PostgreSQL: it answers what
`tokens.lookup` answers, stamps `last_used_at` only for a valid token, and refuses wrong secrets, revoked and
expired tokens and inactive accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from cradle.auth import tokens
from cradle.auth.models import Account, ApiToken, utcnow
from cradle.auth.testing import bearer_for
from cradle.db import get_engine, session_scope


@pytest.fixture(autouse=True)
def _no_cache():
    tokens._cache.clear()
    yield
    tokens._cache.clear()


def _check(url: str, token: str):
    with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return tokens.check(conn, token)


def _row(url: str) -> ApiToken:
    with session_scope(url) as s:
        row = s.execute(select(ApiToken).order_by(ApiToken.id.desc())).scalars().first()
        s.expunge(row)
    return row


def test_a_valid_token_answers_its_account_and_is_stamped(svc_url):
    token = bearer_for(svc_url, "county_official", "370303")["Authorization"][7:]
    assert _row(svc_url).last_used_at is None
    found = _check(svc_url, token)
    with session_scope(svc_url) as s:
        row, account = tokens.lookup(s, token)
        expected = (row.id, account.role, account.region, account.id, "token")
        s.rollback()  # lookup stamps too; only check's stamp is looked at below
    actor = found[1]
    assert (found[0], actor.role, actor.region, actor.account_id, actor.via) == expected
    assert _row(svc_url).last_used_at is not None
    assert tokens.cached(token) == found  # remembered for the next request


def test_refusals_leave_the_token_unstamped(svc_url):
    token = bearer_for(svc_url, "county_official", "370303")["Authorization"][7:]
    prefix = token[len(tokens.PREFIX) :].partition("_")[0]
    assert _check(svc_url, f"{tokens.PREFIX}{prefix}_wrong-secret") is None
    assert _check(svc_url, "not-a-token") is None and _check(svc_url, None) is None
    assert _row(svc_url).last_used_at is None
    for change in (
        update(ApiToken).values(expires_at=utcnow() - dt.timedelta(seconds=1)),
        update(ApiToken).values(expires_at=None, revoked_at=utcnow()),
    ):
        with session_scope(svc_url) as s:
            s.execute(change)
        assert _check(svc_url, token) is None
    with session_scope(svc_url) as s:
        s.execute(update(ApiToken).values(revoked_at=None))
        s.execute(update(Account).values(active=False))
    assert _check(svc_url, token) is None
    assert _row(svc_url).last_used_at is None and tokens.cached(token) is None
