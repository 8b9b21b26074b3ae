"""Errors of the policy engine. Input problems carry the field path so every front door can name the field."""

from __future__ import annotations

from dataclasses import asdict, dataclass


class PackError(Exception):
    """A policy pack (parameters.yaml, programs.py, tests.yaml) is malformed; raised at start-up."""


@dataclass(frozen=True)
class FieldError:
    field: str | None  # "members[2].birth_date"; None for the whole document
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(Exception):
    """One or more problems with a household (or other) input; `errors` lists each with its field."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
