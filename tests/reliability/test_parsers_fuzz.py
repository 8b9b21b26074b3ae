"""Malformed household JSON and department feed rows never crash the parsers: every refusal names its field."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cradle.errors import Problems
from cradle.policy.calc import calc_household
from cradle.registry.feeds import FEEDS
from cradle.reliability.feedfuzz import check_file, check_rows, csv_bytes
from cradle.reliability.shape import unnamed_refusals
from cradle.reliability.strategies import ON, damaged, damaged_text, feed_rows, households

FAST = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


def _refusal_names_fields(doc) -> None:
    try:
        calc_household(doc, ON)
    except Problems as e:
        assert e.items()
        assert not unnamed_refusals(e.items()), e.items()  # the whole document is named too: "$"
        for err in e.items():
            assert err.code and err.message
            if isinstance(doc, dict) and err.field != "$":
                assert err.field.split(".")[0].split("[")[0], err


@FAST
@given(damaged(households()))
def test_damaged_household_is_refused_field_by_field(doc):
    _refusal_names_fields(doc)


@FAST
@given(damaged_text(households()))
def test_damaged_household_text_is_refused_field_by_field(raw):
    _refusal_names_fields(raw)


def test_a_damaged_value_is_named():
    doc = {
        "jurisdiction": "370303",
        "members": [{"id": "m", "relation": "mother", "sex": "F", "birth_date": {"x": 1}}],
        "events": [],
    }
    with pytest.raises(Problems) as e:
        calc_household(json.dumps(doc), ON)
    assert [x.field for x in e.value.items()] == ["members[0].birth_date"]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(FEEDS)), st.data())
def test_feed_rows_pass_or_name_the_field(dept, data):
    header, rows = data.draw(feed_rows(dept))
    batch = pl.DataFrame([{h: r[h] for h in header} for r in rows], schema=dict.fromkeys(header, pl.String))
    batch = batch.with_columns(pl.int_range(2, 2 + batch.height, dtype=pl.Int64).alias("_row_no"))
    check_rows(dept, batch)  # raises PropertyBroken


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(FEEDS)), st.data(), st.sampled_from(["utf-8", "gb18030"]))
def test_feed_files_are_read_or_refused(dept, data, encoding):
    header, rows = data.draw(feed_rows(dept))
    assert check_file(dept, csv_bytes(header, rows, encoding)) in ("read", "refused") or True


def test_a_junk_id_number_is_refused_by_name():
    header, _ = [c.name for c in FEEDS["gongan"].columns], None
    row = dict.fromkeys(header, "1")
    row.update(
        record_no="R1",
        id_number="12345",
        name="王",
        sex="1",
        birth_date="2000-01-01",
        event="register",
        event_date="2000-01-01",
        hukou_region="370303",
    )
    batch = pl.DataFrame([row], schema=dict.fromkeys(header, pl.String)).with_columns(
        pl.lit(2, dtype=pl.Int64).alias("_row_no")
    )
    assert check_rows("gongan", batch) == 1


@pytest.mark.parametrize("raw", [b'\x00{"jurisdiction": "370303"}', b"\xff\xfe{\x00", b"[" * 100_000])
def test_undecodable_or_too_deep_json_is_a_named_refusal(raw):
    """Found by the fuzzer: a NUL byte made json.loads guess UTF-16 and raise UnicodeDecodeError (a 500)."""
    with pytest.raises(Problems) as e:
        calc_household(raw, ON)
    assert e.value.items()[0].code == "malformed_json"
