"""Bugs found by the fuzzers and fault tests in packages still being worked on: each fails today (strict xfail)
and passes once fixed. Remove the entry from cradle.reliability.feedfuzz.KNOWN_ESCAPES with the fix.

The registry's three (empty CSV, a cut last UTF-8 character, a line with more fields than the header) are fixed:
an empty file is refused in one line naming the file; the two malformed lines are quarantined with their line
number while the rest of the file loads (issue 20)."""

from __future__ import annotations

from typer.testing import CliRunner

from cradle.cli import app

HEADER = b"record_no,id_number,name,sex,birth_date,event,event_date,hukou_region\n"


def _ingest(tmp_path, monkeypatch, url: str, data: bytes):
    path = tmp_path / "feed.csv"
    path.write_bytes(data)
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    return CliRunner().invoke(app, ["ingest", "gongan", str(path)])


def _refused_in_one_line(result, *names: str) -> None:
    assert result.exit_code == 2, (result.exit_code, repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for name in names:  # the refusal names the file and the line
        assert name in result.output, result.output


def test_empty_feed_file_is_refused_in_one_line(tmp_path, monkeypatch, migrated_sqlite):
    _refused_in_one_line(_ingest(tmp_path, monkeypatch, migrated_sqlite, b""), "feed.csv", "文件为空")


def _quarantined(result, reason: str) -> None:
    assert result.exit_code == 0, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert f"隔离原因 {reason}" in result.output, result.output


def test_feed_file_ending_in_a_cut_utf8_character_quarantines_the_line(
    tmp_path, monkeypatch, migrated_sqlite
):
    _quarantined(_ingest(tmp_path, monkeypatch, migrated_sqlite, HEADER + b"\xda"), "malformed_encoding")


def test_ragged_feed_line_is_quarantined(tmp_path, monkeypatch, migrated_sqlite):
    data = HEADER + b"1,2,3,4,5,6,7,8\n3,4,5,6,7,8,9,1,2\n"
    _quarantined(_ingest(tmp_path, monkeypatch, migrated_sqlite, data), "malformed_fields")
