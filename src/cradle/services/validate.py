"""Field checks shared by the service functions: each failure names its field."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from cradle import regions
from cradle.idcard import check_id_number, sex_of
from cradle.services.errors import Invalid

_PHONE = re.compile(r"^1\d{10}$")
_ACCOUNT = re.compile(r"^\d{12,32}$")
_LEVEL_NAMES = {"county": "县级", "city": "市级", "province": "省级"}


def text(data: dict, field: str, *, required: bool = True, max_len: int = 64) -> str | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(field, "必填")
        return None
    if not isinstance(value, str):
        raise Invalid(field, "应为文字")
    value = value.strip()
    if len(value) > max_len:
        raise Invalid(field, f"不能超过{max_len}个字")
    return value


def id_number(data: dict, field: str, *, required: bool = True, sex: str | None = None) -> str | None:
    value = text(data, field, required=required, max_len=18)
    if value is None:
        return None
    value = value.upper()
    problem = check_id_number(value)
    if problem is not None:
        raise Invalid(field, problem.message)
    if sex and sex_of(value) != sex:
        raise Invalid(field, "身份证号码的性别不符" + ("（应为女性）" if sex == "F" else "（应为男性）"))
    return value


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
            raise Invalid(field, "必填")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise Invalid(field, "日期格式应为 YYYY-MM-DD") from None
    if earliest and value < earliest:
        raise Invalid(field, f"不能早于 {earliest.isoformat()}")
    if latest and value > latest:
        raise Invalid(field, f"不能晚于 {latest.isoformat()}")
    return value


def region(data: dict, field: str, *, required: bool = True, level: str | None = None) -> str | None:
    value = text(data, field, required=required, max_len=6)
    if value is None:
        return None
    if not regions.exists(value):
        raise Invalid(field, f"未知的行政区划代码 {value}")
    if level and regions.get(value).level != level:
        raise Invalid(field, f"应为{_LEVEL_NAMES[level]}行政区划代码")
    return value


def town(data: dict, field: str, county: str, *, required: bool = False) -> str | None:
    value = text(data, field, required=required, max_len=9)
    if value is None:
        return None
    if not (len(value) == 9 and value.isdigit() and value.startswith(county)):
        raise Invalid(field, f"乡镇（街道）代码应为9位并属于 {county}")
    return value


def integer(data: dict, field: str, lo: int, hi: int, *, required: bool = True) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise Invalid(field, "必填")
        return None
    if isinstance(value, bool):
        raise Invalid(field, "应为整数")
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise Invalid(field, "应为整数") from None
    if not lo <= value <= hi:
        raise Invalid(field, f"应在 {lo} 到 {hi} 之间")
    return value


def phone(data: dict, field: str = "phone", *, required: bool = False) -> str | None:
    value = text(data, field, required=required, max_len=11)
    if value is not None and not _PHONE.match(value):
        raise Invalid(field, "手机号码应为11位数字")
    return value


def account(data: dict, field: str = "account_no", *, required: bool = False) -> str | None:
    value = text(data, field, required=required, max_len=32)
    if value is not None and not _ACCOUNT.match(value):
        raise Invalid(field, "一卡通账号应为12到32位数字")
    return value


def reference(prefix: str, on: dt.date | None = None) -> str:
    """A reference number: prefix, date and 48 random bits (22 characters). Two of 100,000 references of one
    prefix and day clash with probability 2e-5; the unique constraints catch it, and the case insert, the one
    path that makes such numbers in bulk, draws again."""
    return f"{prefix}{(on or dt.date.today()):%Y%m%d}{secrets.token_hex(6).upper()}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
