"""Locales and message catalogues: which language a request gets, and the gettext translations for it.

Catalogues are the .po files in i18n/<locale>/LC_MESSAGES/; they are compiled in memory at start-up, so a fresh
clone needs no build step. Message ids are English; the zh catalogue carries the Chinese text.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request
from starlette.responses import Response

from cradle.config import get_settings

CATALOGUE_DIR = Path(__file__).parent / "i18n"
LOCALES = ("zh", "en")
COOKIE = "lang"
API_PREFIX = "/api/"  # JSON routes: the only ones that negotiate Accept-Language
# Babel locale used for number and date formats; HTML lang attribute.
BABEL_LOCALE = {"zh": "zh_Hans_CN", "en": "en"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def po_path(locale: str) -> Path:
    return CATALOGUE_DIR / locale / "LC_MESSAGES" / "messages.po"


@cache
def translations(locale: str) -> Translations:
    """The catalogue for `locale`, read from its .po file once per process."""
    with po_path(locale).open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain="messages")


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, best first (q-values honoured, q=0 dropped)."""
    tags: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            tags.append((-q, i, tag.replace("-", "_")))
    return [tag for _, _, tag in sorted(tags)]


def choose_locale(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """`?lang=` first, then the cookie, then Accept-Language, then the configured default (zh). The middleware
    passes Accept-Language for the JSON API only: a page is in the default language whatever the browser asks,
    until the person picks another (remembered in the cookie)."""
    for explicit in (query, cookie):
        if explicit in LOCALES:
            return explicit
    if accept_language:
        preferred = parse_accept_language(accept_language)
        # Match on the language part too, so zh_TW or en_GB pick zh or en.
        found = negotiate_locale(preferred + [p.split("_")[0] for p in preferred], LOCALES)
        if found:
            return found
    default = get_settings().default_locale
    return default if default in LOCALES else LOCALES[0]


def gettext(locale: str, message: str) -> str:
    return translations(locale).gettext(message)


def _lang_query(raw: bytes) -> str | None:
    if b"lang=" not in raw:
        return None
    from urllib.parse import parse_qs

    return (parse_qs(raw.decode("latin-1")).get("lang") or [None])[-1]


class LocaleMiddleware:
    """Pure ASGI (a `@app.middleware("http")` function costs a task and a body stream per request): negotiates
    the locale into `request.state.locale`, adds Content-Language, and remembers `?lang=` in a cookie. Pages
    ignore Accept-Language (a browser's setting is not the person's choice); API clients, which have no cookie
    to keep a choice in, ask with it."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        query = _lang_query(scope.get("query_string", b""))
        cookie = accept = None
        api = scope.get("path", "").startswith(API_PREFIX)
        for k, v in scope.get("headers", ()):  # raw headers: no Request object on the busiest path
            if k == b"cookie" and b"lang=" in v:
                cookie = Request(scope).cookies.get(COOKIE)
            elif k == b"accept-language" and api:
                accept = v.decode("latin-1")
        locale = choose_locale(query, cookie, accept)
        scope.setdefault("state", {})["locale"] = locale
        extra = [(b"content-language", HTML_LANG[locale].encode())]
        if query in LOCALES and query != cookie:
            remember = Response()
            remember.set_cookie(COOKIE, query, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
            extra += [h for h in remember.raw_headers if h[0] == b"set-cookie"]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                if any(k.lower() == b"content-language" for k, _ in headers):  # the endpoint's own wins
                    headers += extra[1:]
                else:
                    headers += extra
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def install(app) -> None:
    """Negotiate each request's locale into `request.state.locale`; `?lang=` is remembered in a cookie."""
    app.add_middleware(LocaleMiddleware)
