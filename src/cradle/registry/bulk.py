"""Secondary indexes set aside while a large file goes into a registry smaller than it, and built once at the
end: one sort instead of millions of insertions at random places.

On SQLite, a 5-million-row 公安 file into an empty registry spent 98 of 290 s keeping the person match index
(birth date, name) and the 户 index (region, 户号) up to date row by row; building both afterwards took 15 s.
The relation's person and relative indexes cost its 2.6 million 户-derived links 11.0 s, built afterwards 3.6 s.
Only indexes no statement of the run reads are set aside: the 户 index serves a run that judges only its own 户,
and a run this large judges the whole register (`kinship.WHOLE_BEYOND`); the relation indexes serve `cradle
household`, not an ingest, which finds a stored link by its key; the match index serves rows without an ID
number, so it is built again (`restore([MATCH])`) before the first batch that has one. Readers meanwhile find
persons by name and birth date, and a person's parents and children, by a scan: a first load, not a daily feed.

A run that fails builds them again as it stops; one killed leaves them missing, and `restore`, at the start of
every ingest (the only thing that sets them aside), builds every missing one. The same holds for the two unique
constraints a first load into an empty PostgreSQL registry sets aside (`set_aside_unique`, `restore_unique`).
"""

from __future__ import annotations

from sqlalchemy import Connection, Index, inspect, text

from cradle.registry.models import HukouEvent, Person, Relation

# Rows a run must bring, at least, and at least as many as the registry holds persons.
MIN_ROWS = 500_000
MATCH, HOUSEHOLD = "ix_registry_person_match", "ix_registry_hukou_event_household"
# Who a person's parents and children are (`cradle household`); the links a run writes are looked up by their
# key alone. Inserting 2.6 million 户-derived links kept them in 11.0 s, building them took 3.6.
RELATIVES = ("ix_registry_relation_person_id", "ix_registry_relation_relative_id")
TABLES = (Person.__table__, HukouEvent.__table__, Relation.__table__)


def _indexes() -> dict[str, Index]:
    names = (MATCH, HOUSEHOLD, *RELATIVES)
    return {ix.name: ix for t in TABLES for ix in t.indexes if ix.name in names}


def worth_it(conn: Connection, expected_rows: int | None) -> bool:
    if not expected_rows or expected_rows < MIN_ROWS:
        return False
    persons = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM registry_person")).scalar_one()
    return expected_rows >= persons


# PostgreSQL, a first load only (cradle.registry.firstload): the run settles ID numbers and record numbers itself,
# and adding the constraints back checks that it stored neither twice.
UNIQUE = {
    "uq_registry_person_id_number": ("registry_person", "id_number"),
    "uq_registry_source_record_dept": ("registry_source_record", "dept, record_no"),
}


def set_aside_unique(conn: Connection) -> list[str]:
    """Drop the two unique constraints on PostgreSQL (the caller commits); returns their names."""
    if conn.dialect.name != "postgresql":
        return []
    for name, (table, _) in UNIQUE.items():
        conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"))
    return sorted(UNIQUE)


def _missing_unique(conn: Connection) -> list[str]:
    insp = inspect(conn)
    tables = ("registry_person", "registry_source_record")
    return sorted(set(UNIQUE) - {c["name"] for t in tables for c in insp.get_unique_constraints(t)})


def build_unique_indexes(conn: Connection) -> list[str]:
    """The unique indexes of the missing constraints, not yet the constraints: a SHARE lock, so the register stays
    readable while they sort (the 户 derivation reads it meanwhile); `restore_unique` puts the constraints over
    them once nothing reads."""
    if conn.dialect.name != "postgresql":
        return []
    built = []
    for name in _missing_unique(conn):
        if conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar() is None:
            table, columns = UNIQUE[name]
            conn.execute(text(f"CREATE UNIQUE INDEX {name} ON {table} ({columns})"))
            built.append(name)
    return built


def restore_unique(conn: Connection) -> list[str]:
    """Add back those of the two unique constraints that are missing (over their index, built first if it is
    not there yet); returns their names."""
    if conn.dialect.name != "postgresql":
        return []
    missing = _missing_unique(conn)
    build_unique_indexes(conn)
    for name in missing:
        conn.execute(text(f"ALTER TABLE {UNIQUE[name][0]} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}"))
    return missing


def _present(conn: Connection) -> set[str]:
    insp = inspect(conn)
    return {ix["name"] for table in TABLES for ix in insp.get_indexes(table.name)}


def set_aside(conn: Connection) -> list[str]:
    """Drop the deferrable indexes (the caller commits); returns their names."""
    names = sorted(_indexes())
    for name in names:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    return names


def restore(conn: Connection, names: list[str] | None = None) -> list[str]:
    """Build the deferrable indexes (or `names` of them) that are missing; returns those built. SQLite sorts
    with two threads and the default page cache: the ingest's 512 MiB made each build twice as slow."""
    present = _present(conn)
    missing = [
        ix
        for name, ix in sorted(_indexes().items())
        if name not in present and (names is None or name in names)
    ]
    if not missing:
        return []
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        conn.exec_driver_sql("PRAGMA cache_size=-2000")
        conn.exec_driver_sql("PRAGMA threads=2")
    try:
        for ix in missing:
            ix.create(conn)
    finally:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
    return [ix.name for ix in missing]
