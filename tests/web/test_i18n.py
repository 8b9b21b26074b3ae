"""Locale negotiation, catalogue completeness and locale-aware formatting."""

from __future__ import annotations

import pytest

from cradle.web import formatting
from cradle.web.i18n import choose_locale, parse_accept_language, translations
from cradle.web.i18n_catalogues import extract, load, untranslated


def test_locale_order_query_cookie_header_default():
    """The order; the middleware gives the header only for the JSON API (pages: test_pages)."""
    assert choose_locale("en", "zh", "zh-CN") == "en"
    assert choose_locale(None, "en", "zh-CN") == "en"
    assert choose_locale("xx", None, "en-US,en;q=0.9") == "en"
    assert choose_locale(None, None, "zh-TW,en;q=0.5") == "zh"
    assert choose_locale(None, None, "fr, de;q=0.7") == "zh"
    assert choose_locale(None, None, None) == "zh"


def test_accept_language_honours_quality():
    assert parse_accept_language("zh;q=0.3, en-GB;q=0.9, fr;q=0") == ["en_GB", "zh"]


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_catalogues_translate_every_message_in_the_code(locale):
    assert untranslated(load(locale), extract()) == []


def test_catalogues_load_from_po_files():
    assert translations("zh").gettext("Benefit calculator") == "待遇测算"
    assert translations("en").gettext("Benefit calculator") == "Benefit calculator"


@pytest.mark.parametrize(
    ("amount", "unit", "zh", "en"),
    [
        (300, "CNY/month", "每月 300 元", "CN¥300 per month"),
        (1000, "CNY/year", "每年 1,000 元", "CN¥1,000 per year"),
        (7200.5, "CNY", "7,200.50 元", "CN¥7,200.50"),
        (98, "days", "98 天", "98 days"),
        (1, "days", "1 天", "1 day"),
        (5, "days/year", "每年 5 天", "5 days per year"),
        (90, "percent", "90%", "90%"),
        ("2028-03-10", "date", "2028年3月10日", "March 10, 2028"),
        (None, "CNY/month", None, None),
    ],
)
def test_amounts_per_locale(amount, unit, zh, en):
    assert formatting.amount_with_unit(amount, unit, "zh") == zh
    assert formatting.amount_with_unit(amount, unit, "en") == en


def test_periods_per_locale():
    assert formatting.period("2025-03-10", "2028-03-10", "zh") == "2025年3月10日 至 2028年3月10日"
    assert formatting.period("2025-03-10", None, "en") == "from March 10, 2025"
    assert formatting.period(None, None, "en") == ""


def test_engine_notes_in_the_readers_language():
    from cradle.web import notes

    assert notes.unset_amount("amount set by county", "zh") == "金额由县区核定"
    assert notes.unset_amount("amount set by city", "zh") == "金额由市级核定"
    assert notes.unset_amount("amount set by city", "en") == "Amount set by the city"
    assert notes.unset_amount("amount unconfirmed: regulation not loaded", "zh") == "金额待核实"
    assert notes.unset_amount(None, "en") == "Amount set by the county"
    assert notes.describe("amount set by county", "zh") is None  # the amount line says it
    assert notes.describe("encouraged", "zh") == "政策鼓励措施，由用人单位自愿决定是否给予。"
    assert notes.describe("in force from 2026-01-01", "en") == "In force from January 1, 2026"
    assert notes.describe("白银区", "en") == "白银区"


def test_document_status_per_locale():
    from cradle.web.notes import document_status

    assert document_status("issued 2023-09-20", "zh") == "2023年9月20日 印发"
    assert document_status("issued 2023-09-20", "en") == "Issued September 20, 2023"
    assert document_status("draft", "zh") == "征求意见稿"
    assert document_status("征求意见稿", "en") == "Draft for comment"
    assert document_status("issued", "zh") == "已印发"
