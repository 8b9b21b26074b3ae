"""Secondary indexes set aside while a large file goes into a registry smaller than it, and built once at the
end: one sort instead of millions of insertions at random places.

On SQLite, a 5-million-row 公安 file into an empty registry spent 98 of 290 s keeping the person match index
(birth date, name) and the 户 index (region, 户号) up to date row by row; building both afterwards took 15 s.
The relation's person and relative indexes cost its 2.6 million 户-derived links 11.0 s, built afterwards 3.6 s.
Only indexes no statement of the run reads are set aside: the 户 index serves a run that judges only its own 户,
and a run this large (at least as many rows as the register has persons) judges the whole register unless most
of its rows were repeats (`kinship.WHOLE_SHARE`); the relation indexes serve `cradle household`, not an ingest,
which finds a stored link by its key; the match index serves rows without an ID number, so it is built again
(`restore([MATCH])`) before the first batch that has one. Readers meanwhile find persons by name and birth date,
and a person's parents and children, by a scan: a first load, not a daily feed.

A first load into an empty registry also sets aside the two unique indexes (a person's ID number, a department's
record number; `set_aside_unique`). A run that fails builds them all again as it stops; one killed leaves them
missing, and `restore`, at the start of every ingest (the only thing that sets them aside), builds every missing
one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Index, inspect, text

from cradle.registry.models import HukouEvent, Person, Relation, SourceRecord

# Rows a run must bring, at least, and at least as many as the registry holds persons.
MIN_ROWS = 500_000
MATCH, HOUSEHOLD = "ix_registry_person_match", "ix_registry_hukou_event_household"
# Who a person's parents and children are (`cradle household`); the links a run writes are looked up by their
# key alone. Inserting 2.6 million 户-derived links kept them in 11.0 s, building them took 3.6.
RELATIVES = ("ix_registry_relation_person_id", "ix_registry_relation_relative_id")
TABLES = (Person.__table__, SourceRecord.__table__, HukouEvent.__table__, Relation.__table__)
# A first load only (cradle.registry.firstload): the run settles ID numbers and record numbers itself, and building
# the two unique indexes at its end checks that it stored neither twice. On SQLite, keeping the ID-number index up
# row by row (53-character encrypted numbers landing all over it) was most of a 5-million-row first load's writing
# and what its 512 MiB page cache was for.
UNIQUE = ("uq_registry_person_id_number", "uq_registry_source_record_dept")


def _indexes() -> dict[str, Index]:
    names = (MATCH, HOUSEHOLD, *RELATIVES, *UNIQUE)
    return {ix.name: ix for t in TABLES for ix in t.indexes if ix.name in names}


def worth_it(conn: Connection, expected_rows: int | None) -> bool:
    if not expected_rows or expected_rows < MIN_ROWS:
        return False
    persons = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM registry_person")).scalar_one()
    return expected_rows >= persons


def _present(conn: Connection) -> set[str]:
    insp = inspect(conn)
    return {ix["name"] for table in TABLES for ix in insp.get_indexes(table.name)}


def _drop(conn: Connection, names: list[str]) -> list[str]:
    for name in names:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    return names


def set_aside(conn: Connection) -> list[str]:
    """Drop the deferrable indexes (the caller commits); returns their names."""
    return _drop(conn, sorted(set(_indexes()) - set(UNIQUE)))


def set_aside_unique(conn: Connection) -> list[str]:
    """Drop the unique indexes for a first load (the caller commits); returns their names. SQLite keeps the
    record numbers' up as it goes: a feed's record numbers come about in file order, so its entries land at the
    index's right edge, and the writing thread, waiting on the preparing one, has the time; built after the run,
    it took 9.7 s of the 5-million-row load's end, when nothing else runs beside the builds."""
    names = UNIQUE if conn.dialect.name == "postgresql" else UNIQUE[:1]
    return _drop(conn, sorted(names))


def restore(conn: Connection, names: list[str] | None = None) -> list[str]:
    """Build the indexes set aside (or `names` of them) that are missing; returns those built. PostgreSQL builds
    under a SHARE lock, so the register stays readable while they sort (the 户 derivation reads it meanwhile)."""
    present = _present(conn)
    missing = [
        ix
        for name, ix in sorted(_indexes().items())
        if name not in present and (names is None or name in names)
    ]
    with _sorting(conn):
        for ix in missing:
            ix.create(conn)
    return [ix.name for ix in missing]


@contextmanager
def _sorting(conn: Connection) -> Iterator[None]:
    """SQLite sorts with two threads and the default page cache while it builds: the ingest's 512 MiB made each
    build twice as slow."""
    if conn.dialect.name != "sqlite":
        yield
        return
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql("PRAGMA cache_size=-2000")
    conn.exec_driver_sql("PRAGMA threads=2")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
