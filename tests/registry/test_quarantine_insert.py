"""Refused rows are inserted many to a statement (`ingest._insert_rows`, 500 at a time): every one of a batch
larger than that is stored once, as read, with its reason, on both databases."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cradle.db import make_engine
from cradle.registry import models as m
from cradle.registry.ingest import ingest_file

HEADER = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region,household_no,relation_to_head,hukou_type,town"


def test_a_batch_of_more_refused_rows_than_one_statement_holds_is_stored_whole(migrated_db_url, tmp_path):
    rows = [  # 1,201 wrong check digits (the right one is 6), then one good row
        f"GA{i:09d},441523198803270007,罗雪瑶{i},2,1988-03-27,register,1988-03-27,441523,44152314{i:05d},02,2,441523104"
        for i in range(1201)
    ]
    rows.append(
        "GA999999999,441523198803270006,罗雪瑶,2,1988-03-27,register,1988-03-27,441523,4415231429347,02,2,441523104"
    )
    path = tmp_path / "gongan.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    engine = make_engine(migrated_db_url)
    s = ingest_file("gongan", path, engine=engine, batch_rows=5000)
    assert (s.rows_read, s.accepted, s.quarantined) == (1202, 1, 1201)
    assert dict(s.reasons) == {"id_checksum": 1201}
    with Session(engine) as db:
        stored = db.execute(select(m.QuarantineRow).order_by(m.QuarantineRow.row_no)).scalars().all()
    assert len(stored) == 1201 and [q.row_no for q in stored] == list(range(2, 1203))
    assert {(q.reason, q.field, q.region, q.town, q.status) for q in stored} == {
        ("id_checksum", "id_number", "441523", "441523104", "open")
    }
    assert stored[700].raw["name"] == "罗雪瑶700" and stored[700].raw["record_no"] == "GA000000700"
    s = ingest_file("gongan", path, engine=engine, batch_rows=5000, force=True)  # still open: not filed twice
    assert s.quarantined == 1201
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.QuarantineRow)).scalar_one() == 1201
    engine.dispose()
