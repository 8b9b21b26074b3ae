"""A department file with malformed lines (more fields than the header, a cut multi-byte character): each such
line is quarantined with its line number and the line as read, every good line is stored, in UTF-8 and GB18030
and whichever batch the bad line falls in; only a header that cannot be read refuses the file (issue 20)."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth.actor import Actor
from cradle.db import make_engine
from cradle.errors import Invalid
from cradle.registry import models as m
from cradle.registry.exposure import shown_raw
from cradle.registry.ingest import ingest_file
from cradle.registry.reader import LINE

HEADER = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region,household_no,relation_to_head,hukou_type,town"
GOOD = "GA{n:09d},441523198803270006,罗雪瑶{n},2,1988-03-27,register,1988-03-27,441523,44152314{n:05d},02,2,441523104"


def _lines(n: int) -> list[str]:
    return [GOOD.format(n=i).replace("441523198803270006", _id(i)) for i in range(n)]


def _id(i: int) -> str:
    """A valid ID number of a woman born 1988-03-27 in 441523, one per i."""
    body = f"44152319880327{(i * 2) % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _ingest(url, path, **kw):
    engine = make_engine(url)
    s = ingest_file("gongan", path, engine=engine, **kw)
    with Session(engine) as db:
        rows = db.execute(select(m.QuarantineRow).order_by(m.QuarantineRow.row_no)).scalars().all()
        stored = set(db.execute(select(m.SourceRecord.record_no)).scalars())
        rows = [(q.row_no, q.reason, q.field, q.raw) for q in rows]
    engine.dispose()
    return s, rows, stored


@pytest.mark.parametrize("batch_rows", [2, 100])
def test_a_line_with_too_many_fields_is_quarantined_and_the_rest_stored(
    migrated_db_url, tmp_path, batch_rows
):
    lines = _lines(6)
    lines[3] = lines[3] + ",extra"  # line 5 of the file
    path = tmp_path / "gongan.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    s, rows, stored = _ingest(migrated_db_url, path, batch_rows=batch_rows)
    assert (s.rows_read, s.accepted, s.quarantined) == (6, 5, 1)
    assert rows == [(5, "malformed_fields", "line", {LINE: lines[3]})]
    assert stored == {f"GA{i:09d}" for i in (0, 1, 2, 4, 5)}


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_cut_chinese_character_is_quarantined_with_its_bytes(migrated_db_url, tmp_path, encoding):
    lines = [line.encode(encoding) for line in _lines(4)]
    cut = lines[1].replace("罗".encode(encoding), "罗".encode(encoding)[:1])  # line 3: half a character
    lines[1] = cut
    path = tmp_path / "gongan.csv"
    path.write_bytes(b"\n".join([HEADER.encode(), *lines]) + b"\n")
    s, rows, stored = _ingest(migrated_db_url, path)  # the encoding is found from the file
    assert (s.accepted, s.quarantined, dict(s.reasons)) == (3, 1, {"malformed_encoding": 1})
    [(row_no, reason, field, raw)] = rows
    assert (row_no, reason, field) == (3, "malformed_encoding", "line")
    assert raw[LINE] == cut.decode(encoding, errors="backslashreplace")
    assert "\\x" in raw[LINE]
    assert stored == {f"GA{i:09d}" for i in (0, 2, 3)}


def test_a_quoted_field_over_two_lines_keeps_the_line_numbers(migrated_db_url, tmp_path):
    lines = _lines(3)
    lines[0] = lines[0].replace("罗雪瑶0", '"罗雪瑶\n0"')
    lines[2] = lines[2] + ",extra"
    path = tmp_path / "gongan.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    s, rows, stored = _ingest(migrated_db_url, path)
    assert [(r[0], r[1]) for r in rows] == [(4, "malformed_fields")]
    assert stored == {"GA000000000", "GA000000001"}


def test_an_unreadable_header_refuses_the_file(migrated_db_url, tmp_path):
    path = tmp_path / "gongan.csv"
    path.write_bytes(b"record_no,\xe5\xa7,id_number\n" + "\n".join(_lines(2)).encode() + b"\n")
    engine = make_engine(migrated_db_url)
    with pytest.raises(Invalid) as exc:
        ingest_file("gongan", path, engine=engine, encoding="utf-8")
    assert exc.value.field == "file"
    with engine.connect() as conn:
        assert conn.execute(select(m.Person.id)).first() is None
    engine.dispose()


def test_the_line_as_read_is_shown_with_its_id_number_masked():
    row = m.QuarantineRow(region="441523", town=None, dept="gongan")
    line = GOOD.format(n=1) + ",extra"
    clerk = Actor(id="account:1", role="dept_clerk", region="441523", dept="tongji")
    shown = shown_raw(clerk, row, {LINE: line})
    assert "441523198803270006" not in shown[LINE] and "441523**********06" in shown[LINE]
