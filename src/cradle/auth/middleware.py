"""Who is asking, for every request: sets `request.state.actor` (an auth Actor, ANONYMOUS when nobody signed
in), `request.state.scope` (the actor's region, None when unrestricted or none) and `request.state.csrf_token`
(for forms). A pure ASGI middleware, so request bodies stream through untouched.

CSRF: an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the session cookie must carry the
session's token in the `X-CSRF-Token` header or a `csrf_token` form field; without it the request goes on as
anonymous (`request.state.csrf_failed` is set, and `require` answers 403 code "csrf"), so a forged form gets
no authority while public endpoints keep working. Bearer tokens need no CSRF token (browsers never add them).
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool

from cradle.auth import sessions, tokens
from cradle.auth.actor import ANONYMOUS, from_account
from cradle.config import get_settings
from cradle.db import get_engine, session_factory

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Endpoints that check a bearer token themselves, in the worker thread they run in (cradle.services.api): the
# middleware leaves the token in `state["bearer"]` and the actor anonymous, which saves the busiest API a thread
# hop per request. Anything else under these paths that reads the actor sees nobody signed in.
CHECKED_BY_ENDPOINT = ("/api/v1/services/",)
MAX_FORM = 1_000_000  # bytes of a url-encoded form read to find its csrf_token


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(header: str) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header counts as none
        return {}
    return {k: m.value for k, m in jar.items()}


def resolve(bearer: str | None, cookie: str | None):
    """(actor, web session row or None, API token id or None) for the request's credentials; a bad
    credential is anonymous."""
    if not bearer and not cookie:
        return ANONYMOUS, None, None
    hit = tokens.cached(bearer)
    if hit is not None:  # checked a moment ago in this process: no database round trip
        return hit[1], None, hit[0]
    url = get_settings().database_url
    if bearer:
        # Core, autocommit: on PostgreSQL one statement and no BEGIN/COMMIT round trips (last_used_at is all it
        # writes, and one statement is atomic on its own)
        with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            found = tokens.check(conn, bearer)
        return (found[1], None, found[0]) if found else (ANONYMOUS, None, None)
    with session_factory(url)() as db:
        found = sessions.lookup(db, cookie)
        return (from_account(found[1], "session"), found[0], None) if found else (ANONYMOUS, None, None)


class AuthMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/static/"):  # assets need nobody's identity
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        cookies = _cookies(headers.get("cookie", ""))
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        cookie = cookies.get(sessions.COOKIE)
        hit = tokens.cached(bearer) if bearer else None
        if hit is not None:  # a token checked a moment ago: no thread hop, no query
            actor, web_session, token_id = hit[1], None, hit[0]
        elif bearer and bearer.startswith(tokens.PREFIX) and scope["path"].startswith(CHECKED_BY_ENDPOINT):
            actor, web_session, token_id = ANONYMOUS, None, None
            scope.setdefault("state", {})["bearer"] = bearer
        elif bearer or cookie:  # a database look-up, off the event loop
            actor, web_session, token_id = await run_in_threadpool(resolve, bearer, cookie)
        else:  # anonymous (the public calculator): no thread hop, no query
            actor, web_session, token_id = ANONYMOUS, None, None
        state = scope.setdefault("state", {})
        state["token_id"] = token_id
        new_csrf = None
        if web_session is not None:
            state["csrf_token"] = web_session.csrf_token
        elif bearer:  # a system's call: no browser form to protect, so no random token minted per request
            state["csrf_token"] = cookies.get(sessions.CSRF_COOKIE) or ""
        else:
            state["csrf_token"] = cookies.get(sessions.CSRF_COOKIE) or sessions.new_csrf_token()
            if cookies.get(sessions.CSRF_COOKIE) != state["csrf_token"]:
                new_csrf = state["csrf_token"]
        state["web_session_id"] = web_session.id if web_session is not None else None
        state["csrf_failed"] = False
        if web_session is not None and scope["method"] in UNSAFE:
            given = headers.get(sessions.CSRF_HEADER)
            if given is None and headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"
            ):
                body, receive = await _buffer(receive)
                if len(body) <= MAX_FORM:
                    given = (parse_qs(body.decode("latin-1")).get(sessions.CSRF_FIELD) or [None])[0]
            if given is None and headers.get("content-type", "").startswith("multipart/form-data"):
                # file uploads put the token in the form's action URL (the body is not parsed here)
                given = (
                    parse_qs(scope.get("query_string", b"").decode("latin-1")).get(sessions.CSRF_FIELD)
                    or [None]
                )[0]
            if not sessions.same_token(web_session.csrf_token, given):
                actor, state["csrf_failed"] = ANONYMOUS, True
        state["actor"] = actor
        state["scope"] = actor.scope if actor.role is not None else None
        if new_csrf is None:  # a new visitor's form token, sent with the first page (never with JSON)
            return await self.app(scope, receive, send)

        async def send_with_cookie(message):
            content_type = dict(message.get("headers") or []).get(b"content-type", b"")
            if message["type"] == "http.response.start" and content_type.startswith(b"text/html"):
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"set-cookie", csrf_cookie(new_csrf).encode())]
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


def csrf_cookie(value: str) -> str:
    secure = "; Secure" if sessions.cookie_secure() else ""
    return f"{sessions.CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"


async def _buffer(receive):
    """Reads the whole request body and returns it with a `receive` that replays it."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def install(app) -> None:
    app.add_middleware(AuthMiddleware)
