"""Chinese text still stored or returned by code that predates message ids (the services' notifications, a page
module's Chinese breadcrumb), shown in English by reading the zh catalogue backwards.

`english_for` finds the message id whose zh translation is exactly a given Chinese text. Templates need nothing
special: the Jinja environment's `finalize` passes every printed value through `localize`, which swaps a value that
is exactly such a text for its translation (see templating.py).
"""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po

from cradle import regions
from cradle.web import domain_messages
from cradle.web.i18n import po_path, translations


@cache
def _by_chinese() -> dict[str, str]:
    zh = translations("zh")
    found: dict[str, str] = {}
    for message_id in _catalogue_ids():
        chinese = zh.gettext(message_id)
        if chinese != message_id and "%(" not in message_id:
            found.setdefault(chinese, message_id)
    return found


def _catalogue_ids() -> list[str]:
    with po_path("zh").open("rb") as fp:
        return [m.id for m in read_po(fp, locale="zh") if m.id and isinstance(m.id, str)]


def english_for(chinese: str) -> str | None:
    """The message id of a Chinese domain label, or None if it is not one."""
    return _by_chinese().get(chinese)


def localize(value, locale: str):
    """`value` in the reader's language when it is exactly a known Chinese label or a region's name (its GB/T
    2260 English name); otherwise unchanged."""
    if locale == "zh" or type(value) is not str:  # Markup and non-strings are left alone
        return value
    term = _by_chinese().get(value)
    if term:
        return translations(locale).gettext(term)
    if locale == "en" and (place := regions.english_name_of(value)):
        return place
    return translate(value, locale) if CJK.search(value) else value


CJK = re.compile(r"[\u3400-\u9fff]")
_PART = re.compile(r"%\((\w+)\)s")


@cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    """(the zh text as a pattern, its message id) for every domain message with `%(name)s` parts. Only those:
    a page's own message such as "%(name)s（%(code)s）" would match any data in brackets."""
    zh = translations("zh")
    found = []
    for message_id in domain_messages.MESSAGES:
        chinese = zh.gettext(message_id)
        if "%(" not in message_id or chinese == message_id:
            continue
        pieces = _PART.split(chinese)  # text, name, text, name, ..., text
        regex = "".join(re.escape(p) if i % 2 == 0 else _wildcard(p) for i, p in enumerate(pieces))
        try:
            found.append((re.compile(regex, re.S), message_id))
        except re.error:  # a name used twice: such a message is not matched
            continue
    # The most specific (longest fixed text) first, so "…或不在您的管辖范围：%(x)s" wins over "…：%(x)s".
    return sorted(found, key=lambda pair: -len(_PART.sub("", translations("zh").gettext(pair[1]))))


def _wildcard(name: str) -> str:
    # A year is four digits, so "出生率2025年" splits into the indicator's name and the year.
    return rf"(?P<{name}>\d{{4}})" if name == "year" else f"(?P<{name}>.+?)"


def translate(message: str, locale: str, _depth: int = 0) -> str:
    """A domain message (an error, a flash) in `locale`: an exact message, a message whose parts are carried
    into the translation (the parts themselves translated when they are labels), or a "field：message" or
    "a；b" composite of those. Anything else (data) is returned unchanged."""
    if locale == "zh" or type(message) is not str or not CJK.search(message) or _depth > 2:
        return message
    term = _by_chinese().get(message)
    if term:
        return translations(locale).gettext(term)
    for pattern, message_id in _patterns():
        if m := pattern.fullmatch(message):
            parts = {
                k: localize(v, locale) if _depth else translate(v, locale, _depth + 1)
                for k, v in m.groupdict().items()
            }
            try:
                return translations(locale).gettext(message_id) % parts
            except (KeyError, ValueError, TypeError):
                return message
    for sep, joiner in (("；", "; "), ("：", ": ")):
        if sep in message:
            head, _, tail = message.partition(sep)
            head_t, tail_t = translate(head, locale, _depth + 1), translate(tail, locale, _depth + 1)
            joined = head_t + joiner + tail_t
            if not CJK.search(
                joined
            ):  # only a composite of messages; data containing the separator stay as they are
                return joined
    return message


def translate_errors(errors: list, locale: str) -> list:
    """The API's error list with each `message` in `locale` (`code` and `field` unchanged)."""
    if locale == "zh":
        return errors
    return [
        {**e, "message": translate(e["message"], locale)}
        if isinstance(e, dict) and isinstance(e.get("message"), str)
        else e
        for e in errors
    ]
