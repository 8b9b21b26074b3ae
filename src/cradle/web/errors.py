"""One error shape everywhere: {"errors": [{"field": "members[2].birth_date" | null, "code": str, "message": str}]}.

The domain's `cradle.errors.DomainError`, FastAPI's own validation errors and HTTP exceptions are all answered
here, in the request's language; a page (a route guarded by `PageActor`, or a browser asking for HTML) gets the
HTML error page instead, and a page whose visitor must sign in first is sent to the sign-in page.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import NoReturn

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from cradle.errors import DomainError, Unauthenticated
from cradle.web.i18n import LOCALES, gettext
from cradle.web.nav import N_
from cradle.web.templating import render

# Pydantic error types whose message we say in our own words (the others keep pydantic's English text).
MESSAGES = {
    "missing": N_("This field is required."),
    "extra_forbidden": N_("This field is not allowed."),
    "json_invalid": N_("The request body is not valid JSON."),
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": N_("Enter a date as YYYY-MM-DD."),
    "int_parsing": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "bool_parsing": N_("Enter true or false."),
    "literal_error": N_("Choose one of the allowed values."),
    "enum": N_("Choose one of the allowed values."),
    "string_type": N_("Enter text."),
    "greater_than_equal": N_("The number is too small."),
    "less_than_equal": N_("The number is too large."),
}


def error(field: str | None, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


def error_response(status_code: int, errors: list[dict]) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status_code)


def field_path(loc: tuple | list) -> str | None:
    """('body', 'members', 2, 'birth_date') -> 'members[2].birth_date'; the 'body'/'query' prefix is dropped."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or None


def _locale(request: Request) -> str:
    return getattr(request.state, "locale", LOCALES[0])


def validation_errors(exc: RequestValidationError, locale: str) -> list[dict]:
    out = []
    for err in exc.errors():
        code = err.get("type", "invalid")
        message = gettext(locale, MESSAGES[code]) if code in MESSAGES else err.get("msg", code)
        out.append(error(field_path(err.get("loc", ())), code, message))
    return out


class SignInFirst(Exception):
    """Raised by `PageActor` for a visitor who is not signed in: the answer is the sign-in page, then back."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def mark_page(request: Request) -> None:
    """This request is for a page: its errors are answered as the HTML error page whatever the Accept header."""
    request.state.page = True


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return getattr(request.state, "page", False) or "text/html" in request.headers.get("accept", "")


def _slug(status_code: int) -> str:
    try:
        phrase = HTTPStatus(status_code).phrase.lower()
    except ValueError:
        return "error"
    return re.sub(r"[^a-z0-9]+", "_", phrase.replace("'", "")).strip("_")


def http_errors(exc: StarletteHTTPException) -> list[dict]:
    detail = exc.detail
    if isinstance(detail, dict) and isinstance(detail.get("errors"), list):
        return detail["errors"]
    if isinstance(detail, list):
        return [d if isinstance(d, dict) else error(None, _slug(exc.status_code), str(d)) for d in detail]
    return [error(None, _slug(exc.status_code), str(detail))]


def refuse(status_code: int, errors: list[dict], headers: dict | None = None) -> NoReturn:
    """Raise an API refusal into the one handler below, which says its messages in the request's language (domain
    code raises them in Chinese). Routers raise this rather than building their own error answer."""
    raise StarletteHTTPException(status_code, {"errors": errors}, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, exc: DomainError) -> Response:
        locale = _locale(request)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        return _answer(request, exc.status, [e.as_dict(locale) for e in exc.items()], headers)

    @app.exception_handler(SignInFirst)
    async def on_sign_in_first(request: Request, exc: SignInFirst) -> Response:
        from urllib.parse import quote

        from fastapi.responses import RedirectResponse

        return RedirectResponse(f"/auth/login?next={quote(exc.path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(422, validation_errors(exc, _locale(request)))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _answer(request, exc.status_code, http_errors(exc), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        # Logged by Starlette's ServerErrorMiddleware, which re-raises after this answer is sent.
        if database_unavailable(exc):
            message = gettext(_locale(request), N_("The database is unavailable. Please try again shortly."))
            return _answer(request, 503, [error(None, "database_unavailable", message)], {"Retry-After": "5"})
        if beyond_any_key(exc):  # an id no row can have (larger than a 64-bit key): nothing to find
            return _answer(
                request, 404, [error(None, "not_found", gettext(_locale(request), N_("Not found")))]
            )
        message = gettext(_locale(request), N_("Internal server error. Please try again later."))
        return _answer(request, 500, [error(None, "internal_error", message)])


def beyond_any_key(exc: BaseException) -> bool:
    """A number too large for the database's integer columns reached a query (a path id of 30 digits):
    SQLite's driver raises OverflowError, PostgreSQL answers 'out of range'."""
    from sqlalchemy.exc import DataError, StatementError

    if isinstance(exc, OverflowError):
        return True
    if isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError):
        return True
    return isinstance(exc, DataError) and "out of range" in str(exc.orig)


def database_unavailable(exc: BaseException) -> bool:
    """The database cannot be reached (stopped, restarting, connection lost) or is busy: a 503, not a crash."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _answer(request: Request, status_code: int, errors: list[dict], headers=None) -> Response:
    if _wants_html(request):
        return render(request, "error.html", status_code=status_code, status=status_code, errors=errors)
    return JSONResponse({"errors": errors}, status_code=status_code, headers=headers)
