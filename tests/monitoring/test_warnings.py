"""Early warning rules on stored values."""

from __future__ import annotations

import datetime as dt

from cradle.db import session_scope, upgrade
from cradle.monitoring import values, warnings
from cradle.monitoring.values import Entry


def put(s, ind, code, year, value, num=None, den=None):
    values.record(s, [Entry(ind, code, year, value, "test", dt.date(2025, 1, 1), num, den)], "d", "u")


def test_warnings(sqlite_url):
    upgrade(sqlite_url)
    with session_scope(sqlite_url) as s:
        # 张店区 (370303): births fell 20%; sex ratio 112 on 1200 births; infant mortality rising towards 2025
        put(s, "births", "370303", 2023, 1500)
        put(s, "births", "370303", 2024, 1200)
        put(s, "sex_ratio_at_birth", "370303", 2024, 112.0, 634, 566)
        for y, v in ((2022, 2.8), (2023, 3.0), (2024, 3.2)):
            put(s, "infant_mortality", "370303", y, v)
        put(s, "maternal_system_management_rate", "370303", 2024, 88.0)  # every-year target ≥90
        put(s, "total_fertility_rate", "370303", 2024, 0.9)
        # 淄川区 (370302): steady, within bands, improving
        put(s, "births", "370302", 2023, 1000)
        put(s, "births", "370302", 2024, 980)
        for y, v in ((2022, 3.0), (2023, 2.8), (2024, 2.6)):
            put(s, "infant_mortality", "370302", y, v)
    with session_scope(sqlite_url) as s:
        ws = warnings.warnings_for(s, ["370303", "370302"], 2024, today=dt.date(2025, 2, 1))
    by = {(w.region, w.kind, w.indicator) for w in ws}
    assert ("370303", "band", "births") in by
    assert ("370303", "band", "sex_ratio_at_birth") in by
    assert ("370303", "band", "total_fertility_rate") in by
    assert ("370303", "trend", "infant_mortality") in by  # 2.8, 3.0, 3.2 → 3.4 in 2025 ≥ 3.3
    assert ("370303", "missed", "maternal_system_management_rate") in by
    assert not any(w.region == "370302" and w.kind in ("band", "trend", "missed") for w in ws)
    trend = next(w for w in ws if w.kind == "trend")
    assert "3.4" in trend.reason and "3.3" in trend.reason and "二（二）" not in trend.reason
    # late: on 2025-02-01, births (due 01-31) for 2024 are in for both; 淄川 has no SRB → late
    late = {(w.region, w.indicator) for w in ws if w.kind == "late"}
    assert ("370302", "births") not in late
    assert ("370302", "sex_ratio_at_birth") not in late  # SRB has no numeric target for 淄博 counties
    assert ("370302", "infant_mortality") not in late
    with session_scope(sqlite_url) as s:
        later = warnings.warnings_for(s, ["370302"], 2024, today=dt.date(2025, 4, 1))
    late = {w.indicator for w in later if w.kind == "late"}
    assert {"maternal_mortality", "childcare_places_per_1000", "inclusive_kindergarten_coverage"} <= late
    assert "infant_mortality" not in late


def test_a_warning_says_its_reason_in_the_readers_language():
    from cradle.monitoring.warnings import TFR_LOW, Warning

    w = Warning(
        "370303", "band", "total_fertility_rate", 2024, TFR_LOW, {"year": 2024, "tfr": "0.95", "line": "1.0"}
    )
    assert w.reason == "2024年总和生育率0.95，低于1.0的预警线"
    assert w.text("en") == "2024: total fertility rate 0.95, below the 1.0 warning line"
