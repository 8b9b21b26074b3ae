"""Identity numbers: GB 11643 citizen ID numbers and GB 32100 unified social credit codes (python-stdnum)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError


@dataclass(frozen=True)
class IdProblem:
    code: str  # machine-readable: length, format, checksum, birth_date, region
    message: str  # Chinese, for the person who typed it


@lru_cache(maxsize=16384)
def _place_known(prefix: str, year: int) -> bool:
    """Whether the 6-digit place code was assigned in `year` (python-stdnum's table, historic codes included).
    Cached: the table look-up is a linear scan, and the same few places recur in every batch."""
    try:
        ric.get_birth_place(f"{prefix}{year:04d}0101000X")
    except (ValidationError, KeyError):  # stdnum raises KeyError for a prefecture-level entry (e.g. 370399)
        return False
    return True


# an ID number as typed plainly (ASCII digits, the check character X in either case): stdnum's compact() only
# upper-cases it, so its Unicode clean-up (a third of the check's cost) is skipped
_PLAIN = re.compile(r"[0-9]{17}[0-9Xx]", re.ASCII)


def check_id_number(number: str, *, birth_date: dt.date | None = None) -> IdProblem | None:
    """None when `number` is a valid 18-digit ID number (and agrees with `birth_date` when given).
    The checks and their order are python-stdnum's `ric.validate`, with the place look-up cached."""
    plain = isinstance(number, str) and _PLAIN.fullmatch(number) is not None
    value = number.upper() if plain else ric.compact(number or "")
    if len(value) != 18:
        return IdProblem("length", "身份证号码应为18位")
    if not value[:-1].isdigit() or not (value[-1].isdigit() or value[-1] == "X"):
        return IdProblem("format", "身份证号码格式不正确")
    if value[-1] != ric.calc_check_digit(value):
        return IdProblem("checksum", "身份证号码校验位错误")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))  # ric.get_birth_date's reading
    except ValueError:
        return IdProblem("birth_date", "身份证号码中的出生日期无效")
    if not _place_known(value[:6], born.year):
        return IdProblem("region", "身份证号码中的地区代码无效")
    if birth_date is not None and born != birth_date:
        return IdProblem("birth_date_mismatch", "身份证号码中的出生日期与出生日期不一致")
    return None


def is_valid_id_number(number: str) -> bool:
    return check_id_number(number) is None


def birth_date_of(number: str) -> dt.date:
    return ric.get_birth_date(ric.compact(number))


def sex_of(number: str) -> str:
    """'M' or 'F' from the order code's parity (GB 11643: odd for men)."""
    return "M" if int(ric.compact(number)[16]) % 2 else "F"


def region_of(number: str) -> str:
    return ric.compact(number)[:6]


def make_id_number(region: str, birth_date: dt.date, order: int, sex: str) -> str:
    """A well-formed ID number (for synthetic data): `order` 0..499 picks the sequence, `sex` its parity."""
    seq = (order % 500) * 2 + (1 if sex == "M" else 0)
    body = f"{region}{birth_date:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def mask(number: str | None) -> str:
    """Shows the region and the last two characters only: 370303**********1X."""
    if not number:
        return ""
    value = str(number)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 8) + value[-2:]


def check_credit_code(code: str) -> IdProblem | None:
    """None when `code` is a valid GB 32100 unified social credit code."""
    try:
        uscc.validate(code or "")
    except InvalidLength:
        return IdProblem("length", "统一社会信用代码应为18位")
    except InvalidChecksum:
        return IdProblem("checksum", "统一社会信用代码校验位错误")
    except ValidationError:
        return IdProblem("format", "统一社会信用代码格式不正确")
    return None
