"""Identity numbers: GB 11643 citizen ID numbers and GB 32100 unified social credit codes (python-stdnum)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


@dataclass(frozen=True)
class IdProblem:
    code: str  # machine-readable: length, format, checksum, birth_date, region
    message: str  # Chinese, for the person who typed it


def check_id_number(number: str, *, birth_date: dt.date | None = None) -> IdProblem | None:
    """None when `number` is a valid 18-digit ID number (and agrees with `birth_date` when given)."""
    value = ric.compact(number or "")
    try:
        ric.validate(value)
    except InvalidLength:
        return IdProblem("length", "身份证号码应为18位")
    except InvalidFormat:
        return IdProblem("format", "身份证号码格式不正确")
    except InvalidChecksum:
        return IdProblem("checksum", "身份证号码校验位错误")
    except InvalidComponent:
        return IdProblem("birth_date", "身份证号码中的出生日期无效")
    except ValidationError:
        return IdProblem("format", "身份证号码无效")
    if birth_date is not None and ric.get_birth_date(value) != birth_date:
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
