"""Time stamps and payment amounts are written the locale's way (registry runs, API tokens, messages, batches)."""

from __future__ import annotations

import datetime as dt

from cradle.web import formatting


def test_a_time_stamp_to_the_minute_in_each_locale():
    evening = dt.datetime(2025, 7, 3, 21, 5, 42)
    assert formatting.moment(evening, "zh") == "2025年7月3日 21:05"
    assert formatting.moment(evening.isoformat(), "en").replace("\u202f", " ") == "Jul 3, 2025 9:05 PM"
    assert formatting.moment(None, "en") == ""
    assert formatting.moment("not a time", "en") == "not a time"  # shown as stored rather than hidden
    assert formatting.moment(dt.date(2025, 7, 3), "en") == "July 3, 2025"


def test_payment_amounts_in_each_locale():
    # Chinese pages write the number and 元, as the documents do (issue 23 item 5: 每月 300 元, not 300.00 CNY/month)
    assert formatting.money("1234.5", "zh") == "1,234.50 元"
    assert formatting.money(300, "zh") == "300 元"
    assert formatting.amount_with_unit(300, "CNY/month", "zh") == "每月 300 元"
    assert formatting.money(300, "en").endswith("¥300")
    assert formatting.amount_with_unit(300, "CNY/month", "en").endswith("¥300 per month")
