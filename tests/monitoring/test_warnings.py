"""Early warning rules on stored values."""

from __future__ import annotations

import datetime as dt

from cradle.db import session_scope
from cradle.monitoring import values, warnings
from cradle.monitoring.values import Entry


def put(s, ind, code, year, value, num=None, den=None):
    values.record(s, [Entry(ind, code, year, value, "test", dt.date(2025, 1, 1), num, den)], "d", "u")


def test_warnings(migrated_sqlite_url):
    with session_scope(migrated_sqlite_url) as s:
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
    with session_scope(migrated_sqlite_url) as s:
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
    with session_scope(migrated_sqlite_url) as s:
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


def test_a_warning_names_its_indicator_unit_and_department_in_the_readers_language():
    from cradle.monitoring.warnings import COMPUTED_BY_SYSTEM, LATE, MISSED, TREND, Warning

    source = {"document": "003", "clause": "一、总体目标", "target": ">= 4.7"}
    missed = Warning(
        "370303",
        "missed",
        "childcare_places_per_1000",
        2025,
        MISSED,
        {"indicator": "childcare_places_per_1000", "year": 2025, "value": "3.9", "source": source},
    )
    assert (
        missed.reason
        == "每千人口拥有3岁以下婴幼儿托位数2025年为3.9个/千人，未达到目标（003 一、总体目标，目标>= 4.7个/千人）"
    )
    assert missed.text("en") == (
        "Childcare places for children under 3 per 1,000 population was 3.9 places per 1,000 people in 2025, "
        "short of the target (003 一、总体目标, target >= 4.7 places per 1,000 people)"
    )
    trend = Warning(
        "370303",
        "trend",
        "infant_mortality",
        2025,
        TREND,
        {
            "indicator": "infant_mortality",
            "year": 2025,
            "value": "3.4",
            "source": {**source, "target": "< 3.3"},
        },
    )
    assert (
        trend.reason == "按近年趋势，婴儿死亡率2025年约为3.4‰，将达不到目标（003 一、总体目标，目标< 3.3‰）"
    )
    assert trend.text("en").startswith("On recent trends Infant mortality rate will be about 3.4‰ in 2025")
    entered = Warning(
        "370303",
        "late",
        "maternal_mortality",
        2024,
        LATE,
        {"indicator": "maternal_mortality", "year": 2024, "due": "2025-03-31", "who": "maternal_mortality"},
    )
    assert entered.reason == "孕产妇死亡率2024年数据应于2025-03-31前报送（卫生健康委），尚未报送"
    assert entered.text("en") == (
        "Maternal mortality ratio data for 2024 were due by 2025-03-31 (Health Commission) and have not been reported"
    )
    computed = Warning(
        "370303",
        "late",
        "births",
        2024,
        LATE,
        {"indicator": "births", "year": 2024, "due": "2025-01-31", "who": COMPUTED_BY_SYSTEM},
        ("who",),
    )
    assert computed.text("en") == (
        "Births data for 2024 were due by 2025-01-31 (Population database (computed by the system)) and have not "
        "been reported"
    )
    assert computed.reason.startswith("出生人口数2024年数据应于2025-01-31前报送")


def test_the_warnings_found_keep_the_indicator_and_say_it_when_shown(migrated_sqlite_url):
    with session_scope(migrated_sqlite_url) as s:
        put(s, "maternal_system_management_rate", "370303", 2024, 88.0)  # every-year target ≥90
        ws = warnings.warnings_for(s, ["370303"], 2024, today=dt.date(2025, 4, 1))
    missed = next(w for w in ws if w.kind == "missed")
    assert missed.params["indicator"] == "maternal_system_management_rate"  # the id, not a name
    assert missed.reason.startswith("孕产妇系统管理率2024年为88%，未达到目标")
    assert missed.text("en").startswith(
        "Maternal systematic management rate was 88% in 2024, short of the target"
    )
    late = next(w for w in ws if w.kind == "late" and w.indicator == "maternal_mortality")
    assert late.params["indicator"] == late.params["who"] == "maternal_mortality"
    assert "（卫生健康委）" in late.reason and "(Health Commission)" in late.text("en")
