"""The one error type of the domain code: `DomainError(field, message_id, **params)`.

A domain function refuses bad input, a missing record, a wrong role or a move its state machine does not allow by
raising one of the kinds below. The message is an English message id with `%(name)s` parameters, translated when
answered (the zh catalogue holds the Chinese), so every front door says it in the reader's language:

    raise Invalid("members[2].birth_date", N_("A child cannot be born before its mother (%(date)s)"), date=d)

- the web app answers it once (`cradle.web.errors`): JSON `{"errors": [{"field", "code", "message"}]}` under
  `/api/`, the error page for a browser;
- the CLI catches it once (`cradle.cli`): one line `field: message` per problem (`error: message` when no
  field is named), exit 2 for bad input, 1 otherwise;
- `str(exc)` is the Chinese text, for logs and tests.

Several problems found at once (each bad field of a household) travel together as `Problems([...])`.
"""

from __future__ import annotations

from typing import ClassVar

DEFAULT_LOCALE = "zh"


def N_(message: str) -> str:
    """Marks a message id for extraction (`cradle i18n-update`); it is translated when answered."""
    return message


def translate(message_id: str, params: dict, locale: str = DEFAULT_LOCALE) -> str:
    """`message_id` in `locale` with its `%(name)s` parameters filled in."""
    from cradle.web.i18n import gettext  # the catalogues are read on first use, not at import

    text = gettext(locale, message_id)
    return text % params if params else text


class DomainError(Exception):
    status: ClassVar[int] = 422
    code: ClassVar[str] = "invalid"
    bad_input: ClassVar[bool] = True  # the CLI's exit code: 2 for the caller's input, 1 otherwise

    def __init__(self, field: str | None, message_id: str, /, *, code: str | None = None, **params) -> None:
        """`code`: a more specific code than the kind's (`csrf`, `unknown_field`) for clients that branch on it."""
        super().__init__(field, message_id)
        if code is not None:
            self.code = code
        self.field = field
        self.message_id = message_id
        self.params = params

    def text(self, locale: str = DEFAULT_LOCALE) -> str:
        return translate(self.message_id, self.params, locale)

    def __reduce__(self):
        """Pickled whole (a worker process's refusal reaches its parent with its params and code)."""
        return _rebuild, (type(self), self.field, self.message_id, self.params, self.__dict__)

    @property
    def message(self) -> str:
        """The message in the default language (Chinese)."""
        return self.text()

    def as_dict(self, locale: str = DEFAULT_LOCALE) -> dict:
        return {"field": self.field, "code": self.code, "message": self.text(locale)}

    def items(self) -> list[DomainError]:
        """The single problems this error stands for (one, or each of a `Problems`)."""
        return [self]

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class Invalid(DomainError):
    """The input is wrong: a value, a file row, a date, a code."""


class NotFound(DomainError):
    status, code, bad_input = 404, "not_found", False


class Conflict(DomainError):
    """The request clashes with what is stored: a duplicate, a replay with other content, a second approval."""

    status, code, bad_input = 409, "conflict", False


class Forbidden(DomainError):
    """The actor's role may not do this."""

    status, code, bad_input = 403, "forbidden", False


class OutOfScope(Forbidden):
    """The record or region lies outside the actor's region scope."""

    code = "out_of_scope"


class IllegalTransition(DomainError):
    """A state machine was asked for a move its transitions do not allow."""

    status, code, bad_input = 409, "illegal_transition", False


class Unauthenticated(DomainError):
    status, code, bad_input = 401, "unauthenticated", False


class TooMany(DomainError):
    status, code, bad_input = 429, "too_many_requests", False


class Unavailable(DomainError):
    """A part the request needs is not there (the database, the policy engine): try again later."""

    status, code, bad_input = 503, "unavailable", False


def _rebuild(kind: type[DomainError], field, message_id, params, state) -> DomainError:
    error = kind.__new__(kind)
    Exception.__init__(error, field, message_id)
    error.__dict__.update(state)
    return error


class Problems(DomainError):
    """Several problems found at once; answered as one error each, with the first one's status."""

    def __init__(self, problems: list[DomainError]) -> None:
        if not problems:
            raise ValueError("Problems needs at least one problem")
        first = problems[0]
        super().__init__(first.field, first.message_id, **first.params)
        self.problems = list(problems)
        self.status, self.code, self.bad_input = first.status, first.code, first.bad_input

    def items(self) -> list[DomainError]:
        return self.problems

    def __str__(self) -> str:
        return "; ".join(DomainError.__str__(p) for p in self.problems)
