"""A checked bearer token is remembered for a few seconds (no database look-up per request), yet a revoked
token is refused at once and a change made behind the cache's back is seen when its window ends."""

from __future__ import annotations

from sqlalchemy import update

from cradle.auth import tokens
from cradle.auth.models import Account
from cradle.auth.testing import bearer_for
from cradle.db import session_scope


def test_a_cached_token_is_served_without_the_database_until_its_window_ends(client, auth_url, monkeypatch):
    bearer = bearer_for(auth_url, "county_official", "370303")
    assert client.get("/api/v1/auth/me", headers=bearer).json()["via"] == "token"
    with session_scope(auth_url) as s:  # deactivated behind the cache's back
        s.execute(update(Account).values(active=False))
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200  # still within the window
    monkeypatch.setattr(tokens, "CACHE_SECONDS", 0.0)
    tokens._cache.clear()
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401  # the next look-up sees it


def test_a_revoked_token_is_refused_at_once_although_it_was_cached(client, auth_url):
    bearer = bearer_for(auth_url, "county_official", "370303")
    listed = client.get("/api/v1/auth/tokens", headers=bearer).json()["tokens"]
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200
    assert tokens.cached(bearer["Authorization"][7:]) is not None
    r = client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}", headers=bearer)
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert tokens.cached(bearer["Authorization"][7:]) is None
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_the_cache_is_keyed_by_a_keyed_hash_not_the_token(client, auth_url):
    bearer = bearer_for(auth_url, "county_official", "370303")
    client.get("/api/v1/auth/me", headers=bearer)
    token = bearer["Authorization"][7:]
    assert tokens._cache and all(token.encode() not in key and len(key) == 32 for key in tokens._cache)
