"""registry: a person's ID number and a department's record number kept unique by unique indexes, not table
constraints, so a first load into an empty registry can set them aside and build each with one sort at its end
(cradle.registry.bulk), on SQLite too: SQLite cannot drop a table's constraint, and kept them up row by row.
The same names, the same uniqueness; `ON CONFLICT (id_number)` finds the index as it found the constraint.

SQLite rebuilds both tables, as its constraint lives in the table's definition (`_rebuild_sqlite`).

Revision ID: registry_0010
Revises: registry_0009
"""

import re

from alembic import op

revision = "registry_0010"
down_revision = "registry_0009"
branch_labels = None
depends_on = None

UNIQUE = {  # name: (table, columns)
    "uq_registry_person_id_number": ("registry_person", "id_number"),
    "uq_registry_source_record_dept": ("registry_source_record", "dept, record_no"),
}


def _rebuild_sqlite(table: str, edit) -> None:
    """SQLite's procedure for a change ALTER TABLE cannot make: with foreign keys off, a new table made from the
    stored definition passed through `edit`, the rows copied, the old table dropped, the new one renamed and the
    indexes made again; then the foreign keys checked. `PRAGMA foreign_keys` is ignored inside a transaction, so
    the one open (the version updates of the revisions before this one) is committed first."""
    conn = op.get_bind()
    raw = conn.connection.driver_connection
    if raw.in_transaction:
        raw.commit()
    create = raw.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()[0]
    indexes = [
        sql
        for (sql,) in raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
    ]
    new = f"{table}__new"
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        raw.execute("BEGIN")
        # named as stored, quoted once a table was renamed
        named = re.compile(rf'^CREATE TABLE\s+"?{table}"?\s*\(')
        raw.execute(named.sub(f"CREATE TABLE {new} (", edit(create), count=1))
        raw.execute(f"INSERT INTO {new} SELECT * FROM {table}")
        raw.execute(f"DROP TABLE {table}")
        raw.execute(f"ALTER TABLE {new} RENAME TO {table}")
        for sql in indexes:
            raw.execute(sql)
        if raw.execute("PRAGMA foreign_key_check").fetchone():
            raise RuntimeError(f"{table}: a foreign key broken by the rebuild")
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, (table, columns) in UNIQUE.items():
        if sqlite:
            clause = re.compile(rf",\s*CONSTRAINT {name} UNIQUE \([^)]*\)")

            def drop(sql: str, clause=clause, name=name) -> str:
                edited, n = clause.subn("", sql)
                if n != 1:
                    raise RuntimeError(f"{name} not found in the table's definition")
                return edited

            _rebuild_sqlite(table, drop)
        else:  # IF EXISTS: a first load killed before this revision left it aside
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        op.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, (table, columns) in UNIQUE.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        if sqlite:

            def add(sql: str, name=name, columns=columns) -> str:
                head, _, _ = sql.rstrip().rpartition(")")
                return f"{head.rstrip()}, \n\tCONSTRAINT {name} UNIQUE ({columns})\n)"

            _rebuild_sqlite(table, add)
        else:
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({columns})")
