"""Set-based reading and writing of a cycle's list. A county's list runs to tens of thousands of people, each
with two encrypted columns: loading them as ORM objects decrypts value by value (the key ring looked up each
time), so the cycle's bulk steps read the stored text and decrypt it with one ring, and write rows encrypted
with one ring in one executemany."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from cradle.assistance.models import Entry
from cradle.fieldcrypt import as_stored, keyring

ENCRYPTED = ("id_number", "household")
COLUMNS = (
    "cycle_id",
    "program",
    "id_number",
    "name",
    "household",
    "town",
    "village",
    "source",
    "reason",
    "amount",
    "frequency",
    "account_no",
    "bank_code",
    "status",
    "leave_reason",
)
_INSERT = text(
    f"INSERT INTO asst_entry ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
)


def read(session: Session, cycle_id: int, *where) -> list[dict]:
    """The cycle's entries as dicts (id and every column), ID numbers decrypted with one ring."""
    cols = [
        Entry.id,
        *(as_stored(getattr(Entry, c)) if c in ENCRYPTED else getattr(Entry, c) for c in COLUMNS),
    ]
    rows = session.execute(select(*cols).where(Entry.cycle_id == cycle_id, *where)).all()
    # equal stored texts are equal plain texts (deterministic encryption): a family's two parents share their
    # household key, so each distinct text is decrypted once
    decrypt = lru_cache(maxsize=None)(keyring().decrypt)
    names = ("id", *COLUMNS)
    out = []
    for r in rows:
        d = dict(zip(names, r, strict=True))
        for c in ENCRYPTED:
            d[c] = decrypt(d[c])
        out.append(d)
    return out


def write(session: Session, rows: list[dict]) -> None:
    """Inserts entries (each a dict of COLUMNS, ID numbers in plain text) in one statement."""
    if not rows:
        return
    ring = keyring()
    params = []
    for r in rows:
        p = {c: r.get(c) for c in COLUMNS}
        for c in ENCRYPTED:
            p[c] = ring.encrypt(p[c])
        if p["amount"] is not None:
            p["amount"] = str(p["amount"])
        params.append(p)
    session.flush()
    if _copy(session, f"asst_entry ({', '.join(COLUMNS)})", ([p[c] for c in COLUMNS] for p in params)):
        return
    session.execute(_INSERT, params)


def _copy(session: Session, target: str, rows) -> bool:
    """PostgreSQL: the rows streamed by COPY (one statement; executemany, even pipelined, runs one per row and
    cost ten times as much). False on SQLite, whose executemany makes no round trips."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return False
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {target} FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
    return True


def set_accounts(session: Session, changes: list[dict]) -> None:
    """Each entry `eid`'s account `acc`, and its bank, town and village where given (`bank`, `town`, `village`). PostgreSQL takes a
    staging table filled by COPY and one UPDATE … FROM; SQLite, whose executemany makes no round trips, one
    statement per row."""
    t, conn = Entry.__table__, session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(
            update(t)
            .where(t.c.id == bindparam("eid"))
            .values(
                account_no=bindparam("acc"),
                bank_code=func.coalesce(bindparam("bank"), t.c.bank_code),
                town=func.coalesce(bindparam("town"), t.c.town),
                village=func.coalesce(bindparam("village"), t.c.village),
            ),
            changes,
        )
        return
    conn.execute(text("DROP TABLE IF EXISTS asst_accounts_in"))
    conn.execute(
        text(
            "CREATE TEMPORARY TABLE asst_accounts_in (eid INTEGER, acc VARCHAR(32), bank VARCHAR(12), "
            "town VARCHAR(9), village VARCHAR(12)) ON COMMIT DROP"
        )
    )
    _copy(
        session,
        "asst_accounts_in",
        ((c["eid"], c["acc"], c["bank"], c["town"], c["village"]) for c in changes),
    )
    conn.execute(
        text(
            "UPDATE asst_entry e SET account_no = a.acc, bank_code = COALESCE(a.bank, e.bank_code), "
            "town = COALESCE(a.town, e.town), village = COALESCE(a.village, e.village) "
            "FROM asst_accounts_in a WHERE e.id = a.eid"
        )
    )
    conn.execute(text("DROP TABLE asst_accounts_in"))
