"""A large file into a smaller registry sets indexes aside and builds them at the end (cradle.registry.bulk):
the same rows stored, the indexes back after a run that ends, fails or was killed, on both databases."""

import pytest
from sqlalchemy import func, inspect, select

from cradle.db import make_engine
from cradle.registry import bulk, kinship
from cradle.registry import models as m
from cradle.registry.ingest import ingest_file

DEFERRED = {bulk.MATCH, bulk.HOUSEHOLD, *bulk.RELATIVES}


def _present(engine) -> set[str]:
    insp = inspect(engine)
    return {ix["name"] for t in bulk.TABLES for ix in insp.get_indexes(t.name)} & DEFERRED


@pytest.fixture
def spied(monkeypatch):
    """bulk.MIN_ROWS lowered to 1, and the names each set_aside / restore call touched."""
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    calls = {"set_aside": [], "restore": []}
    for name in calls:
        real = getattr(bulk, name)

        def spy(*args, _real=real, _name=name):
            done = _real(*args)
            calls[_name].append(list(done))  # the ingest edits its list
            return done

        monkeypatch.setattr(bulk, name, spy)
    return calls


def test_rows_without_an_id_number_get_the_match_index_back_before_they_are_matched(
    migrated_db_url, county_feeds, spied
):
    out, manifest = county_feeds
    engine = make_engine(migrated_db_url)
    s = ingest_file("weijian", out / "weijian.csv", engine=engine, batch_rows=700)  # into an empty registry
    assert spied["set_aside"] == [sorted(DEFERRED)]
    # built again for the first batch with an unnumbered newborn, before identity resolution reads it
    assert spied["restore"][1] == [bulk.MATCH] and spied["restore"][-1] == sorted(DEFERRED - {bulk.MATCH})
    with engine.connect() as conn:
        unnumbered = conn.execute(select(func.count()).where(m.Person.id_number.is_(None))).scalar_one()
    assert (
        unnumbered == manifest["unnumbered_births"] and s.accepted == manifest["feeds"]["weijian"]["stored"]
    )
    assert _present(engine) == DEFERRED
    engine.dispose()


def test_a_file_smaller_than_the_registry_keeps_its_indexes(migrated_db_url, county_feeds, spied):
    out, _ = county_feeds
    engine = make_engine(migrated_db_url)
    ingest_file("gongan", out / "gongan.csv", engine=engine, batch_rows=700)
    assert len(spied["set_aside"]) == 1
    ingest_file("minzheng", out / "minzheng.csv", engine=engine)  # fewer rows than persons stored
    assert len(spied["set_aside"]) == 1 and _present(engine) == DEFERRED
    engine.dispose()


def test_a_failed_run_builds_its_indexes_again(migrated_db_url, county_feeds, spied, monkeypatch):
    out, _ = county_feeds
    engine = make_engine(migrated_db_url)

    def fail(conn, run_id=None, before_write=None):
        raise RuntimeError("kinship failed")

    monkeypatch.setattr(kinship, "derive_parents", fail)
    with pytest.raises(RuntimeError, match="kinship failed"):
        ingest_file("gongan", out / "gongan.csv", engine=engine, batch_rows=700)
    assert spied["set_aside"] == [sorted(DEFERRED)] and _present(engine) == DEFERRED
    engine.dispose()


def test_indexes_a_killed_run_left_aside_are_built_by_the_next_run(
    migrated_db_url, county_feeds, monkeypatch
):
    out, _ = county_feeds
    engine = make_engine(migrated_db_url)
    with engine.begin() as conn:  # as a run killed mid-file leaves the schema
        bulk.set_aside(conn)
    assert _present(engine) == set()
    ingest_file("minzheng", out / "minzheng.csv", engine=engine)  # a small file: no bulk load of its own
    assert _present(engine) == DEFERRED
    engine.dispose()


def test_the_ingest_connection_goes_back_to_the_pool_with_sqlites_own_settings(
    migrated_sqlite_url, county_feeds
):
    """Its 512 MiB cache and in-memory temporary store made the next user of it, the index builds at the end of
    a bulk load, three times slower."""

    out, _ = county_feeds
    engine = make_engine(migrated_sqlite_url)
    with engine.connect() as fresh:
        before = [fresh.exec_driver_sql(f"PRAGMA {p}").scalar_one() for p in ("cache_size", "temp_store")]
    ingest_file("gongan", out / "gongan.csv", engine=engine, batch_rows=700)
    with engine.connect() as a, engine.connect() as b:  # the pool's connections, the ingest's among them
        for conn in (a, b):
            assert [
                conn.exec_driver_sql(f"PRAGMA {p}").scalar_one() for p in ("cache_size", "temp_store")
            ] == before
    assert before == [-2000, 0]
    engine.dispose()
