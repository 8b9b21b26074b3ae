"""The CLI's help speaks one language (issue 18): English, with a Chinese term in brackets where an official would
search for it, e.g. "Automatic benefits (免申即享)". Error messages and data follow the locale; this is the help."""

from __future__ import annotations

import re

import typer

from cradle.cli import app

CHINESE = re.compile(r"[\u3400-\u9fff\u3001\u3002\uff08\uff09\uff0c\uff1a\uff1b]")
BRACKETED = re.compile(r"[（(][^()（）]*[)）]")


def _outside_brackets(text: str) -> bool:
    return bool(CHINESE.search(BRACKETED.sub("", text)))


def _help_texts(command, path: str):
    yield path, command.help or ""
    for param in command.params:
        yield f"{path} {param.name}", getattr(param, "help", None) or ""
    for name, sub in getattr(command, "commands", {}).items():
        yield from _help_texts(sub, f"{path} {name}")


def test_every_help_text_is_english_with_chinese_terms_only_in_brackets():
    texts = list(_help_texts(typer.main.get_command(app), "cradle"))
    assert len(texts) > 100  # every command and option of every domain is walked
    assert [(where, text) for where, text in texts if _outside_brackets(text)] == []


def test_the_rule_finds_chinese_outside_brackets():
    assert _outside_brackets("托育机构：列表")
    assert _outside_brackets("9-digit 乡镇 code")
    assert not _outside_brackets("Automatic benefits (免申即享): open cases")
    assert not _outside_brackets("region code (行政区划代码)")
