"""Reading a form or a JSON body field by field: every bad field is collected and refused together
(`cradle.errors.Problems`), each naming its field, before anything is stored."""

from __future__ import annotations

import datetime as dt

from cradle.errors import N_, DomainError, Invalid, Problems
from cradle.idcard import birth_date_of, check_id_number, sex_of

TEXT_MAX = 300


class Form:
    """`f = Form(data)`; `f.date("visited_on")`, …; `f.done()` raises every problem found at once."""

    def __init__(self, data: dict, today: dt.date | None = None):
        self.data = data or {}
        self.today = today or dt.date.today()
        self.problems: list[DomainError] = []

    def refuse(self, field: str, message: str, **params) -> None:
        self.problems.append(Invalid(field, message, **params))

    def ok(self, *fields: str) -> bool:
        """No problem found so far with any of `fields` (so checks that combine them can run)."""
        return not any(p.field in fields for p in self.problems)

    def done(self) -> None:
        if self.problems:
            raise Problems(self.problems) if len(self.problems) > 1 else self.problems[0]

    def _raw(self, field: str) -> str | None:
        value = self.data.get(field)
        if value is None:
            return None
        value = str(value).strip()
        return value or None

    def text(self, field: str, required: bool = True, max_len: int = TEXT_MAX) -> str | None:
        value = self._raw(field)
        if value is None:
            if required:
                self.refuse(field, N_("Required."))
            return None
        if len(value) > max_len:
            self.refuse(field, N_("At most %(count)s characters."), count=max_len)
            return None
        return value

    def date(
        self,
        field: str,
        required: bool = True,
        earliest: dt.date | None = None,
        latest: dt.date | None = None,
        future: bool = False,
    ) -> dt.date | None:
        raw = self._raw(field)
        if raw is None:
            if required:
                self.refuse(field, N_("Required."))
            return None
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            self.refuse(field, N_("Enter the date as YYYY-MM-DD: %(value)s"), value=raw)
            return None
        latest = latest if latest is not None else (None if future else self.today)
        if latest is not None and value > latest:
            self.refuse(field, N_("The date may not be after %(date)s."), date=latest.isoformat())
            return None
        if earliest is not None and value < earliest:
            self.refuse(field, N_("The date may not be before %(date)s."), date=earliest.isoformat())
            return None
        return value

    def integer(self, field: str, low: int, high: int, required: bool = True) -> int | None:
        raw = self._raw(field)
        if raw is None:
            if required:
                self.refuse(field, N_("Required."))
            return None
        try:
            value = int(raw)
        except ValueError:
            self.refuse(field, N_("Enter a whole number."))
            return None
        if not low <= value <= high:
            self.refuse(field, N_("Between %(low)s and %(high)s."), low=low, high=high)
            return None
        return value

    def choice(self, field: str, options, required: bool = True, message: str | None = None) -> str | None:
        raw = self._raw(field)
        if raw is None:
            if required:
                self.refuse(field, N_("Required."))
            return None
        if raw not in options:
            self.refuse(field, message or N_("Choose one of the allowed values."))
            return None
        return raw

    def flag(self, field: str, default: bool = False) -> bool:
        raw = self._raw(field)
        if raw is None:
            return default
        return raw.lower() in ("1", "true", "on", "yes")

    def id_number(self, field: str, sex: str | None = None, required: bool = True) -> str | None:
        raw = self._raw(field)
        if raw is None:
            if required:
                self.refuse(field, N_("Required."))
            return None
        value = raw.upper()
        if check_id_number(value) is not None:
            self.refuse(field, N_("The ID number is not valid."))
            return None
        if birth_date_of(value) > self.today:
            self.refuse(field, N_("The ID number gives a birth date after today."))
            return None
        if sex == "F" and sex_of(value) != "F":
            self.refuse(field, N_("This ID number is a man's."))
            return None
        return value
