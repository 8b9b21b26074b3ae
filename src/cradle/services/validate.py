"""Field checks shared by the service functions: each failure names its field."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from cradle import regions
from cradle.errors import N_, Invalid
from cradle.idcard import check_id_number, sex_of

_PHONE = re.compile(r"^1\d{10}$")
_ACCOUNT = re.compile(r"^\d{12,32}$")
# What `cradle.idcard.check_id_number` finds wrong, by its code.
ID_PROBLEMS = {
    "length": N_("The ID number should have 18 characters"),
    "format": N_("The ID number's format is wrong"),
    "checksum": N_("The ID number's check digit is wrong"),
    "birth_date": N_("The birth date inside the ID number is not a valid date"),
    "region": N_("The region code inside the ID number is not valid"),
    "birth_date_mismatch": N_("The birth date inside the ID number does not match the date of birth"),
}
WRONG_SEX = {
    "F": N_("The ID number's sex does not match (it should be a woman's)"),
    "M": N_("The ID number's sex does not match (it should be a man's)"),
}


def text(data: dict, field: str, *, required: bool = True, max_len: int = 64) -> str | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(field, N_("Required"))
        return None
    if not isinstance(value, str):
        raise Invalid(field, N_("Should be text"))
    value = value.strip()
    if len(value) > max_len:
        raise Invalid(field, N_("No more than %(n)s characters"), n=max_len)
    return value


def id_number(data: dict, field: str, *, required: bool = True, sex: str | None = None) -> str | None:
    value = text(data, field, required=required, max_len=18)
    if value is None:
        return None
    value = value.upper()
    check_id(field, value, sex)
    return value


def check_id(field: str, number: str, sex: str | None = None) -> None:
    """Refuses an invalid ID number, or one of the other sex than `sex` ("F" or "M")."""
    problem = check_id_number(number)
    if problem is not None:
        raise Invalid(field, ID_PROBLEMS[problem.code])
    if sex and sex_of(number) != sex:
        raise Invalid(field, WRONG_SEX[sex])


def date(
    data: dict,
    field: str,
    *,
    required: bool = True,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
) -> dt.date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise Invalid(field, N_("Required"))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise Invalid(field, N_("Enter the date as YYYY-MM-DD")) from None
    if earliest and value < earliest:
        raise Invalid(field, N_("Cannot be earlier than %(date)s"), date=earliest.isoformat())
    if latest and value > latest:
        raise Invalid(field, N_("Cannot be later than %(date)s"), date=latest.isoformat())
    return value


def region(data: dict, field: str, *, required: bool = True, county: bool = False) -> str | None:
    """A GB/T 2260 code; with `county`, a county-level one."""
    value = text(data, field, required=required, max_len=6)
    if value is None:
        return None
    if not regions.exists(value):
        raise Invalid(field, N_("Unknown region code %(code)s"), code=value)
    if county and regions.get(value).level != "county":
        raise Invalid(field, N_("Should be a county-level region code"))
    return value


def town(data: dict, field: str, county: str, *, required: bool = False) -> str | None:
    value = text(data, field, required=required, max_len=9)
    if value is None:
        return None
    if not (len(value) == 9 and value.isdigit() and value.startswith(county)):
        raise Invalid(
            field, N_("The town (street) code should have 9 digits and belong to %(county)s"), county=county
        )
    return value


def integer(data: dict, field: str, lo: int, hi: int, *, required: bool = True) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise Invalid(field, N_("Required"))
        return None
    if isinstance(value, bool):
        raise Invalid(field, N_("Should be a whole number"))
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise Invalid(field, N_("Should be a whole number")) from None
    if not lo <= value <= hi:
        raise Invalid(field, N_("Should be between %(lo)s and %(hi)s"), lo=lo, hi=hi)
    return value


def phone(data: dict, field: str = "phone", *, required: bool = False) -> str | None:
    value = text(data, field, required=required, max_len=11)
    if value is not None and not _PHONE.match(value):
        raise Invalid(field, N_("Mobile number should be 11 digits"))
    return value


def account(data: dict, field: str = "account_no", *, required: bool = False) -> str | None:
    value = text(data, field, required=required, max_len=32)
    if value is not None and not _ACCOUNT.match(value):
        raise Invalid(field, N_("The one-card account should be 12 to 32 digits"))
    return value


def reference(prefix: str, on: dt.date | None = None) -> str:
    """A reference number: prefix, date and 48 random bits (22 characters). Two of 100,000 references of one
    prefix and day clash with probability 2e-5; the unique constraints catch it, and the case insert, the one
    path that makes such numbers in bulk, draws again."""
    return f"{prefix}{(on or dt.date.today()):%Y%m%d}{secrets.token_hex(6).upper()}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
