"""Bugs found by the fuzzers and fault tests in packages still being worked on: each fails today (strict xfail)
and passes once fixed. Remove the entry from cradle.reliability.feedfuzz.KNOWN_ESCAPES with the fix.

The registry's three (empty CSV, a cut last UTF-8 character, a line with more fields than the header) are fixed:
an empty file and a wrong header are refused in one line naming the file; a malformed line goes to quarantine and
the rest of the file is read (tests/registry/test_malformed_lines.py)."""

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


def test_feed_file_ending_in_a_cut_utf8_character_is_refused_in_one_line_for_its_header(
    tmp_path, monkeypatch, migrated_sqlite
):
    _refused_in_one_line(_ingest(tmp_path, monkeypatch, migrated_sqlite, b"V\n\xda"), "缺少列")


def test_ragged_feed_line_is_quarantined_and_the_run_goes_on(tmp_path, monkeypatch, migrated_sqlite):
    result = _ingest(tmp_path, monkeypatch, migrated_sqlite, HEADER + b"1,2,3,4,5,6,7,8\n3,4,5,6,7,8,9,1,2\n")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
