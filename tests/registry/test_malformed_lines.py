"""A department file with a malformed line (more fields than the header, a cut multi-byte character): the line
goes to quarantine with its line number and the line as read, every good line is stored; only a file whose
header is wrong is refused whole."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.db import make_engine
from cradle.errors import Invalid
from cradle.idcard import make_id_number
from cradle.registry import models as m
from cradle.registry.ingest import ingest_file

HEADER = b"record_no,id_number,name,sex,birth_date,event,event_date,hukou_region\n"


def _line(n: int) -> bytes:
    born = dt.date(1990, 1, n)
    number = make_id_number("370303", born, n, "F")
    return f"r{n},{number},张{n},2,{born},register,{born},370303\n".encode()


def test_malformed_lines_are_quarantined_and_the_good_lines_stored(migrated_db_url, tmp_path):
    path = tmp_path / "gongan.csv"
    ragged = _line(2).rstrip(b"\n") + b",extra,fields\n"
    cut = _line(3).replace("张3".encode(), "张".encode()[:2])  # the name's character cut after two bytes
    path.write_bytes(HEADER + _line(1) + ragged + cut + _line(4))
    engine = make_engine(migrated_db_url)
    s = ingest_file("gongan", path, engine=engine)
    assert (s.rows_read, s.accepted, s.quarantined) == (4, 2, 2)
    with Session(engine) as session:
        rows = session.execute(select(m.QuarantineRow).order_by(m.QuarantineRow.row_no)).scalars().all()
        assert [(r.row_no, r.field, r.reason) for r in rows] == [
            (3, "line", "malformed_line"),
            (4, "line", "malformed_line"),
        ]
        assert rows[0].raw["_line"] == ragged.rstrip(b"\n").decode()
        assert "\\xe5\\xbc" in rows[1].raw["_line"] and rows[1].raw["id_number"] is None
        names = session.execute(select(m.Person.name).order_by(m.Person.name)).scalars().all()
        assert names == ["张1", "张4"]
    engine.dispose()


def test_a_file_whose_header_is_cut_is_refused_whole(migrated_db_url, tmp_path):
    path = tmp_path / "gongan.csv"
    path.write_bytes(HEADER.replace(b"name", "姓名".encode()[:4]) + _line(1))
    engine = make_engine(migrated_db_url)
    with pytest.raises(Invalid):
        ingest_file("gongan", path, engine=engine)
    with engine.connect() as conn:
        assert conn.execute(select(m.Person.id)).first() is None
    engine.dispose()
