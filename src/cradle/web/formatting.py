"""Amounts, units and dates written the way each locale writes them (Babel)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal, format_percent

from cradle.web.i18n import BABEL_LOCALE, translations


def _babel(locale: str) -> str:
    return BABEL_LOCALE.get(locale, locale)


def as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def date(value: str | dt.date | None, locale: str, fmt: str = "long") -> str:
    parsed = as_date(value)
    if parsed is None:
        return "" if value is None else str(value)
    return format_date(parsed, fmt, locale=_babel(locale))


def moment(value: str | dt.datetime | None, locale: str) -> str:
    """A time stamp (a datetime or its ISO text) to the minute, the locale's way: "2025年7月3日 09:30" or
    "Jul 3, 2025 9:30 AM". Text that is not a time stamp is returned as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.datetime):
        return date(value, locale)
    babel = _babel(locale)
    return f"{format_date(value, 'medium', locale=babel)} {format_time(value, 'short', locale=babel)}"


def money(amount: float, locale: str) -> str:
    """CNY; whole amounts without the decimals. Chinese writes the number and 元 ("300 元", "1,234.50 元"), as
    the documents and forms do; English the currency sign ("CN¥300")."""
    whole = float(amount).is_integer()
    if locale == "zh":
        number = format_decimal(amount, "#,##0" if whole else "#,##0.00", locale=_babel(locale))
        return translations(locale).gettext("%(number)s yuan") % {"number": number}
    pattern = "¤#,##0" if whole else "¤#,##0.00"
    return format_currency(amount, "CNY", format=pattern, currency_digits=False, locale=_babel(locale))


def amount_with_unit(amount, unit: str | None, locale: str) -> str | None:
    """'每月 300 元' / 'CN¥300 per month', '98 days', '90%'; None when the amount is not set (the caller says who sets it)."""
    if amount is None:
        return None
    t = translations(locale)
    if unit == "date":
        return date(amount, locale)
    if unit == "percent":
        return format_percent(float(amount) / 100, locale=_babel(locale))
    if unit in ("days", "days/year"):
        number = format_decimal(amount, locale=_babel(locale))
        text = t.ngettext("%(num)s day", "%(num)s days", int(amount)) % {"num": number}
        return text if unit == "days" else t.gettext("%(days)s per year") % {"days": text}
    if unit and unit.startswith("CNY"):
        text = money(amount, locale)
        per = {"CNY/month": t.gettext("%(amount)s per month"), "CNY/year": t.gettext("%(amount)s per year")}
        return per[unit] % {"amount": text} if unit in per else text
    number = format_decimal(amount, locale=_babel(locale))
    return f"{number} {unit}" if unit else number


def period(start, end, locale: str) -> str:
    t = translations(locale)
    if start and end:
        return t.gettext("%(start)s to %(end)s") % {"start": date(start, locale), "end": date(end, locale)}
    if start:
        return t.gettext("from %(start)s") % {"start": date(start, locale)}
    if end:
        return t.gettext("until %(end)s") % {"end": date(end, locale)}
    return ""
