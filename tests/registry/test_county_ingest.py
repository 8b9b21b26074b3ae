"""Done-criterion: a synthetic county from every department, on both databases: dirty rows all quarantined
with their reasons, no clean row lost, and a second ingest changes nothing."""

import polars as pl
import pytest
from sqlalchemy import func, select

from cradle.db import make_engine
from cradle.registry import bulk
from cradle.registry import models as m
from cradle.registry.ingest import ingest_directory, ingest_file


def _counts(engine):
    tables = [m.Person, m.SourceRecord, m.QuarantineRow, m.Birth, m.HukouEvent, m.MatchCandidate, m.Relation]
    with engine.connect() as conn:
        return {
            t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables
        }


@pytest.mark.parametrize("min_rows", [bulk.MIN_ROWS, 1], ids=["indexes-kept", "indexes-set-aside"])
def test_synthetic_county_from_all_departments(migrated_db_url, county_feeds, min_rows, monkeypatch):
    """With min_rows 1 the 公安 file, the first into the empty registry, is loaded with indexes set aside."""
    monkeypatch.setattr(bulk, "MIN_ROWS", min_rows)
    out, manifest = county_feeds
    engine = make_engine(migrated_db_url)
    summaries = ingest_directory(out, engine=engine, batch_rows=700)  # several batches per file
    assert set(summaries) == set(manifest["feeds"])
    for dept, s in summaries.items():
        want = manifest["feeds"][dept]
        assert s.rows_read == want["rows"], dept
        assert s.accepted == want["stored"], dept
        assert s.duplicates == want["duplicates"], dept
        assert dict(s.reasons) == want["dirty"], dept

    with engine.connect() as conn:
        stored = dict(
            conn.execute(select(m.SourceRecord.dept, func.count()).group_by(m.SourceRecord.dept)).all()
        )
        numbered = conn.execute(
            select(func.count()).select_from(m.Person).where(m.Person.id_number.is_not(None))
        )
        assert numbered.scalar_one() == manifest["distinct_id_numbers"]
        quarantined = {(q.dept, q.row_no): (q.field, q.reason) for q in conn.execute(select(m.QuarantineRow))}
        pending = conn.execute(select(func.count()).select_from(m.MatchCandidate)).scalar_one()
    assert stored == {
        d: f["stored"] for d, f in manifest["feeds"].items() if f["stored"]
    }  # a feed may be empty
    dirty = pl.read_csv(out / "dirty_rows.csv", schema_overrides={"record_no": pl.String})
    expected = {(r["dept"], r["row_no"]): (r["field"], r["reason"]) for r in dirty.iter_rows(named=True)}
    assert quarantined == expected
    assert pending == manifest["unnumbered_births"]

    before = _counts(engine)
    again = ingest_directory(out, engine=engine)
    assert all(s.skipped_as_already_ingested for s in again.values())
    forced = ingest_file("gongan", out / "gongan.csv", engine=engine, force=True)
    assert (
        forced.accepted == 0
        and forced.duplicates
        == manifest["feeds"]["gongan"]["stored"] + manifest["feeds"]["gongan"]["duplicates"]
    )
    assert _counts(engine) == before
    engine.dispose()
