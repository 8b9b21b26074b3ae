"""Entering indicator values: checks that name the field, append-only history, newest wins."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cradle.db import session_scope
from cradle.errors import DomainError
from cradle.monitoring import values
from cradle.monitoring.models import IndicatorValue

GOOD = {
    "indicator_id": "maternal_system_management_rate",
    "region": "370303",
    "year": "2024",
    "value": "92.5",
    "numerator": "925",
    "denominator": "1000",
    "source": "2024年妇幼卫生年报",
    "source_date": "2025-02-10",
}


def count(url):
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(IndicatorValue))


def test_enter_and_correct(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        row = values.enter(s, GOOD, department="淄博市卫生健康委", entered_by="wjw01")
        assert row.value == 92.5 and row.year == 2024 and row.method == "entered"
    with session_scope(migrated_db_url) as s:
        values.enter(
            s, {**GOOD, "value": "93", "numerator": "930"}, department="淄博市卫生健康委", entered_by="wjw01"
        )
    with session_scope(migrated_db_url) as s:
        assert values.current(s, "maternal_system_management_rate", "370303", 2024).value == 93.0
        assert [r.value for r in values.history(s, "maternal_system_management_rate", "370303", 2024)] == [
            92.5,
            93.0,
        ]
        assert values.series(s, "maternal_system_management_rate", "370303") == {2024: 93.0}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"indicator_id": "nope"}, "indicator_id"),
        ({"region": "999999"}, "region"),
        ({"year": "1899"}, "year"),
        ({"value": "abc"}, "value"),
        ({"value": "120", "numerator": None, "denominator": None}, "value"),
        ({"value": "50"}, "value"),  # numerator/denominator give 92.5
        ({"source": ""}, "source"),
        ({"source_date": "2025-13-01"}, "source_date"),
        ({"source_date": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "source_date"),
        ({"denominator": "-1"}, "denominator"),
    ],
)
def test_bad_entry_names_the_field_and_stores_nothing(migrated_sqlite_url, change, field):

    with pytest.raises(DomainError) as exc, session_scope(migrated_sqlite_url) as s:
        values.enter(s, {**GOOD, **change}, department="d", entered_by="u")
    assert field in [p.field for p in exc.value.items()]
    assert count(migrated_sqlite_url) == 0


def _fill(data: bytes, rows: dict[int, dict]) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb["填报"]
    keys = [c.value for c in ws[2]]
    for n, fields in rows.items():
        for k, v in fields.items():
            ws.cell(row=n, column=keys.index(k) + 1, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_template_round_trip(migrated_sqlite_url):
    from cradle.monitoring import excel

    blank = excel.template(["newborn_hearing_screening_rate", "maternal_mortality"], ["441523"], 2024)
    filled = _fill(
        blank,
        {
            3: {"value": 96.2, "source": "县妇幼保健院年报", "source_date": "2025-01-20"},
            4: {"value": 0, "source": "县卫健局", "source_date": dt.date(2025, 1, 15)},
        },
    )
    with session_scope(migrated_sqlite_url) as s:
        rows = excel.upload(s, filled, department="陆河县卫生健康局", entered_by="luhe01")
        assert sorted((r.indicator_id, r.value) for r in rows) == [
            ("maternal_mortality", 0.0),
            ("newborn_hearing_screening_rate", 96.2),
        ]
    bad = _fill(
        blank,
        {
            3: {"value": 101, "source": "x", "source_date": "2025-01-20"},
            4: {"value": 3, "source": "", "source_date": "2025-01-20"},
        },
    )
    with pytest.raises(DomainError) as exc, session_scope(migrated_sqlite_url) as s:
        excel.upload(s, bad, department="d", entered_by="u")
    assert [p.field for p in exc.value.items()] == ["rows[3].value", "rows[4].source"]
    assert count(migrated_sqlite_url) == 2
    with pytest.raises(DomainError, match="file"), session_scope(migrated_sqlite_url) as s:
        excel.upload(s, b"not a workbook", department="d", entered_by="u")
