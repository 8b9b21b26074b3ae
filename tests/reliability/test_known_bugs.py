"""Bugs found by the fuzzers and fault tests in packages still being worked on: each fails today (strict xfail)
and passes once fixed. Remove the entry from cradle.reliability.feedfuzz.KNOWN_ESCAPES with the fix."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cradle.cli import app

HEADER = b"record_no,id_number,name,sex,birth_date,event,event_date,hukou_region\n"


def _ingest(tmp_path, monkeypatch, url: str, data: bytes):
    path = tmp_path / "feed.csv"
    path.write_bytes(data)
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    return CliRunner().invoke(app, ["ingest", "gongan", str(path)])


def _refused_in_one_line(result) -> None:
    assert result.exit_code == 2, (result.exit_code, repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.xfail(strict=True, reason="registry: an empty CSV lets polars NoDataError escape `cradle ingest` "
                                       "as a traceback (found by atheris)")
def test_empty_feed_file_is_refused_in_one_line(tmp_path, monkeypatch, migrated_sqlite):
    _refused_in_one_line(_ingest(tmp_path, monkeypatch, migrated_sqlite, b""))


@pytest.mark.xfail(strict=True, reason="registry: sniff_encoding decodes with final=False, so a file ending in a "
                                       "cut UTF-8 character is read as UTF-8 and polars raises ComputeError "
                                       "'invalid utf-8 sequence' (input b'V\\n\\xda', found by atheris)")
def test_feed_file_ending_in_a_cut_utf8_character_is_refused_in_one_line(tmp_path, monkeypatch, migrated_sqlite):
    _refused_in_one_line(_ingest(tmp_path, monkeypatch, migrated_sqlite, b"V\n\xda"))


@pytest.mark.xfail(strict=True, reason="registry: a CSV line with more fields than the header lets polars "
                                       "ComputeError escape `cradle ingest` (found by atheris)")
def test_ragged_feed_line_is_refused_in_one_line(tmp_path, monkeypatch, migrated_sqlite):
    _refused_in_one_line(_ingest(tmp_path, monkeypatch, migrated_sqlite, HEADER + b"1,2,3,4,5,6,7,8\n3,4,5,6,7,8,9,1,2\n"))
