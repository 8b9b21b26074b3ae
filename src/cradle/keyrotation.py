"""Re-encrypting every encrypted column under the current field key (`cradle keys rotate`).

Rotation works in batches of rows, each committed on its own: a row is picked when its stored value is not under
the current key and algorithm (plain rows from before encryption included), so a stopped rotation resumes where
it stopped by running it again. A row is rewritten only if it still holds the value read (a concurrent writer's
newer value wins). Each column's rotation is one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, String, and_, bindparam, column, func, select, table, update
from sqlalchemy.orm import Session

import cradle.models  # noqa: F401  (every domain's tables on Base.metadata, whose encrypted columns rotate)
from cradle import audit
from cradle.db import Base
from cradle.fieldcrypt import WIDTH, EncryptedJSON, EncryptedString, keyring


@dataclass
class RotationReport:
    key: str
    algorithm: str
    columns: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows rewritten


def encrypted_columns() -> list[tuple[str, tuple[str, ...], str]]:
    """(table, primary-key columns, column) for every EncryptedString column of every domain."""
    out = []
    for t in Base.metadata.sorted_tables:
        pk = tuple(c.name for c in t.primary_key.columns)
        out += [
            (t.name, pk, c.name) for c in t.columns if isinstance(c.type, EncryptedString | EncryptedJSON)
        ]
    return out


def reencrypt_column(
    conn: Connection, table_name: str, pk: tuple[str, ...], name: str, batch: int = 1000, commit: bool = True
) -> int:
    """Rewrite the column's rows not yet under the current key; returns how many were rewritten."""
    ring = keyring()
    t = table(table_name, *(column(c) for c in pk), column(name, String(WIDTH)))
    value = t.c[name]
    stale = and_(value.is_not(None), func.substr(value, 1, len(ring.prefix)) != ring.prefix)
    # a row is rewritten only if it still holds the value read: a concurrent writer's newer value wins
    rewrite = (
        update(t)
        .where(*(t.c[c] == bindparam(f"k_{c}") for c in pk), value == bindparam("old"))
        .values({name: bindparam("new")})
    )
    done, after = 0, None
    while True:
        q = select(*(t.c[c] for c in pk), value).where(stale).order_by(*(t.c[c] for c in pk)).limit(batch)
        # keyset paging: a row a racing writer left stale is not retried forever
        if after is not None and len(pk) == 1:
            q = q.where(t.c[pk[0]] > after)
        rows = conn.execute(q).all()
        if not rows:
            return done
        changes = [
            {
                **{f"k_{c}": k for c, k in zip(pk, row[:-1], strict=True)},
                "old": row[-1],
                "new": ring.encrypt(ring.decrypt(row[-1])),
            }
            for row in rows
        ]
        result = conn.execute(rewrite, changes)  # one executemany per batch
        done += result.rowcount if conn.dialect.supports_sane_multi_rowcount else len(changes)
        after = rows[-1][0]
        if commit:
            conn.commit()


def rotate(
    engine: Engine,
    actor: str = "system:keys",
    batch: int = 1000,
    progress: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Every encrypted column under the current key; one audit entry per column rewritten."""
    ring = keyring()
    report = RotationReport(ring.current, {"a": "AES-256-SIV", "s": "SM4-SIV"}[ring.alg])
    for table_name, pk, name in encrypted_columns():
        with engine.connect() as conn:
            n = reencrypt_column(conn, table_name, pk, name, batch)
        report.columns[f"{table_name}.{name}"] = n
        if progress:
            progress(f"{table_name}.{name}", n)
        with Session(engine) as s:
            audit.record(
                s,
                actor,
                "keys.rotate",
                f"column:{table_name}.{name}",
                {"key": ring.current, "algorithm": report.algorithm, "rows": n},
            )
            s.commit()
    return report
