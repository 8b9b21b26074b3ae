"""Auth errors carry an English message id (translated when answered) and the field they concern."""

from __future__ import annotations


class AuthError(Exception):
    status = 422

    def __init__(self, field: str | None, code: str, message: str, **params) -> None:
        super().__init__(message.format(**params) if params else message)
        self.field, self.code, self.message, self.params = field, code, message, params

    def as_error(self, locale: str) -> dict:
        from cradle.web.i18n import gettext

        text = gettext(locale, self.message)
        return {
            "field": self.field,
            "code": self.code,
            "message": text.format(**self.params) if self.params else text,
        }


class Invalid(AuthError):
    status = 422


class Unauthenticated(AuthError):
    status = 401


class Forbidden(AuthError):
    status = 403


class TooMany(AuthError):
    status = 429


class Conflict(AuthError):
    status = 409
